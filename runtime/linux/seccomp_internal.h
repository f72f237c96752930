/* What the seccomp files share: a compiled filter program and the steps
 * that make one (compile, ENOSYS stub, cache). Not for use outside
 * runtime/linux/seccomp*.c and their tests. */
#ifndef BERTH_SECCOMP_INTERNAL_H
#define BERTH_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "sha256_plain.h"

/* The kernel's limit on a classic BPF program (BPF_MAXINSNS). */
#define SECCOMP_PROG_MAX_INSNS 4096

/* A filter ready for seccomp(SECCOMP_SET_MODE_FILTER). */
struct seccomp_prog {
        struct sock_filter *insns;
        size_t len;
        unsigned long load_flags; /* SECCOMP_FILTER_FLAG_* to load with */
        bool from_cache;
};

void seccomp_prog_free(struct seccomp_prog *p);

/* SECCOMP_FILTER_FLAG_* for SC: its flags, plus NEW_LISTENER when a rule
 * uses SCMP_ACT_NOTIFY (and TSYNC_ESRCH when that meets TSYNC). */
unsigned long seccomp_load_flags(const struct oci_seccomp *sc);

/* Connect to sc->listener_path (a path longer than sun_path goes through
 * its directory's fd). */
int seccomp_listener_connect(const struct oci_seccomp *sc, struct berr *err);

/* Send the message for NOTIFY_FD on SOCK. */
int seccomp_send_on(int sock, const struct oci_seccomp *sc, int notify_fd, const char *state_json,
                    struct berr *err);

/* Check what the kernel and libseccomp cannot take, naming the field. */
int seccomp_check(const struct oci_seccomp *sc, struct berr *err);

/* Compile SC with libseccomp and prepend the ENOSYS stub: no file access. */
int seccomp_compile(const struct oci_seccomp *sc, struct seccomp_prog *out, struct berr *err);

/* Per-architecture highest syscall number the profile names, as the stub
 * needs it. audit_arch is AUDIT_ARCH_*; x32 shares x86_64's audit arch and
 * gets its own maximum (numbers with bit 30 set). */
struct seccomp_arch_max {
        uint32_t audit_arch;
        int64_t max;     /* -1: the profile names no syscall of this arch */
        int64_t x32_max; /* x86_64 only; -1 when x32 is not in the filter */
};

/* Build the stub that returns ENOSYS for syscall numbers above each arch's
 * maximum and falls through to the filter otherwise. *out is malloc'd. */
int seccomp_enosys_stub(const struct seccomp_arch_max *arches, size_t n, struct sock_filter **out,
                        size_t *out_len, struct berr *err);

/* Does the profile want the stub? (Not for permissive default actions, nor
 * when the default errno is already ENOSYS; runc decides the same way.) */
bool seccomp_wants_enosys_stub(const struct oci_seccomp *sc);

/* The cache key: SHA-256 over berth's and libseccomp's versions, the
 * native arch and SC->json. Fails (-ENODATA) when SC has no json. */
int seccomp_cache_key(const struct oci_seccomp *sc, uint8_t key[SHA256_PLAIN_SIZE],
                      struct berr *err);

/* The cache keeps this many programs, dropping the least recently used. */
#define SECCOMP_CACHE_MAX_ENTRIES 64

/* Load the program for KEY from DIR: -ENOENT when absent; -EBADMSG when the
 * file is damaged or tampered with (the caller recompiles and rewrites it). */
int seccomp_cache_load(const char *dir, const uint8_t key[SHA256_PLAIN_SIZE],
                       struct seccomp_prog *out, struct berr *err);

/* Store P under KEY in DIR (created 0700 if missing), atomically. */
int seccomp_cache_store(const char *dir, const uint8_t key[SHA256_PLAIN_SIZE],
                        const struct seccomp_prog *p, struct berr *err);

/* Load P into the kernel for this thread (or all threads with TSYNC).
 * *notify_fd gets the listener fd when P has NEW_LISTENER, else -1. */
int seccomp_load_prog(const struct seccomp_prog *p, int *notify_fd, struct berr *err);

/* The program seccomp_prepare() kept, or NULL (for tests). */
const struct seccomp_prog *seccomp_prepared_prog(void);

#endif
