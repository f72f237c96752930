/* seccomp_prepare() and seccomp_apply(): where the filter comes from
 * (prepared in the launcher, from the cache or compiled) and how it is
 * loaded (seccomp(2) with the profile's flags, the very last step before
 * execve). */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "seccomp.h"
#include "seccomp_internal.h"

/* The program seccomp_prepare() made, for the profile it was made from.
 * A forked child inherits it; seccomp_apply() then only loads it. */
static struct {
        const struct oci_seccomp *sc;
        struct seccomp_prog prog;
} prepared;

static void forget_prepared(void)
{
        seccomp_prog_free(&prepared.prog);
        prepared.sc = NULL;
}

const struct seccomp_prog *seccomp_prepared_prog(void)
{
        return prepared.sc ? &prepared.prog : NULL;
}

int seccomp_prepare(const struct oci_seccomp *sc, const char *cache_dir, struct berr *err)
{
        uint8_t key[SHA256_DIGEST_SIZE];
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
                if (r != -ENOENT)
                        log_warn("%s; compiling the filter again", err->msg);
                berr_clear(err);
        }
        r = seccomp_compile(sc, &p, err);
        if (r < 0)
                return r;
        log_debug("seccomp: compiled the filter (%zu instructions)", p.len);
        if (use_cache && seccomp_cache_store(cache_dir, key, &p, err) < 0) {
                log_warn("%s", err->msg);
                berr_clear(err);
        }
done:
        forget_prepared();
        prepared.sc = sc;
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
        if (prepared.sc == sc && prepared.prog.insns)
                return seccomp_load_prog(&prepared.prog, notify_fd, err);

        r = seccomp_compile(sc, &own, err);
        if (r < 0)
                return r;
        r = seccomp_load_prog(&own, notify_fd, err);
        seccomp_prog_free(&own);
        return r;
}
