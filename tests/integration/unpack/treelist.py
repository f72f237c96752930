#!/usr/bin/env python3
"""Print one line per entry of a tree: path, type, mode, owner, size, link
target, device numbers, xattrs and a content digest (and with --mtime the
modification time, except the root's), sorted, so that two unpackers'
results can be compared with diff. Usage: treelist.py [--mtime] ROOT"""
import hashlib
import os
import stat
import sys


WITH_MTIME = False


def describe(root, rel):
    p = os.path.join(root, rel)
    st = os.lstat(p)
    m = st.st_mode
    kind = {stat.S_IFREG: "f", stat.S_IFDIR: "d", stat.S_IFLNK: "l", stat.S_IFCHR: "c",
            stat.S_IFBLK: "b", stat.S_IFIFO: "p", stat.S_IFSOCK: "s"}[stat.S_IFMT(m)]
    extra = ""
    if kind == "f":
        with open(p, "rb") as fp:
            extra = "size=%d sha=%s" % (st.st_size, hashlib.sha256(fp.read()).hexdigest()[:16])
    elif kind == "l":
        extra = "-> " + os.readlink(p)
    elif kind in "cb":
        extra = "dev=%d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
    xattrs = ""
    if kind != "l":
        try:
            names = sorted(os.listxattr(p, follow_symlinks=False))
            xattrs = " ".join("%s=%s" % (n, os.getxattr(p, n, follow_symlinks=False).hex())
                              for n in names)
        except OSError:
            pass
    nlink = " nlink=%d" % st.st_nlink if kind == "f" else ""
    mtime = " mtime=%d" % st.st_mtime if WITH_MTIME and rel else ""
    return "%s %s %04o %d:%d%s%s %s %s" % (rel or ".", kind, stat.S_IMODE(m), st.st_uid,
                                           st.st_gid, nlink, mtime, extra, xattrs)


def main():
    global WITH_MTIME
    args = sys.argv[1:]
    if args and args[0] == "--mtime":
        WITH_MTIME = True
        args = args[1:]
    root = args[0]
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel
        out.append(describe(root, rel))
        for n in files + [x for x in dirs if os.path.islink(os.path.join(dirpath, x))]:
            out.append(describe(root, os.path.join(rel, n)))
    for line in sorted(set(out)):
        print(line.rstrip())


if __name__ == "__main__":
    main()
