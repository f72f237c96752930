# shellcheck shell=bash
# Helpers to build a payload for run-vm.sh: host binaries go into PAYLOAD/root at their
# host paths, with the shared libraries ldd names for them, so they run unchanged inside
# the VM. Source this file, then:
#
#   payload_add_bin PAYLOAD NAME_OR_PATH...  binaries (a name is looked up in PATH); a
#                                            missing one is skipped with a note on stderr
#   payload_add_libs PAYLOAD FILE...         only the shared libraries of ELF files
#   payload_add_tree PAYLOAD DIR [DEST]      a directory tree (at DEST, default its own path)
#   payload_add_bats PAYLOAD                 bats-core, bash and the tools bats tests use
#   payload_add_python PAYLOAD               Debian's python3 and its standard library

# The host tools the VM offers beyond busybox: bats itself needs the GNU versions of some.
PAYLOAD_TOOLS="bash env cat cp mv rm mkdir rmdir ln ls chmod chown touch mktemp sort uniq
tr head tail wc cut date sleep stat grep sed awk find xargs readlink realpath basename
dirname id tee timeout seq printf test true false nproc du diff cmp kill ps pgrep pkill
jq flock setsid unshare nsenter mount umount findmnt getconf md5sum sha256sum od tar gzip
base64 hostname whoami ip runc zstd xz bzip2 file chroot dd losetup mountpoint pivot_root
setpriv sysctl truncate tty uname sync nice which script groups"

# Copies host file $2 into payload $1's root at the same path, following symlinks. The
# VM's /bin holds busybox; like a merged-/usr host, a program in /usr/bin or /usr/sbin is
# also reachable through /bin or /sbin (#!/bin/bash), and the other way round.
payload_copy_file() {
	local dest=$1/root$2 alias
	mkdir -p "${dest%/*}" && cp -L --remove-destination "$2" "$dest" || return 1
	case $2 in
	/usr/bin/* | /usr/sbin/*) alias=${2#/usr} ;;
	/bin/* | /sbin/*) alias=/usr$2 ;;
	*) return 0 ;;
	esac
	[ -e "$1/root$alias" ] && return 0
	mkdir -p "$1/root${alias%/*}" && ln -sfn "$2" "$1/root$alias"
}

payload_add_libs() {
	local p=$1 f lib
	shift
	for f in "$@"; do
		head -c4 "$f" 2>/dev/null | grep -q 'ELF' || continue
		for lib in $(ldd "$f" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
			[ -e "$p/root$lib" ] || payload_copy_file "$p" "$lib" || return 1
		done
	done
}

payload_add_bin() {
	local p=$1 b path
	shift
	for b in "$@"; do
		case $b in
		/*) path=$b ;;
		*) path=$(command -v "$b" 2>/dev/null) || path= ;;
		esac
		if [ -z "$path" ] || [ ! -f "$path" ]; then
			echo "payload: $b not found on the host, skipped" >&2
			continue
		fi
		payload_copy_file "$p" "$path" && payload_add_libs "$p" "$path" || return 1
	done
}

payload_add_tree() {
	local p=$1 src=$2 dest=${3:-$2}
	mkdir -p "$p/root$dest" && cp -a "$src/." "$p/root$dest/"
}

payload_add_bats() {
	local p=$1 bats
	bats=$(command -v bats) || { echo "payload: bats is not installed" >&2; return 1; }
	payload_add_bin "$p" "$bats" || return 1
	# Debian's bats finds its parts in /usr/lib/bats-core and /usr/libexec/bats-core.
	for d in /usr/lib/bats-core /usr/libexec/bats-core /usr/lib/bats /usr/libexec/bats; do
		[ -d "$d" ] && { payload_add_tree "$p" "$d" || return 1; }
	done
	# shellcheck disable=SC2086
	payload_add_bin "$p" $PAYLOAD_TOOLS 2>/dev/null
	payload_use_static_bash "$p"
	return 0
}

# Debian's python3 (not a pyenv shim) with its standard library, without the parts no test
# uses (test suite, IDLE, tkinter...); compiled modules keep their __pycache__ so nothing is
# compiled under emulation.
payload_add_python() {
	local p=$1 py ver so
	py=$(find /usr/bin -maxdepth 1 -regex '.*/python3\.[0-9]+' | sort -V | tail -n1)
	[ -n "$py" ] || { echo "payload: Debian's python3 is not installed" >&2; return 1; }
	ver=${py##*/}
	payload_add_bin "$p" "$py" || return 1
	ln -sfn "$ver" "$p/root/usr/bin/python3"
	mkdir -p "$p/root/usr/lib/$ver"
	tar -C "/usr/lib/$ver" -c --exclude=./test --exclude=./idlelib --exclude=./tkinter \
		--exclude=./turtledemo --exclude=./ensurepip --exclude=./lib2to3 --exclude=./pydoc_data \
		--exclude='./config-*' --exclude=./site-packages --exclude=./dist-packages . |
		tar -C "$p/root/usr/lib/$ver" -x || return 1
	for so in "$p/root/usr/lib/$ver"/lib-dynload/*.so; do
		payload_add_libs "$p" "$so" || return 1
	done
}

# Replaces the payload's bash with Debian's bash-static (the same bash, linked statically):
# bats starts bash several times a test, and under emulation the dynamic loader makes each
# start several times slower (measured: exec of a dynamic binary ~24 ms, static ~5 ms).
# Keeps the dynamic bash when bash-static cannot be had.
payload_use_static_bash() {
	local p=$1 dir
	# shellcheck source=fetch.sh
	. "$(dirname "${BASH_SOURCE[0]}")/fetch.sh"
	dir=$(vm_unpack_deb bash-static bash-static 2>/dev/null) && [ -x "$dir/bin/bash-static" ] ||
		{ echo "payload: bash-static not available, keeping the dynamic bash" >&2; return 0; }
	cp --remove-destination "$dir/bin/bash-static" "$p/root/usr/bin/bash"
}
