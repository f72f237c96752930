#!/usr/bin/env python3
"""runloop.py N CMD [ARG...]: run CMD N times in sequence (the token {i}
in arguments becomes the run number) and print one line of JSON: each run's
wall time in ms and the number of failures. (No RSS here: the kernel
counts a forked python's pages in the child's maxrss.)"""
import json
import os
import subprocess
import sys
import time


def main():
    n = int(sys.argv[1])
    cmd = sys.argv[2:]
    times, fails = [], 0
    for i in range(n):
        argv = [a.replace("{i}", str(i)) for a in cmd]
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            try:
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        _, status = os.waitpid(pid, 0)
        times.append((time.perf_counter() - t0) * 1000)
        if status != 0:
            fails += 1
    print(json.dumps({"times": times, "fails": fails}))


if __name__ == "__main__":
    main()
