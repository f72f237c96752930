#!/bin/bash
# Build a one-layer busybox image from Debian's busybox-static, as an OCI archive
# (for `ctr image import`) and a `docker save` archive (for `docker load` and
# `podman load`), with tar, sha256sum and jq only. No registry is needed.
# usage: mkimage.sh OUTDIR   -> OUTDIR/busybox-oci.tar OUTDIR/busybox-docker.tar OUTDIR/rootfs/
set -euo pipefail

out=${1:?usage: mkimage.sh OUTDIR}
name=docker.io/library/busybox
tag=berth
bb=/bin/busybox
[ -x "$bb" ] || { echo "mkimage: $bb missing (install busybox-static)" >&2; exit 1; }
file -L "$bb" 2>/dev/null | grep -q 'statically linked' || {
	echo "mkimage: $bb is not static (install busybox-static)" >&2; exit 1; }

mkdir -p "$out"
root=$out/rootfs
rm -rf "$root"
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,root,home/user,var/log,run}
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
cat >"$root/etc/passwd" <<PW
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat >"$root/etc/group" <<GR
root:x:0:
user:x:1000:
nogroup:x:65534:
GR
chown 1000:1000 "$root/home/user"

blobs=$out/layout/blobs/sha256
rm -rf "$out/layout"
mkdir -p "$blobs"
put_blob() { # FILE -> prints hex digest, moves FILE into blobs/
	local hex
	hex=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$blobs/$hex"
	echo "$hex"
}

tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 \
	--format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
	-C "$root" -cf "$out/layer.tar" --exclude=./home/user .
# home/user keeps uid 1000: append it with its real owner.
tar --sort=name --mtime=@0 --numeric-owner --format=posix \
	--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
	-C "$root" -rf "$out/layer.tar" ./home/user
layer_size=$(stat -c %s "$out/layer.tar")
layer=$(put_blob "$out/layer.tar")

jq -n --arg diff "sha256:$layer" '{
  architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
  config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            Cmd: ["sh"], WorkingDir: "/" },
  rootfs: { type: "layers", diff_ids: [$diff] },
  history: [ { created: "1970-01-01T00:00:00Z", created_by: "berth tests/clients/mkimage.sh" } ]
}' >"$out/config.json"
config_size=$(stat -c %s "$out/config.json")
config=$(put_blob "$out/config.json")

jq -n --arg c "sha256:$config" --argjson cs "$config_size" \
	--arg l "sha256:$layer" --argjson ls "$layer_size" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs },
  layers: [ { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls } ]
}' >"$out/manifest.json"
manifest_size=$(stat -c %s "$out/manifest.json")
manifest=$(put_blob "$out/manifest.json")

echo '{"imageLayoutVersion":"1.0.0"}' >"$out/layout/oci-layout"
jq -n --arg m "sha256:$manifest" --argjson ms "$manifest_size" --arg n "$name:$tag" --arg t "$tag" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [ { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
                 platform: { architecture: "amd64", os: "linux" },
                 annotations: { "io.containerd.image.name": $n,
                                "org.opencontainers.image.ref.name": $t } } ]
}' >"$out/layout/index.json"
tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$out/layout" -cf "$out/busybox-oci.tar" .

# docker save format: manifest.json names the config and layers by path.
rm -rf "$out/docker"
mkdir -p "$out/docker/$layer"
cp "$blobs/$config" "$out/docker/$config.json"
cp "$blobs/$layer" "$out/docker/$layer/layer.tar"
echo 1.0 >"$out/docker/$layer/VERSION"
jq -n --arg c "$config.json" --arg l "$layer/layer.tar" --arg n "busybox:$tag" \
	'[ { Config: $c, RepoTags: [$n], Layers: [$l] } ]' >"$out/docker/manifest.json"
jq -n --arg l "$layer" --arg t "$tag" '{ busybox: { ($t): $l } }' >"$out/docker/repositories"
tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$out/docker" -cf "$out/busybox-docker.tar" .
echo "$out/busybox-oci.tar $out/busybox-docker.tar"
