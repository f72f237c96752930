# Lifecycle (owner: life): the static test helper copied into test rootfs
# images, and the integration tests' dependency on it.

HELPER_SRC := $(wildcard tests/helper/*.c)
TESTHELPER := $(BUILD)/berth-testhelper

$(TESTHELPER): $(HELPER_SRC) $(wildcard tests/helper/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -o $@ $(HELPER_SRC)

.PHONY: testhelper
testhelper: $(TESTHELPER)
check-integration: $(TESTHELPER)
all: $(TESTHELPER)
