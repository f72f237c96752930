# berth: build, test and install. Plain make; pkg-config for libraries.
# Parts of the build that belong to one component live in mk/*.mk.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
CC ?= gcc
BUILD ?= build
PKG_CONFIG ?= pkg-config

RUNTIME_PKGS := libseccomp libcap yajl
UNPACK_PKGS := yajl libarchive libcrypto

# Evaluated lazily so that `make check` can install packages first.
RUNTIME_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(RUNTIME_PKGS))
RUNTIME_LIBS = $(shell $(PKG_CONFIG) --libs $(RUNTIME_PKGS))
UNPACK_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(UNPACK_PKGS))
UNPACK_LIBS = $(shell $(PKG_CONFIG) --libs $(UNPACK_PKGS)) -lpthread

OPTFLAGS ?= -O2 -g
# Messages are cut to fit their buffers on purpose: no truncation warnings.
WARNFLAGS := -Wall -Wextra -Werror -Wno-format-truncation
HARDEN_CFLAGS := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now
BASE_CFLAGS = -std=gnu11 -D_GNU_SOURCE -MMD -MP $(WARNFLAGS) -iquote lib -iquote runtime -iquote runtime/oci \
	-iquote runtime/linux -iquote runtime/state -iquote rootfs-tools
ALL_CFLAGS = $(BASE_CFLAGS) $(OPTFLAGS) $(HARDEN_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(HARDEN_LDFLAGS) $(LDFLAGS)

LIB_SRC := $(wildcard lib/*.c)
RUNTIME_SRC := $(shell find runtime -name '*.c' | sort)
UNPACK_SRC := $(wildcard rootfs-tools/*.c)
RUNTIME_MAIN := runtime/main.c
UNPACK_MAIN := rootfs-tools/main.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJ := $(call obj,$(LIB_SRC))
RUNTIME_OBJ := $(call obj,$(filter-out $(RUNTIME_MAIN),$(RUNTIME_SRC)))
UNPACK_OBJ := $(call obj,$(filter-out $(UNPACK_MAIN),$(UNPACK_SRC)))

BERTH := $(BUILD)/berth
BERTH_UNPACK := $(BUILD)/berth-unpack
PROGRAMS := $(BERTH) $(if $(wildcard $(UNPACK_MAIN)),$(BERTH_UNPACK))

# Test programs: tests/unit/test_unpack_*.c link with the unpacker's code,
# every other tests/unit/test_*.c with the runtime's.
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_UNPACK_SRC := $(wildcard tests/unit/test_unpack_*.c)
UNIT_RUNTIME_SRC := $(filter-out $(UNIT_UNPACK_SRC),$(UNIT_SRC))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
ASAN_BINS := $(patsubst tests/unit/%.c,$(BUILD)/asan/%,$(UNIT_SRC))
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Targets that `make check` runs, in order; mk/*.mk fragments append.
CHECK_TARGETS := check-unit check-asan check-integration

.PHONY: all deps check check-all check-unit check-asan check-integration install clean demo \
	fuzz bench format
all: $(PROGRAMS)

deps:
	@scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(RUNTIME_CFLAGS) $(UNPACK_CFLAGS) -c -o $@ $<

$(BERTH): $(BUILD)/obj/$(RUNTIME_MAIN:.c=.o) $(RUNTIME_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(RUNTIME_LIBS)

$(BERTH_UNPACK): $(BUILD)/obj/$(UNPACK_MAIN:.c=.o) $(UNPACK_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(UNPACK_LIBS)

# Unit test programs link the objects of the code they test. $(filter)
# keeps headers (which -MMD adds as prerequisites) off the link line.
LINK_INPUTS = $(filter %.c %.o,$^)

# Static pattern rules: each program is bound to its own rule, so make never
# picks the runtime's rule for an unpack test because those objects exist.
UNIT_UNPACK_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_UNPACK_SRC))
UNIT_RUNTIME_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_RUNTIME_SRC))
ASAN_UNPACK_BINS := $(patsubst tests/unit/%.c,$(BUILD)/asan/%,$(UNIT_UNPACK_SRC))
ASAN_RUNTIME_BINS := $(patsubst tests/unit/%.c,$(BUILD)/asan/%,$(UNIT_RUNTIME_SRC))

$(UNIT_UNPACK_BINS): $(BUILD)/unit/test_unpack_%: tests/unit/test_unpack_%.c $(UNPACK_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UNPACK_CFLAGS) $(ALL_LDFLAGS) -o $@ $(LINK_INPUTS) $(UNPACK_LIBS) -lcmocka

$(UNIT_RUNTIME_BINS): $(BUILD)/unit/test_%: tests/unit/test_%.c $(RUNTIME_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(RUNTIME_CFLAGS) $(ALL_LDFLAGS) -o $@ $(LINK_INPUTS) $(RUNTIME_LIBS) -lcmocka

# The same unit tests under AddressSanitizer and UBSan: every source is
# compiled once more into $(BUILD)/asan-obj and shared by all test programs.
asan_obj = $(patsubst %.c,$(BUILD)/asan-obj/%.o,$(1))
ASAN_LIB_OBJ := $(call asan_obj,$(LIB_SRC))
ASAN_RUNTIME_OBJ := $(call asan_obj,$(filter-out $(RUNTIME_MAIN),$(RUNTIME_SRC)))
ASAN_UNPACK_OBJ := $(call asan_obj,$(filter-out $(UNPACK_MAIN),$(UNPACK_SRC)))

# Keep intermediate objects (pattern chains would otherwise delete them).
.SECONDARY:

$(BUILD)/asan-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(ASAN_FLAGS) $(RUNTIME_CFLAGS) $(UNPACK_CFLAGS) -c -o $@ $<

$(ASAN_UNPACK_BINS): $(BUILD)/asan/test_unpack_%: $(BUILD)/asan-obj/tests/unit/test_unpack_%.o $(ASAN_UNPACK_OBJ) $(ASAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) -o $@ $(LINK_INPUTS) $(UNPACK_LIBS) -lcmocka

$(ASAN_RUNTIME_BINS): $(BUILD)/asan/test_%: $(BUILD)/asan-obj/tests/unit/test_%.o $(ASAN_RUNTIME_OBJ) $(ASAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) -o $@ $(LINK_INPUTS) $(RUNTIME_LIBS) -lcmocka

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-asan: $(ASAN_BINS)
	@set -e; for t in $(ASAN_BINS); do echo "== $$t (asan+ubsan)"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t; done

check-integration: all $(INTEGRATION_DEPS)
	bats --tap tests/integration

# `make check` and `make demo` first install what is missing, then run the
# real targets in a fresh make so pkg-config sees the new packages.
check: deps
	@$(MAKE) --no-print-directory check-all

# Build everything the tests need in parallel first; the tests run in order.
check-all:
	@$(MAKE) --no-print-directory -j$(shell nproc) all $(UNIT_BINS) $(ASAN_BINS)
	@set -e; for t in $(CHECK_TARGETS); do \
		echo "==== make $$t"; $(MAKE) --no-print-directory $$t; done

demo: deps
	@$(MAKE) --no-print-directory demo-run

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/

format:
	clang-format -i $(LIB_SRC) $(RUNTIME_SRC) $(UNPACK_SRC) $(wildcard lib/*.h runtime/*.h \
		runtime/*/*.h rootfs-tools/*.h tests/unit/*.c)

clean:
	rm -rf $(BUILD)

-include $(sort $(wildcard mk/*.mk))
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
