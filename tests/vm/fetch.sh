# shellcheck shell=bash disable=SC2034 # the variables set here are used by run-vm.sh
# Fetches what the VM test tier boots: a Debian kernel, busybox-static and qemu.
# Sourced by run-vm.sh. Everything lands in a git-ignored cache folder; only qemu is
# installed system-wide (or, without root or when apt-get install fails, unpacked into
# the cache). Each vm_fetch_* function sets variables and returns non-zero with a reason
# in VM_UNAVAILABLE when the piece cannot be had.

# The kernel package that Debian 12's linux-image-amd64 depends on. Old ABI packages
# leave the archive: when this one is gone, the current dependency of linux-image-amd64
# is used instead (with a warning), so bump this pin when that happens.
VM_KERNEL_PKG=${BERTH_VM_KERNEL_PKG:-linux-image-6.1.0-56-amd64}
VM_CACHE=${BERTH_VM_CACHE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.cache}
VM_UNAVAILABLE=

vm_log() { echo "run-vm: $*" >&2; }

vm_apt_updated=
# Runs apt-get update once per run (a fresh machine may have no or stale lists).
vm_apt_update() {
	[ -n "$vm_apt_updated" ] && return 0
	vm_apt_updated=1
	vm_log "apt-get update"
	apt-get update -qq >/dev/null 2>&1 || [ "$(id -u)" != 0 ]
}

