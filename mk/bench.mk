# `make bench`: every tests/bench/*.sh, side by side with the peers; they
# print figures and never fail on speed. Scripts with their own target in
# another fragment (unpack.sh: bench-unpack in mk/unpack.mk) are skipped
# here so they do not run twice. Owner: life.

BENCH_OWN_TARGET := tests/bench/unpack.sh
BENCH_SCRIPTS = $(filter-out $(BENCH_OWN_TARGET),$(sort $(wildcard tests/bench/*.sh)))

.PHONY: bench-scripts bench-lifecycle
bench-scripts: all
	@set -e; for s in $(BENCH_SCRIPTS); do echo "== $$s"; $$s; done

bench-lifecycle: all
	tests/bench/lifecycle.sh

bench: bench-scripts
