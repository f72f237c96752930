#!/bin/sh
# Install the Debian packages berth needs to build and test, when missing.
# Idempotent: does nothing when everything is there. Needs root to install.
set -eu

# One package a line; components append their own.
PACKAGES="
build-essential
pkg-config
libseccomp-dev
libcap-dev
libyajl-dev
libarchive-dev
libssl-dev
libcmocka-dev
bats
clang
libclang-rt-14-dev
busybox-static
jq
golang-github-containers-common
libsystemd-dev
python3
umoci
skopeo
zstd
bsdutils
bc
debootstrap
time
libisal-dev
"

missing=""
for p in $PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
        esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
        echo "deps: missing Debian packages:$missing" >&2
        echo "deps: run as root (or: sudo apt-get install$missing)" >&2
        exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