# Downloads Debian package $1 into $VM_CACHE/debs (once) and prints the .deb's path.
vm_download_deb() {
	local pkg=$1 deb
	mkdir -p "$VM_CACHE/debs"
	deb=$(ls "$VM_CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		(cd "$VM_CACHE/debs" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
			{ vm_apt_update && (cd "$VM_CACHE/debs" && apt-get download -q "$pkg" >/dev/null 2>&1); } ||
			return 1
		deb=$(ls "$VM_CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
	fi
	[ -n "$deb" ] && echo "$deb"
}

# Unpacks package $1 into $VM_CACHE/$2 (once). Prints the folder.
vm_unpack_deb() {
	local pkg=$1 dir=$VM_CACHE/$2 deb
	if [ ! -e "$dir/.unpacked" ]; then
		deb=$(vm_download_deb "$pkg") || return 1
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg -x "$deb" "$dir" || return 1
		touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# Extracts the ELF vmlinux from bzImage $1 into $2: the payload is an xz stream inside the
# image; the first offset whose stream decompresses to an ELF file wins.
vm_extract_vmlinux() {
	local bz=$1 out=$2 off
	for off in $(LC_ALL=C grep -aboP '\xFD7zXZ\x00' "$bz" | cut -d: -f1); do
		tail -c "+$((off + 1))" "$bz" | xz -dc --single-stream >"$out.tmp" 2>/dev/null
		if [ "$(head -c4 "$out.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	return 1
}

# Sets VM_KERNEL (vmlinux, or bzImage when extraction failed), VM_KVER and VM_MODDIR.
vm_fetch_kernel() {
	local pkg=$VM_KERNEL_PKG dir bz
	if ! dir=$(vm_unpack_deb "$pkg" "kernel-$pkg"); then
		local dep
		dep=$(vm_apt_update; apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
		if [ -z "$dep" ] || [ "$dep" = "$pkg" ]; then
			VM_UNAVAILABLE="cannot download kernel package $pkg"
			return 1
		fi
		vm_log "warning: $pkg is no longer in the archive; using $dep (update VM_KERNEL_PKG in tests/vm/fetch.sh)"
		pkg=$dep
		dir=$(vm_unpack_deb "$pkg" "kernel-$pkg") ||
			{ VM_UNAVAILABLE="cannot download kernel package $pkg"; return 1; }
	fi
	bz=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -n "$bz" ] || { VM_UNAVAILABLE="no boot/vmlinuz-* in $pkg"; return 1; }
	VM_KVER=${bz##*/vmlinuz-}
	VM_MODDIR=$dir/lib/modules/$VM_KVER
	VM_KERNEL=$dir/vmlinux
	if [ ! -s "$VM_KERNEL" ] && ! vm_extract_vmlinux "$bz" "$VM_KERNEL"; then
		vm_log "warning: could not extract vmlinux from $bz; booting the bzImage (slower)"
		VM_KERNEL=$bz
	fi
}

# Sets VM_BUSYBOX to a static busybox from Debian's busybox-static.
vm_fetch_busybox() {
	local dir
	dir=$(vm_unpack_deb busybox-static busybox-static) ||
		{ VM_UNAVAILABLE="cannot download busybox-static"; return 1; }
	VM_BUSYBOX=$dir/bin/busybox
	[ -x "$VM_BUSYBOX" ] || { VM_UNAVAILABLE="no bin/busybox in busybox-static"; return 1; }
}

# Unpacks qemu-system-x86 and the libraries it needs that the host lacks into the cache,
# for machines where it cannot be installed. Sets VM_QEMU and the arrays VM_QEMU_ENV
# (environment) and VM_QEMU_ARGS (firmware search path).
vm_unpack_qemu() {
	local root=$VM_CACHE/qemu-root pkg deb missing
	if [ ! -e "$root/.unpacked" ]; then
		rm -rf "$root" && mkdir -p "$root"
		for pkg in qemu-system-x86 qemu-system-common qemu-system-data seabios \
			$(apt-cache depends qemu-system-x86 2>/dev/null | sed -n 's/^ *Depends: \(lib[^<>]*\)$/\1/p'); do
			case $pkg in lib*) dpkg -s "$pkg" >/dev/null 2>&1 && continue ;; esac
			deb=$(vm_download_deb "$pkg") || return 1
			dpkg -x "$deb" "$root" || return 1
		done
		touch "$root/.unpacked"
	fi
	VM_QEMU=$root/usr/bin/qemu-system-x86_64
	VM_QEMU_ENV=("LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu"
		"QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu")
	VM_QEMU_ARGS=(-L "$root/usr/share/qemu" -L "$root/usr/share/seabios")
	missing=$(env "${VM_QEMU_ENV[@]}" ldd "$VM_QEMU" 2>/dev/null | grep 'not found')
	[ -z "$missing" ] && [ -x "$VM_QEMU" ]
}

# Sets VM_QEMU (and VM_QEMU_ENV, VM_QEMU_ARGS when it runs from the cache).
vm_fetch_qemu() {
	VM_QEMU_ENV=() VM_QEMU_ARGS=()
	if [ -z "${BERTH_VM_QEMU_UNPACK:-}" ]; then
		VM_QEMU=$(command -v qemu-system-x86_64) && return 0
		if [ "$(id -u)" = 0 ]; then
			vm_log "installing qemu-system-x86"
			{ apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null 2>&1 ||
				{ vm_apt_update && apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null 2>&1; }; } &&
				VM_QEMU=$(command -v qemu-system-x86_64) && return 0
		fi
	fi
	vm_log "unpacking qemu-system-x86 into $VM_CACHE/qemu-root"
	vm_unpack_qemu && return 0
	VM_UNAVAILABLE="qemu-system-x86 can be neither installed nor unpacked"
	return 1
}

# Fetches everything, holding a lock on the cache so that parallel runs do not race.
vm_fetch_all() {
	local rc
	mkdir -p "$VM_CACHE" 2>/dev/null && exec {vm_lock_fd}>"$VM_CACHE/.lock" ||
		{ VM_UNAVAILABLE="cannot create $VM_CACHE"; return 1; }
	flock "$vm_lock_fd"
	vm_fetch_qemu && vm_fetch_busybox && vm_fetch_kernel
	rc=$?
	exec {vm_lock_fd}>&-
	return $rc
}
