# berth-unpack: extra build settings and the unpack benchmark.
# The sources (rootfs-tools/*.c) and tests (tests/unit/test_unpack_*.c,
# tests/integration/unpack_*.bats) are picked up by the top-level Makefile.

.PHONY: bench-unpack
bench-unpack: $(BERTH_UNPACK)
	tests/bench/unpack.sh
