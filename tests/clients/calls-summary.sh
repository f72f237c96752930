#!/bin/bash
# Prints the distinct runtime command lines each client used in a run of
# tests/clients/run.sh (from its calls-CLIENT.log files), with temp dirs, container ids
# and random names replaced, most frequent first.
# usage: tests/clients/calls-summary.sh OUTDIR   (the "logs in ..." dir run.sh prints)
# shellcheck disable=SC2016,SC2034 # $ in single quotes is for the inner shell; cleanup code reads vars
set -euo pipefail
dir=${1:?usage: calls-summary.sh OUTDIR}
for log in "$dir"/calls-*.log; do
	echo "== $(basename "$log" .log | sed 's/^calls-//')"
	sed -E 's/^[0-9:.]+ cwd=[^ ]* rc=[0-9]+://;
		s#/tmp/berth-[a-z]+\.[A-Za-z0-9]{6}#$T#g; s/[0-9a-f]{64}/<id>/g; s/[0-9a-f]{12}/<id>/g;
		s#(runc-process|exec-process-|conmon-term\.|/pty)[A-Za-z0-9]+#\1<N>#g;
		s#(/berth/)[a-z0-9]+(/|$| )#\1<id>\2#g; s# [a-z]+[0-9]*$# <id>#;
		s# [a-z]+[0-9]* ([0-9]+)$# <id> \1#' "$log" | sort | uniq -c | sort -rn
done
