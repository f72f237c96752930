/* seccomp_prepare() and seccomp_apply(): where the filter comes from
 * (prepared in the launcher, from the cache or compiled) and how it is
 * loaded (seccomp(2) with the profile's flags, the very last step before
 * execve). */
#include <errno.h>
#include <stdint.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "seccomp.h"
#include "seccomp_internal.h"

/* The program seccomp_prepare() made, for the profile it was made from.
 * A forked child inherits it; seccomp_apply() then only loads it. */
static struct {
        const struct oci_seccomp *sc;
        uint64_t fingerprint;
        struct seccomp_prog prog;
        int listener; /* connected to listenerPath, or -1 */
} prepared = {.listener = -1};

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
        const unsigned char *p = data;

        for (size_t i = 0; i < len; i++)
                h = (h ^ p[i]) * 0x100000001b3ull;
        return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
        return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

/* What the profile says, so that a profile freed and another allocated at
 * the same address is never taken for the prepared one. */
static uint64_t profile_fingerprint(const struct oci_seccomp *sc)
{
        uint64_t h = 0xcbf29ce484222325ull;

        h = fnv(h, &sc->default_action, sizeof(sc->default_action));
        h = fnv(h, &sc->default_errno_ret, sizeof(sc->default_errno_ret));
        h = fnv(h, &sc->flags, sizeof(sc->flags));
        h = fnv_str(h, sc->listener_path);
        for (size_t i = 0; i < sc->architectures.len; i++)
                h = fnv_str(h, sc->architectures.items[i]);
        for (size_t i = 0; i < sc->n_syscalls; i++) {
                const struct oci_seccomp_syscall *s = &sc->syscalls[i];

                h = fnv(h, &s->action, sizeof(s->action));
                h = fnv(h, &s->errno_ret, sizeof(s->errno_ret));
                for (size_t n = 0; n < s->names.len; n++)
                        h = fnv_str(h, s->names.items[n]);
                for (size_t a = 0; a < s->n_args; a++)
                        h = fnv(h, &s->args[a], sizeof(s->args[a]));
        }
        return h;
}

static void forget_prepared(void)
{
        seccomp_prog_free(&prepared.prog);
        prepared.listener = safe_close(prepared.listener);
        prepared.sc = NULL;
}

void seccomp_drop_prepared(void)
{
        forget_prepared();
}

int seccomp_listener_fd(void)
{
        return prepared.listener;
}

/* Is FD still our socket to PATH (and not a number reused since)? */
static bool still_connected_to(int fd, const char *path)
{
        struct sockaddr_un peer;
        socklen_t len = sizeof(peer);

        memset(&peer, 0, sizeof(peer));
        if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0 || peer.sun_family != AF_UNIX)
                return false;
        /* A long path was reached through /proc/self/fd/N/...: the kernel
         * reports the name the listener bound, which we cannot rebuild. */
        if (strlen(path) >= sizeof(peer.sun_path))
                return true;
        return strncmp(peer.sun_path, path, sizeof(peer.sun_path)) == 0;
}

int seccomp_send_to_listener(const struct oci_seccomp *sc, int notify_fd, const char *state_json,
                             struct berr *err)
{
        _cleanup_close_ int sock = -1;

        if (prepared.sc == sc && prepared.listener >= 0) {
                sock = steal_fd(&prepared.listener);
                if (!still_connected_to(sock, sc->listener_path))
                        return berr_fail(err, EBADF,
                                         "seccomp listener %s: the socket connected before "
                                         "clone was closed in the container",
                                         sc->listener_path);
        } else {
                sock = seccomp_listener_connect(sc, err);
        }
        if (sock < 0)
                return sock;
        return seccomp_send_on(sock, sc, notify_fd, state_json, err);
}

const struct seccomp_prog *seccomp_prepared_prog(void)
{
        return prepared.sc ? &prepared.prog : NULL;
}

int seccomp_prepare(const struct oci_seccomp *sc, const char *cache_dir, struct berr *err)
{
        uint8_t key[SHA256_PLAIN_SIZE];
        struct seccomp_prog p = {0};
        bool use_cache = false;
        int r;

        r = seccomp_check(sc, err);
        if (r < 0)
                return r;
        if (cache_dir && sc->json) {
                r = seccomp_cache_key(sc, key, err);
                use_cache = r == 0;
        }
        if (use_cache) {
                r = seccomp_cache_load(cache_dir, key, &p, err);
                if (r == 0) {
                        log_debug("seccomp: filter from the cache (%zu instructions)", p.len);
                        goto done;
                }
                if (r == -EBADMSG || r == -EPERM) /* tampered with, or not ours */
                        log_warn("%s; compiling the filter again", err->msg);
                else if (r != -ENOENT)
                        log_debug("%s; compiling the filter", err->msg);
                berr_clear(err);
        }
        r = seccomp_compile(sc, &p, err);
        if (r < 0)
                return r;
        log_debug("seccomp: compiled the filter (%zu instructions)", p.len);
        if (use_cache && seccomp_cache_store(cache_dir, key, &p, err) < 0) {
                /* A cache that cannot be written costs time, not safety. */
                log_debug("%s", err->msg);
                berr_clear(err);
        }
done:
        if (seccomp_uses_notify(sc)) {
                /* Reach the listener now: after pivot_root its path would
                 * name a socket inside the container. */
                int sock = seccomp_listener_connect(sc, err);

                if (sock < 0) {
                        seccomp_prog_free(&p);
                        return sock;
                }
                forget_prepared();
                prepared.listener = sock;
        } else {
                forget_prepared();
        }
        prepared.sc = sc;
        prepared.fingerprint = profile_fingerprint(sc);
        prepared.prog = p;
        return 0;
}

int seccomp_load_prog(const struct seccomp_prog *p, int *notify_fd, struct berr *err)
{
        struct sock_fprog fprog = {.len = (unsigned short)p->len, .filter = p->insns};
        long r;

        *notify_fd = -1;
        r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->load_flags, &fprog);
        if (r < 0) {
                if (errno == EACCES)
                        return berr_sys(err, "load seccomp filter (needs no_new_privs or "
                                             "CAP_SYS_ADMIN)");
                if (errno == EINVAL && (p->load_flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
                        return berr_sys(err, "load seccomp filter (the kernel may lack "
                                             "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, Linux "
                                             "5.19)");
                return berr_sys(err, "load seccomp filter (flags %#lx)", p->load_flags);
        }
        if (p->load_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
                *notify_fd = (int)r;
        return 0;
}

int seccomp_apply(const struct oci_seccomp *sc, const char *cache_dir, int *notify_fd,
                  struct berr *err)
{
        struct seccomp_prog own = {0};
        int r;

        /* The cache is read only by seccomp_prepare(): here we may already
         * be inside the container's root, where CACHE_DIR names a file the
         * container controls. */
        (void)cache_dir;
        *notify_fd = -1;
        if (prepared.sc == sc && prepared.prog.insns &&
            prepared.fingerprint == profile_fingerprint(sc))
                return seccomp_load_prog(&prepared.prog, notify_fd, err);

        r = seccomp_compile(sc, &own, err);
        if (r < 0)
                return r;
        r = seccomp_load_prog(&own, notify_fd, err);
        seccomp_prog_free(&own);
        return r;
}
