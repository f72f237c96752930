#!/usr/bin/env python3
"""Build test images for berth-unpack from local material, one scenario a
call: mkimage.py SCENARIO OUT. OUT becomes an OCI layout directory (or, for
the archive scenarios, a tar file). Hostile scenarios build images that a
careful unpacker must refuse. Nothing is downloaded."""
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zlib

BUSYBOX = "/bin/busybox"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}
MTIME = 1700000000


# ---- tar entries ----------------------------------------------------------

def ti(name, type_=tarfile.REGTYPE, mode=0o644, uid=0, gid=0, size=0):
    t = tarfile.TarInfo(name)
    t.type = type_
    t.mode = mode
    t.uid, t.gid = uid, gid
    t.mtime = MTIME
    t.size = size
    return t


def f(name, data=b"", mode=0o644, uid=0, gid=0, xattrs=None):
    if isinstance(data, str):
        data = data.encode()
    t = ti(name, mode=mode, uid=uid, gid=gid, size=len(data))
    if xattrs:
        t.pax_headers = {"SCHILY.xattr." + k: v for k, v in xattrs.items()}
    return (t, data)


def d(name, mode=0o755, uid=0, gid=0):
    return (ti(name, tarfile.DIRTYPE, mode, uid, gid), None)


def sl(name, target):
    t = ti(name, tarfile.SYMTYPE, 0o777)
    t.linkname = target
    return (t, None)


def hl(name, target):
    t = ti(name, tarfile.LNKTYPE)
    t.linkname = target
    return (t, None)


def dev(name, kind, major, minor, mode=0o666):
    t = ti(name, kind, mode)
    t.devmajor, t.devminor = major, minor
    return (t, None)


def wh(name):
    return f(name)


def busybox_entries():
    data = open(BUSYBOX, "rb").read()
    out = [d("bin"), f("bin/busybox", data, 0o755)]
    for a in ("sh", "echo", "cat", "ls", "id", "true"):
        out.append(sl("bin/" + a, "busybox"))
    out += [d("etc"),
            f("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
              "app:x:1000:1000:app:/home/app:/bin/sh\n"),
            f("etc/group", "root:x:0:\napp:x:1000:\nextra:x:2000:app\nother:x:3000:root\n")]
    return out


def tar_bytes(entries, fmt=tarfile.PAX_FORMAT):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=fmt) as tf:
        for t, data in entries:
            tf.addfile(t, io.BytesIO(data) if data is not None else None)
    return bio.getvalue()


def compress(raw, how):
    if how == "none":
        return raw
    if how == "gzip":
        return gzip.compress(raw, 6, mtime=0)
    if how == "zstd":
        return subprocess.run(["zstd", "-q", "-3", "-c"], input=raw, stdout=subprocess.PIPE,
                              check=True).stdout
    raise ValueError(how)


# ---- OCI layout -----------------------------------------------------------

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


class Layout:
    def __init__(self, out):
        self.out = out
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(os.path.join(out, "blobs", "sha256"))
        with open(os.path.join(out, "oci-layout"), "w") as fp:
            json.dump({"imageLayoutVersion": "1.0.0"}, fp)
        self.index = []

    def blob(self, data, mt):
        dg = sha(data)
        with open(os.path.join(self.out, "blobs", "sha256", dg[7:]), "wb") as fp:
            fp.write(data)
        return {"mediaType": mt, "digest": dg, "size": len(data)}

    def image(self, layers, config=None, arch="amd64", how="gzip", mt=None):
        """layers: lists of entries, or raw tar bytes. Returns the manifest
        descriptor."""
        descs, diffs = [], []
        for l in layers:
            raw = l if isinstance(l, bytes) else tar_bytes(l)
            diffs.append(sha(raw))
            descs.append(self.blob(compress(raw, how), mt or MT_LAYER[how]))
        cfg = {"architecture": arch, "os": "linux",
               "config": config if config is not None else {"Cmd": ["/bin/echo", "hello"]},
               "rootfs": {"type": "layers", "diff_ids": diffs}}
        cdesc = self.blob(json.dumps(cfg).encode(), MT_CONFIG)
        man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cdesc, "layers": descs}
        return self.blob(json.dumps(man).encode(), MT_MANIFEST)

    def tag(self, desc, name=None, platform=None):
        desc = dict(desc)
        if name:
            desc["annotations"] = {"org.opencontainers.image.ref.name": name}
        if platform:
            desc["platform"] = platform
        self.index.append(desc)

    def write(self):
        with open(os.path.join(self.out, "index.json"), "w") as fp:
            json.dump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": self.index}, fp)


def simple(out, layers, how="gzip", config=None, name="latest"):
    lay = Layout(out)
    lay.tag(lay.image(layers, config, how=how), name)
    lay.write()
    return lay


