#!/usr/bin/env python3
"""merge.py JSON...: concatenate runloop.py results (times, fails) given as
arguments or one per stdin line into one JSON object."""
import json
import sys

parts = sys.argv[1:] or [l for l in sys.stdin.read().splitlines() if l.strip()]
out = {"times": [], "fails": 0}
for p in parts:
    d = json.loads(p)
    out["times"] += d["times"]
    out["fails"] += d["fails"]
print(json.dumps(out))
