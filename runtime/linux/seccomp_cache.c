/* The compiled-filter cache: one file per profile under the state root,
 * named by a SHA-256 key of the profile's canonical JSON and the versions
 * that shape the BPF. A file holds a header (magic, key, digest) and the
 * program; it is written to a temporary name and renamed into place, so a
 * reader sees a whole file or none, and it is used only when it belongs to
 * us, is not writable by others and its digest matches. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "seccomp_internal.h"
#include "version.h"

#define CACHE_MAGIC "BRTHBPF1"

struct cache_header {
        char magic[8];
        uint8_t key[SHA256_PLAIN_SIZE];
        uint8_t digest[SHA256_PLAIN_SIZE]; /* over key, load_flags, n_insns, insns */
        uint64_t load_flags;
        uint32_t n_insns;
        uint32_t reserved;
};

int seccomp_cache_key(const struct oci_seccomp *sc, uint8_t key[SHA256_PLAIN_SIZE],
                      struct berr *err)
{
        const struct scmp_version *v = seccomp_version();
        char prefix[128];
        struct sha256_plain s;
        int n;

        if (!sc->json)
                return berr_fail(err, ENODATA, "seccomp cache: the profile has no JSON text");
        n = snprintf(prefix, sizeof(prefix),
                     "berth-seccomp-cache 2\nberth %s\nlibseccomp %u.%u.%u\n"
                     "arch %u\n",
                     BERTH_VERSION, v->major, v->minor, v->micro, seccomp_arch_native());
        sha256_plain_init(&s);
        sha256_plain_update(&s, prefix, (size_t)n);
        sha256_plain_update(&s, sc->json, strlen(sc->json));
        sha256_plain_final(&s, key);
        return 0;
}

static void cache_name(const uint8_t key[SHA256_PLAIN_SIZE], char *out, size_t size)
{
        char hex[SHA256_PLAIN_HEX_SIZE];

        sha256_plain_hex(key, hex);
        snprintf(out, size, "%s.bpf", hex);
}

static void program_digest(const uint8_t key[SHA256_PLAIN_SIZE], uint64_t load_flags,
                           const struct sock_filter *insns, uint32_t n,
                           uint8_t out[SHA256_PLAIN_SIZE])
{
        struct sha256_plain s;

        sha256_plain_init(&s);
        sha256_plain_update(&s, key, SHA256_PLAIN_SIZE);
        sha256_plain_update(&s, &load_flags, sizeof(load_flags));
        sha256_plain_update(&s, &n, sizeof(n));
        sha256_plain_update(&s, insns, n * sizeof(*insns));
        sha256_plain_final(&s, out);
}

/* Only root-made, not group/world-writable files and directories count. */
static bool trusted(const struct stat *st)
{
        return st->st_uid == geteuid() && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static int open_dir(const char *dir, bool create, struct berr *err)
{
        struct stat st;
        int fd;

        if (create && mkdir(dir, 0700) < 0 && errno != EEXIST) {
                /* The state root itself may not exist before the first create. */
                _cleanup_free_ char *parent = strdup(dir);
                char *slash = parent ? strrchr(parent, '/') : NULL;

                if (errno != ENOENT || !slash || slash == parent)
                        return berr_sys(err, "seccomp cache: mkdir %s", dir);
                *slash = '\0';
                if ((mkdir(parent, 0711) < 0 && errno != EEXIST) ||
                    (mkdir(dir, 0700) < 0 && errno != EEXIST))
                        return berr_sys(err, "seccomp cache: mkdir %s", dir);
        }
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(err, "seccomp cache: open %s", dir);
        if (fstat(fd, &st) < 0 || !trusted(&st)) {
                close(fd);
                return berr_fail(err, EPERM, "seccomp cache: %s is not ours or writable by others",
                                 dir);
        }
        return fd;
}

int seccomp_cache_load(const char *dir, const uint8_t key[SHA256_PLAIN_SIZE],
                       struct seccomp_prog *out, struct berr *err)
{
        _cleanup_close_ int dfd = -1, fd = -1;
        _cleanup_free_ uint8_t *buf = NULL;
        struct cache_header h;
        uint8_t digest[SHA256_PLAIN_SIZE];
        char name[SHA256_PLAIN_HEX_SIZE + 8];
        struct stat st;
        size_t body;
        ssize_t n;

        dfd = open_dir(dir, false, err);
        if (dfd < 0)
                return dfd;
        cache_name(key, name, sizeof(name));
        fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? berr_fail(err, ENOENT, "seccomp cache: miss")
                                       : berr_sys(err, "seccomp cache: open %s/%s", dir, name);
        if (fstat(fd, &st) < 0)
                return berr_sys(err, "seccomp cache: fstat %s/%s", dir, name);
        if (!S_ISREG(st.st_mode) || !trusted(&st))
                return berr_fail(err, EBADMSG, "seccomp cache: %s/%s is not ours", dir, name);
        if ((size_t)st.st_size < sizeof(h) ||
            (size_t)st.st_size > sizeof(h) + SECCOMP_PROG_MAX_INSNS * sizeof(struct sock_filter))
                return berr_fail(err, EBADMSG, "seccomp cache: %s/%s has a bad size", dir, name);
        buf = malloc(st.st_size);
        if (!buf)
                return berr_fail(err, ENOMEM, "seccomp cache: out of memory");
        n = pread(fd, buf, st.st_size, 0);
        if (n != st.st_size)
                return berr_fail(err, EBADMSG, "seccomp cache: short read of %s/%s", dir, name);

        memcpy(&h, buf, sizeof(h));
        body = st.st_size - sizeof(h);
        if (memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0 ||
            memcmp(h.key, key, SHA256_PLAIN_SIZE) != 0 || h.n_insns == 0 ||
            body != h.n_insns * sizeof(struct sock_filter))
                return berr_fail(err, EBADMSG, "seccomp cache: %s/%s: bad header", dir, name);
        program_digest(h.key, h.load_flags, (const struct sock_filter *)(buf + sizeof(h)),
                       h.n_insns, digest);
        if (memcmp(digest, h.digest, sizeof(digest)) != 0)
                return berr_fail(err, EBADMSG, "seccomp cache: %s/%s: digest mismatch", dir, name);

        out->insns = malloc(body);
        if (!out->insns)
                return berr_fail(err, ENOMEM, "seccomp cache: out of memory");
        memcpy(out->insns, buf + sizeof(h), body);
        out->len = h.n_insns;
        out->load_flags = h.load_flags;
        out->from_cache = true;
        /* mtime says when an entry was last used: pruning drops the oldest. */
        futimens(fd, NULL);
        return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                p += n;
                len -= n;
        }
        return 0;
}

