# berth-unpack: fuzzers and the unpack benchmark.
# The sources (rootfs-tools/*.c) and tests (tests/unit/test_unpack_*.c,
# tests/integration/unpack_*.bats) are picked up by the top-level Makefile.

UNPACK_FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_unpack_*.c))
FUZZERS += $(UNPACK_FUZZERS)
UNPACK_FUZZ_SECONDS ?= 30

$(BUILD)/fuzz/fuzz_unpack_%: tests/fuzz/fuzz_unpack_%.c $(filter-out $(UNPACK_MAIN),$(UNPACK_SRC)) $(LIB_SRC)
	@mkdir -p $(dir $@)
	clang $(filter-out -Wno-format-truncation,$(BASE_CFLAGS)) -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer,address,undefined $(UNPACK_CFLAGS) \
		-o $@ $(filter %.c,$^) $(UNPACK_LIBS)

# The unpack fuzzers alone, UNPACK_FUZZ_SECONDS each. `make fuzz` and
# `make check-fuzz` (mk/fuzz.mk) run them once each through FUZZERS above.
.PHONY: fuzz-unpack bench-unpack
fuzz-unpack: $(UNPACK_FUZZERS)
	@set -e; $(foreach f,$(patsubst $(BUILD)/fuzz/fuzz_%,%,$(UNPACK_FUZZERS)),$(call run_fuzzer,$(f),$(UNPACK_FUZZ_SECONDS)))

bench-unpack: $(BERTH_UNPACK)
	tests/bench/unpack.sh

bench: bench-unpack

# ISA-L (Debian's libisal-dev) decodes gzip about four times as fast as zlib,
# streaming, so the bounded read-ahead stays bounded; used when installed
# (scripts/deps.sh installs it), else libarchive's zlib path.
ifneq ($(wildcard /usr/include/isa-l/igzip_lib.h),)
UNPACK_CFLAGS += -DHAVE_ISAL
UNPACK_LIBS += -lisal
endif
