# libFuzzer harnesses (owner: oci). Each fuzzer NAME is tests/fuzz/fuzz_NAME.c
# plus the sources in FUZZ_SRC_NAME, linked with pkg-config packages
# FUZZ_PKGS_NAME; its seed corpus is tests/fuzz/corpus/NAME/ and an optional
# dictionary tests/fuzz/NAME.dict. Other fragments register theirs with
# `FUZZERS += NAME` and those two variables.
#
#   make fuzz                    every fuzzer for FUZZ_SECONDS (default 60) each
#   make fuzz FUZZERS=config     just one
#   make check-fuzz              all fuzzers sharing FUZZ_CHECK_SECONDS (default 30);
#                                part of `make check`
# New inputs go to $(BUILD)/fuzz/corpus-NAME, crashes to $(BUILD)/fuzz/crash-*.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 30
FUZZ_MAX_LEN ?= 16384
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

FUZZERS += config
FUZZ_SRC_config = $(wildcard runtime/oci/*.c) $(LIB_SRC)
FUZZ_PKGS_config = yajl libseccomp libcap

# Entries may also be given as the binary's path ($(BUILD)/fuzz/fuzz_NAME).
FUZZ_NAMES = $(sort $(patsubst $(BUILD)/fuzz/fuzz_%,%,$(FUZZERS)))
FUZZ_BINS = $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))

# Sources are named through variables that later fragments may still set.
.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRC_$$*)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -Wno-unused-command-line-argument -Wno-unknown-warning-option $(FUZZ_FLAGS) \
		$(shell $(PKG_CONFIG) --cflags $(FUZZ_PKGS_$*)) -o $@ $(filter %.c,$^) \
		$(shell $(PKG_CONFIG) --libs $(FUZZ_PKGS_$*))

# run_fuzzer NAME SECONDS
define run_fuzzer
	mkdir -p $(BUILD)/fuzz/corpus-$(1); \
	dict=; [ -f tests/fuzz/$(1).dict ] && dict=-dict=tests/fuzz/$(1).dict; \
	echo "fuzz: $(1) for $(2) seconds"; \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(BUILD)/fuzz/fuzz_$(1) -max_total_time=$(2) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ $$dict \
		$(BUILD)/fuzz/corpus-$(1) $(wildcard tests/fuzz/corpus/$(1)) 2>$(BUILD)/fuzz/$(1).log \
		|| { tail -n 60 $(BUILD)/fuzz/$(1).log; exit 1; }; \
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(BUILD)/fuzz/$(1).log || true;
endef

.PHONY: fuzz check-fuzz fuzz-build
fuzz-build: $$(FUZZ_BINS)

fuzz: fuzz-build
	@set -e; $(foreach f,$(FUZZ_NAMES),$(call run_fuzzer,$(f),$(FUZZ_SECONDS)))

check-fuzz: fuzz-build
	@set -e; n=$(words $(FUZZ_NAMES)); per=$$(( $(FUZZ_CHECK_SECONDS) / n )); \
	[ $$per -ge 5 ] || per=5; \
	$(foreach f,$(FUZZ_NAMES),$(call run_fuzzer,$(f),$$per))

CHECK_TARGETS += check-fuzz