/* Keep at most SECCOMP_CACHE_MAX_ENTRIES programs: drop the least recently
 * used (oldest mtime) ones. Racing pruners at worst remove an entry twice. */
static void prune(int dfd)
{
        struct entry {
                char name[SHA256_PLAIN_HEX_SIZE + 8];
                struct timespec mtime;
        } *entries = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        int dup_fd = dup(dfd);
        DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;

        if (!d) {
                safe_close(dup_fd);
                return;
        }
        while ((de = readdir(d))) {
                struct stat st;
                size_t len = strlen(de->d_name);

                if (len != SHA256_PLAIN_HEX_SIZE - 1 + 4 || strcmp(de->d_name + len - 4, ".bpf") ||
                    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (n == cap) {
                        struct entry *ne =
                            realloc(entries, (cap = cap ? 2 * cap : 64) * sizeof(*ne));

                        if (!ne)
                                break;
                        entries = ne;
                }
                snprintf(entries[n].name, sizeof(entries[n].name), "%s", de->d_name);
                entries[n++].mtime = st.st_mtim;
        }
        closedir(d);
        while (n > SECCOMP_CACHE_MAX_ENTRIES) {
                size_t oldest = 0;

                for (size_t i = 1; i < n; i++)
                        if (entries[i].mtime.tv_sec < entries[oldest].mtime.tv_sec ||
                            (entries[i].mtime.tv_sec == entries[oldest].mtime.tv_sec &&
                             entries[i].mtime.tv_nsec < entries[oldest].mtime.tv_nsec))
                                oldest = i;
                unlinkat(dfd, entries[oldest].name, 0);
                entries[oldest] = entries[--n];
        }
        free(entries);
}

int seccomp_cache_store(const char *dir, const uint8_t key[SHA256_PLAIN_SIZE],
                        const struct seccomp_prog *p, struct berr *err)
{
        _cleanup_close_ int dfd = -1, fd = -1;
        struct cache_header h = {0};
        char name[SHA256_PLAIN_HEX_SIZE + 8];
        char tmp[SHA256_PLAIN_HEX_SIZE + 64];
        struct timespec ts;

        dfd = open_dir(dir, true, err);
        if (dfd < 0)
                return dfd;
        memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
        memcpy(h.key, key, SHA256_PLAIN_SIZE);
        h.load_flags = p->load_flags;
        h.n_insns = (uint32_t)p->len;
        program_digest(key, h.load_flags, p->insns, h.n_insns, h.digest);

        cache_name(key, name, sizeof(name));
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(tmp, sizeof(tmp), ".tmp-%d-%ld-%s", (int)getpid(), (long)ts.tv_nsec, name);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return berr_sys(err, "seccomp cache: create %s/%s", dir, tmp);
        if (write_all(fd, &h, sizeof(h)) < 0 ||
            write_all(fd, p->insns, p->len * sizeof(*p->insns)) < 0) {
                berr_sys(err, "seccomp cache: write %s/%s", dir, tmp);
                unlinkat(dfd, tmp, 0);
                return err->status;
        }
        if (renameat(dfd, tmp, dfd, name) < 0) {
                berr_sys(err, "seccomp cache: rename %s/%s", dir, tmp);
                unlinkat(dfd, tmp, 0);
                return err->status;
        }
        prune(dfd);
        return 0;
}