# ---- archives -------------------------------------------------------------

def tar_dir(src, dst):
    with tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tf:
        for name in sorted(os.listdir(src)):
            tf.add(os.path.join(src, name), arcname=name)


def docker_save(layout, dst, repo_tags, old=True):
    """A docker save archive of the first image of LAYOUT: old style
    (<id>/layer.tar, <hex>.json) or new (blobs/sha256 paths)."""
    idx = json.load(open(os.path.join(layout, "index.json")))
    man = json.load(open(os.path.join(layout, "blobs/sha256", idx["manifests"][0]["digest"][7:])))
    cfg_hex = man["config"]["digest"][7:]
    work = dst + ".d"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    layers = []
    for l in man["layers"]:
        data = open(os.path.join(layout, "blobs/sha256", l["digest"][7:]), "rb").read()
        if l["mediaType"].endswith("gzip"):
            data = gzip.decompress(data)
        h = hashlib.sha256(data).hexdigest()
        if old:
            os.makedirs(os.path.join(work, h))
            path = h + "/layer.tar"
            with open(os.path.join(work, h, "VERSION"), "w") as fp:
                fp.write("1.0")
        else:
            os.makedirs(os.path.join(work, "blobs/sha256"), exist_ok=True)
            path = "blobs/sha256/" + h
        with open(os.path.join(work, path), "wb") as fp:
            fp.write(data)
        layers.append(path)
    cfg = open(os.path.join(layout, "blobs/sha256", cfg_hex), "rb").read()
    cpath = cfg_hex + ".json" if old else "blobs/sha256/" + cfg_hex
    os.makedirs(os.path.dirname(os.path.join(work, cpath)), exist_ok=True)
    with open(os.path.join(work, cpath), "wb") as fp:
        fp.write(cfg)
    with open(os.path.join(work, "manifest.json"), "w") as fp:
        json.dump([{"Config": cpath, "RepoTags": repo_tags, "Layers": layers}], fp)
    with open(os.path.join(work, "repositories"), "w") as fp:
        json.dump({}, fp)
    tar_dir(work, dst)
    shutil.rmtree(work)


# ---- the gzip bomb, made by streaming -----------------------------------

