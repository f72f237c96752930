#!/usr/bin/env python3
"""Build the unpack benchmark image from a debootstrap minbase tree:
four layers with whiteouts and an opaque directory, as an OCI layout with
gzip layers (tag "gzip") and zstd layers (tag "zstd").
Usage: unpack_image.py MINBASE_TREE OUT_LAYOUT"""
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

SKIP = ("var/cache/apt/archives/", "var/lib/apt/lists/")


def walk(root, top):
    """Relative paths below root/top, parents first."""
    base = os.path.join(root, top)
    if os.path.islink(base) or not os.path.isdir(base):
        yield top
        return
    yield top
    for dirpath, dirs, files in os.walk(base):
        dirs.sort()
        rel = os.path.relpath(dirpath, root)
        for n in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
            yield os.path.join(rel, n)
        for d in dirs:
            if not os.path.islink(os.path.join(dirpath, d)):
                yield os.path.join(rel, d)


def add_tree(tf, root, paths):
    for p in paths:
        if any(p.startswith(s) and p != s.rstrip("/") for s in SKIP):
            continue
        tf.add(os.path.join(root, p), arcname=p, recursive=False)


def layer(build):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as tf:
        build(tf)
    return bio.getvalue()


def whiteout(tf, path):
    t = tarfile.TarInfo(os.path.join(os.path.dirname(path), ".wh." + os.path.basename(path)))
    t.mtime = 1700000000
    tf.addfile(t)


def main():
    root, out = sys.argv[1], sys.argv[2]
    top = sorted(os.listdir(root))
    share = "usr/share"

    def l1(tf):
        for t in top:
            if t == "usr":
                tf.add(os.path.join(root, "usr"), arcname="usr", recursive=False)
                for u in sorted(os.listdir(os.path.join(root, "usr"))):
                    if u != "share":
                        add_tree(tf, root, walk(root, "usr/" + u))
            else:
                add_tree(tf, root, walk(root, t))

    def l2(tf):
        add_tree(tf, root, walk(root, share))

    docs = sorted(os.listdir(os.path.join(root, "usr/share/doc")))

    def l3(tf):
        # delete every third package's docs and the man pages of section 8
        tf.add(os.path.join(root, "usr/share/doc"), arcname="usr/share/doc", recursive=False)
        for d in docs[::3]:
            whiteout(tf, "usr/share/doc/" + d)
        whiteout(tf, "usr/share/man/man8")
        # and change some files
        for p in ("etc/passwd", "etc/group", "etc/hostname"):
            data = open(os.path.join(root, p), "rb").read() + b"# changed\n"
            t = tf.gettarinfo(os.path.join(root, p), arcname=p)
            t.size = len(data)
            tf.addfile(t, io.BytesIO(data))

    def l4(tf):
        # usr/share/locale replaced by an opaque directory with a few files
        tf.add(os.path.join(root, "usr/share/locale"), arcname="usr/share/locale",
               recursive=False)
        t = tarfile.TarInfo("usr/share/locale/.wh..wh..opq")
        t.mtime = 1700000000
        tf.addfile(t)
        for keep in ("de", "fr"):
            if os.path.isdir(os.path.join(root, "usr/share/locale", keep)):
                add_tree(tf, root, walk(root, "usr/share/locale/" + keep))

    raws = [layer(b) for b in (l1, l2, l3, l4)]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "blobs/sha256"))
    json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(out, "oci-layout"), "w"))

    def blob(data, mt):
        dg = "sha256:" + hashlib.sha256(data).hexdigest()
        open(os.path.join(out, "blobs/sha256", dg[7:]), "wb").write(data)
        return {"mediaType": mt, "digest": dg, "size": len(data)}

    diff_ids = ["sha256:" + hashlib.sha256(r).hexdigest() for r in raws]
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"Cmd": ["/bin/bash"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
           "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    cdesc = blob(json.dumps(cfg).encode(), "application/vnd.oci.image.config.v1+json")
    index = []
    for how, cmd in (("gzip", ["gzip", "-6", "-n", "-c"]), ("zstd", ["zstd", "-3", "-q", "-c"])):
        layers = []
        for r in raws:
            c = subprocess.run(cmd, input=r, stdout=subprocess.PIPE, check=True).stdout
            layers.append(blob(c, "application/vnd.oci.image.layer.v1.tar+" + how))
        man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
               "config": cdesc, "layers": layers}
        d = blob(json.dumps(man).encode(), "application/vnd.oci.image.manifest.v1+json")
        d["annotations"] = {"org.opencontainers.image.ref.name": how}
        index.append(d)
    json.dump({"schemaVersion": 2, "manifests": index}, open(os.path.join(out, "index.json"), "w"))
    total = sum(len(r) for r in raws)
    print("layers: %s MB uncompressed" % round(total / 1e6, 1))


if __name__ == "__main__":
    main()
