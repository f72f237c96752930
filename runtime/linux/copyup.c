/* tmpcopyup: a recursive copy between two directory fds with *at() calls
 * only, so nothing in the (untrusted) source can redirect a write. */
#include "copyup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define COPYUP_MAX_DEPTH 64

static int copy_file_data(int in, int out)
{
        char buf[65536];

        for (;;) {
                ssize_t n = read(in, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : 0;
                for (ssize_t off = 0; off < n;) {
                        ssize_t w = write(out, buf + off, (size_t)(n - off));
                        if (w < 0 && errno == EINTR)
                                continue;
                        if (w < 0)
                                return -errno;
                        off += w;
                }
        }
}

static void copy_meta(int dstdir, const char *name, const struct stat *st)
{
        struct timespec ts[2] = {st->st_atim, st->st_mtim};

        /* Best effort, as cp -a: an unmapped owner keeps the caller's. */
        int r = fchownat(dstdir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW);
        if (!S_ISLNK(st->st_mode))
                r |= fchmodat(dstdir, name, st->st_mode & 07777, 0);
        r |= utimensat(dstdir, name, ts, AT_SYMLINK_NOFOLLOW);
        (void)r;
}

static int copy_dir(int src, int dst, int depth, const char *what, struct berr *err);

static int copy_entry(int src, int dst, const char *name, int depth, const char *what,
                      struct berr *err)
{
        struct stat st;

        if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(err, "tmpcopyup %s: stat %s", what, name);
        if (S_ISDIR(st.st_mode)) {
                if (mkdirat(dst, name, 0700) < 0 && errno != EEXIST)
                        return berr_sys(err, "tmpcopyup %s: mkdir %s", what, name);
                _cleanup_close_ int s =
                    openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                _cleanup_close_ int d =
                    openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (s < 0 || d < 0)
                        return berr_sys(err, "tmpcopyup %s: open %s", what, name);
                int r = copy_dir(s, d, depth + 1, what, err);
                if (r < 0)
                        return r;
        } else if (S_ISREG(st.st_mode)) {
                _cleanup_close_ int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                _cleanup_close_ int out =
                    openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (in < 0 || out < 0)
                        return berr_sys(err, "tmpcopyup %s: copy %s", what, name);
                int r = copy_file_data(in, out);
                if (r < 0)
                        return berr_fail(err, r, "tmpcopyup %s: copy %s: %s", what, name,
                                         strerror(-r));
        } else if (S_ISLNK(st.st_mode)) {
                char target[4096];
                ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
                if (n < 0)
                        return berr_sys(err, "tmpcopyup %s: readlink %s", what, name);
                target[n] = '\0';
                if (symlinkat(target, dst, name) < 0)
                        return berr_sys(err, "tmpcopyup %s: symlink %s", what, name);
        } else {
                if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0)
                        return berr_sys(err, "tmpcopyup %s: mknod %s", what, name);
        }
        copy_meta(dst, name, &st);
        return 0;
}

static int copy_dir(int src, int dst, int depth, const char *what, struct berr *err)
{
        if (depth > COPYUP_MAX_DEPTH)
                return berr_fail(err, ELOOP, "tmpcopyup %s: directory tree too deep", what);
        int dfd = dup(src);
        if (dfd < 0)
                return berr_sys(err, "tmpcopyup %s", what);
        _cleanup_closedir_ DIR *d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return berr_sys(err, "tmpcopyup %s", what);
        }
        struct dirent *de;
        while ((errno = 0, de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                int r = copy_entry(src, dst, de->d_name, depth, what, err);
                if (r < 0)
                        return r;
        }
        if (errno)
                return berr_sys(err, "tmpcopyup %s: readdir", what);
        return 0;
}

int copyup_tree(int srcfd, int dstfd, const char *what, struct berr *err)
{
        struct stat st;

        int r = copy_dir(srcfd, dstfd, 0, what, err);
        if (r < 0)
                return r;
        /* The new tmpfs root takes the directory's mode and owner. */
        if (fstat(srcfd, &st) == 0) {
                int ign = fchown(dstfd, st.st_uid, st.st_gid);
                ign |= fchmod(dstfd, st.st_mode & 07777);
                (void)ign;
        }
        return 0;
}