def deflate_segment(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def gzip_bomb(path, files, file_size):
    """A gzip'd tar of FILES files of FILE_SIZE zero bytes each, written by
    repeating one compressed MiB of zeros: the blob is small, the tar
    behind it never exists anywhere."""
    mib = 1 << 20
    zero = deflate_segment(b"\0" * mib)
    h = hashlib.sha256()
    with open(path, "wb") as fp:
        def put(b):
            h.update(b)
            fp.write(b)
        put(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
        for i in range(files):
            t = ti("bomb%d" % i, size=file_size)
            put(deflate_segment(t.tobuf(tarfile.GNU_FORMAT)))
            for _ in range(file_size // mib):
                put(zero)
        put(b"\x03\x00" + struct.pack("<II", 0, 0))
    return "sha256:" + h.hexdigest(), os.path.getsize(path)


# ---- scenarios ------------------------------------------------------------

def sc_basic(out, how="gzip"):
    """Three layers: busybox; whiteouts, opaque dir, hardlinks, xattrs,
    devices, modes, owners; file->dir and dir->file replacement."""
    l1 = busybox_entries() + [
        d("data"), f("data/keep", "keep\n"), f("data/gone", "gone\n"),
        d("data/olddir"), f("data/olddir/x", "x\n"),
        d("opq"), f("opq/lower1", "1\n"), d("opq/sub"), f("opq/sub/lower2", "2\n"),
        f("becomes_dir", "file\n"), d("becomes_file"), f("becomes_file/inner", "i\n"),
        d("tmp", 0o1777),
        d("sgiddir", 0o2775, 0, 1000), f("sgiddir/f", "root owned\n"), d("sgiddir/sub"),
    ]
    l2 = [
        d("data"), wh("data/.wh.gone"), wh("data/.wh.olddir"),
        f("opq/new_before", "nb\n"), d("opq"), wh("opq/.wh..wh..opq"), f("opq/new_after", "na\n"),
        d("becomes_dir"), f("becomes_dir/now", "dir now\n"),
        f("becomes_file", "file now\n"),
        f("bin/suid", "#!/bin/sh\n", 0o4755), f("bin/sgid", "s\n", 0o2711, 1000, 2000),
        f("owned", "o\n", 0o640, 1000, 1000),
        f("hl_src", "shared\n"), hl("hl_dst", "hl_src"), hl("data/hl2", "bin/busybox"),
        f("cap", "c\n", 0o755, xattrs={"security.capability":
                                        "\x01\x00\x00\x02\x00\x04\x00\x00\x00\x00\x00\x00"
                                        "\x00\x00\x00\x00\x00\x00\x00\x00",
                                        "user.note": "hello"}),
        d("dev"), dev("dev/null", tarfile.CHRTYPE, 1, 3), dev("dev/loopx", tarfile.BLKTYPE, 7, 99),
        dev("fifo", tarfile.FIFOTYPE, 0, 0, 0o600),
        sl("abs_link", "/etc/passwd"), sl("rel_link", "../../etc/group"),
    ]
    l3 = [wh(".wh.hl_dst"), f("data/keep", "keep v3\n", 0o600)]
    simple(out, [l1, l2, l3], how,
           config={"Cmd": ["/bin/echo", "hello"], "Entrypoint": ["/bin/busybox"],
                   "Env": ["FOO=bar"], "WorkingDir": "/data", "User": "app",
                   "StopSignal": "SIGQUIT", "Labels": {"com.example.l": "v"},
                   "ExposedPorts": {"80/tcp": {}, "53/udp": {}}})


def sc_tags(out):
    lay = Layout(out)
    a = lay.image([busybox_entries() + [f("which", "a\n")]])
    b = lay.image([busybox_entries() + [f("which", "b\n")]])
    lay.tag(a, "alpha")
    lay.tag(b, "beta")
    lay.write()


def sc_platforms(out):
    lay = Layout(out)
    amd = lay.image([busybox_entries() + [f("arch", "amd64\n")]], arch="amd64")
    arm = lay.image([busybox_entries() + [f("arch", "arm64\n")]], arch="arm64")
    amd = dict(amd, platform={"os": "linux", "architecture": "amd64"})
    arm = dict(arm, platform={"os": "linux", "architecture": "arm64", "variant": "v8"})
    ix = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [amd, arm]}
    idesc = lay.blob(json.dumps(ix).encode(), MT_INDEX)
    lay.tag(idesc, "multi")
    lay.write()


def sc_user(out):
    simple(out, [busybox_entries()], config={"Cmd": ["/bin/id"], "User": "1000:extra"})


def sc_gzip_members(out):
    """A layer of two concatenated gzip members, as `cat a.gz b.gz` makes."""
    lay = Layout(out)
    raw = tar_bytes(busybox_entries() + [f("multi", "member\n")])
    half = len(raw) // 2
    gz = gzip.compress(raw[:half], 6, mtime=0) + gzip.compress(raw[half:], 1, mtime=0)
    ldesc = lay.blob(gz, MT_LAYER["gzip"])
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": [sha(raw)]}}
    cdesc = lay.blob(json.dumps(cfg).encode(), MT_CONFIG)
    man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cdesc, "layers": [ldesc]}
    lay.tag(lay.blob(json.dumps(man).encode(), MT_MANIFEST), "latest")
    lay.write()


def hostile(out, entries_layers):
    simple(out, entries_layers)


def sc_dotdot(out):
    hostile(out, [[f("ok", "x"), f("a/../../escape", "pwned\n")]])


def sc_absolute(out):
    hostile(out, [[f("/abs_escape", "pwned\n")]])


def sc_symlink_write(out):
    hostile(out, [[sl("evil", "../../../../../../tmp"), f("evil/berth-unpack-pwned", "x")]])


def sc_symlink_chain(out):
    hostile(out, [[sl("a", "b"), sl("b", "c"), sl("c", "/../../../../tmp"),
                   f("a/berth-unpack-pwned", "x")]])


def sc_symlink_later(out):
    """The symlink in a lower layer, the write through it in an upper one."""
    hostile(out, [[sl("etc", "/../../../../tmp")], [f("etc/berth-unpack-pwned", "x")]])


def sc_hardlink_outside(out):
    hostile(out, [[hl("link", "../../../../etc/passwd")]])


def sc_hardlink_symlinked_dir(out):
    hostile(out, [[sl("up", "/../../../../etc"), hl("link", "up/passwd")]])


def sc_whiteout_dotdot(out):
    hostile(out, [[f("x", "x")], [wh("x/.wh..."), wh("sub/.wh..")]])


def sc_whiteout_symlink_dir(out):
    hostile(out, [[sl("dir", "/../../../../tmp")], [wh("dir/.wh.victim")]])


def sc_long_name(out):
    name = "/".join(["d" * 200] * 25)  # about 5000 bytes
    hostile(out, [[f(name, "x")]])


def sc_long_component(out):
    hostile(out, [[f("a" * 300, "x")]])


def first_layer_path(out):
    idx = json.load(open(os.path.join(out, "index.json")))
    man = json.load(open(os.path.join(out, "blobs/sha256", idx["manifests"][0]["digest"][7:])))
    return man, os.path.join(out, "blobs/sha256", man["layers"][0]["digest"][7:])


def sc_digest_mismatch(out):
    simple(out, [busybox_entries()])
    _, p = first_layer_path(out)
    data = bytearray(open(p, "rb").read())
    data[len(data) // 2] ^= 0xff
    open(p, "wb").write(bytes(data))


def sc_truncated(out):
    """A layer cut short, with its descriptor telling the truth about the
    short blob: only decompression can find out."""
    lay = Layout(out)
    raw = tar_bytes(busybox_entries())
    gz = gzip.compress(raw, 6, mtime=0)
    short = gz[: len(gz) // 2]
    ldesc = lay.blob(short, MT_LAYER["gzip"])
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": [sha(raw)]}}
    cdesc = lay.blob(json.dumps(cfg).encode(), MT_CONFIG)
    man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cdesc, "layers": [ldesc]}
    lay.tag(lay.blob(json.dumps(man).encode(), MT_MANIFEST), "latest")
    lay.write()


def sc_missing_blob(out):
    simple(out, [busybox_entries(), [f("x", "x")]])
    idx = json.load(open(os.path.join(out, "index.json")))
    man = json.load(open(os.path.join(out, "blobs/sha256", idx["manifests"][0]["digest"][7:])))
    os.unlink(os.path.join(out, "blobs/sha256", man["layers"][1]["digest"][7:]))


def sc_invalid_json(out):
    lay = Layout(out)
    bad = b'{"schemaVersion": 2, "config": {'
    lay.tag(lay.blob(bad, MT_MANIFEST), "latest")
    lay.write()


def sc_lying_media_type(out):
    """The descriptor says zstd, the blob is gzip."""
    lay = Layout(out)
    lay.tag(lay.image([busybox_entries()], how="gzip", mt=MT_LAYER["zstd"]), "latest")
    lay.write()


def sc_lying_manifest_type(out):
    """index.json calls a manifest an index."""
    lay = Layout(out)
    m = lay.image([busybox_entries()])
    lay.tag(dict(m, mediaType=MT_INDEX), "latest")
    lay.write()


def sc_foreign(out):
    lay = Layout(out)
    lay.tag(lay.image([[f("x", "x")]], how="gzip",
                      mt="application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"),
            "latest")
    lay.write()


def bomb_image(out, files, size):
    lay = Layout(out)
    tmp = os.path.join(out, "bomb.tmp")
    dg, n = gzip_bomb(tmp, files, size)
    os.rename(tmp, os.path.join(out, "blobs/sha256", dg[7:]))
    ldesc = {"mediaType": MT_LAYER["gzip"], "digest": dg, "size": n}
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}
    cdesc = lay.blob(json.dumps(cfg).encode(), MT_CONFIG)
    man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cdesc, "layers": [ldesc]}
    lay.tag(lay.blob(json.dumps(man).encode(), MT_MANIFEST), "latest")
    lay.write()


