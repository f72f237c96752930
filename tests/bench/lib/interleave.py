#!/usr/bin/env python3
"""interleave.py N NAME=CMD... : run each command CMD (split like a shell
would, no shell started) once per round, round-robin, for N rounds, so that
load changes on a shared host hit every command alike; {i} in CMD becomes
the round number. Prints one JSON object: {NAME: {"times": [ms], "cpu": [ms],
"fails": n}}: wall time, and user+system CPU time of the command and its
children (steadier than wall time on a loaded host)."""
import json
import resource
import shlex
import subprocess
import sys
import time


def main():
    n = int(sys.argv[1])
    cmds = [(name, shlex.split(cmd)) for name, cmd in (a.split("=", 1) for a in sys.argv[2:])]
    res = {name: {"times": [], "cpu": [], "fails": 0} for name, _ in cmds}
    for i in range(n):
        for name, argv in cmds:
            argv = [a.replace("{i}", str(i)) for a in argv]
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            res[name]["times"].append((time.perf_counter() - t0) * 1000)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[name]["cpu"].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
            res[name]["fails"] += r.returncode != 0
    print(json.dumps(res))


main()