def sc_bomb_one_file(out):
    bomb_image(out, 1, 4 << 30)


def sc_bomb_many_files(out):
    bomb_image(out, 64, 64 << 20)


SCENARIOS = {
    "basic": sc_basic,
    "basic-zstd": lambda o: sc_basic(o, "zstd"),
    "basic-plain": lambda o: sc_basic(o, "none"),
    "tags": sc_tags,
    "platforms": sc_platforms,
    "user": sc_user,
    "gzip-members": sc_gzip_members,
    "dotdot": sc_dotdot,
    "absolute": sc_absolute,
    "symlink-write": sc_symlink_write,
    "symlink-chain": sc_symlink_chain,
    "symlink-later": sc_symlink_later,
    "hardlink-outside": sc_hardlink_outside,
    "hardlink-symlinked-dir": sc_hardlink_symlinked_dir,
    "whiteout-dotdot": sc_whiteout_dotdot,
    "whiteout-symlink-dir": sc_whiteout_symlink_dir,
    "long-name": sc_long_name,
    "long-component": sc_long_component,
    "digest-mismatch": sc_digest_mismatch,
    "truncated": sc_truncated,
    "missing-blob": sc_missing_blob,
    "invalid-json": sc_invalid_json,
    "lying-media-type": sc_lying_media_type,
    "lying-manifest-type": sc_lying_manifest_type,
    "foreign": sc_foreign,
    "bomb-one-file": sc_bomb_one_file,
    "bomb-many-files": sc_bomb_many_files,
}


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "oci-archive":
        tar_dir(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) >= 5 and sys.argv[1] in ("docker-old", "docker-new"):
        docker_save(sys.argv[2], sys.argv[3], sys.argv[4:], old=sys.argv[1] == "docker-old")
        return
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        sys.exit("usage: mkimage.py SCENARIO OUT | oci-archive DIR TAR | "
                 "docker-old|docker-new LAYOUT TAR REPO:TAG...\nscenarios: " +
                 " ".join(SCENARIOS))
    SCENARIOS[sys.argv[1]](sys.argv[2])


if __name__ == "__main__":
    main()
