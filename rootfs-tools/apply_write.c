/* Creating one tar entry below the root: directories, regular files (data
 * written through the fd we created), symlinks, hardlinks, devices and
 * fifos, then owner, mode, xattrs and times, with as few syscalls as the
 * kernel allows. An existing entry in the way is removed first, never
 * written through. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "apply_int.h"
#include "cleanup.h"
#include "entry_path.h"
#include "unpack_limits.h"
#include "log.h"
#include "safepath.h"

static bool xattr_wanted(const struct applier *ap, const char *name)
{
        if (strncmp(name, "user.", 5) == 0 || strcmp(name, "security.capability") == 0)
                return true;
        if (strncmp(name, "trusted.", 8) == 0 || strcmp(name, "security.selinux") == 0)
                return ap->opt.all_xattrs;
        return false;
}

/* Set the entry's xattrs on FD, or (FD < 0) on BASE in DIRFD without
 * following it. */
static int set_xattrs(struct applier *ap, struct archive_entry *e, int fd, int dirfd,
                      const char *base, const char *path, struct berr *err)
{
        const char *name;
        const void *value;
        size_t size, total = 0;

        if (archive_entry_xattr_reset(e) == 0)
                return 0;
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
                total += strlen(name) + size;
                if (total > UNPACK_XATTRS_MAX)
                        return berr_fail(err, E2BIG, "entry %s: xattrs larger than %u bytes", path,
                                         UNPACK_XATTRS_MAX);
                if (!xattr_wanted(ap, name))
                        continue;
                int r;
                if (fd >= 0) {
                        r = fsetxattr(fd, name, value, size, 0);
                } else {
                        char p[FD_PATH_MAX + UNPACK_NAME_MAX + 2];
                        char fdp[FD_PATH_MAX];
                        snprintf(p, sizeof(p), "%s/%s", fd_path(dirfd, fdp), base);
                        r = lsetxattr(p, name, value, size, 0);
                }
                if (r < 0) {
                        if (errno == ENOTSUP || errno == EPERM || errno == EACCES) {
                                if (!ap->warned_xattr)
                                        log_warn("entry %s: xattr %s not set (%s); other xattrs "
                                                 "that cannot be set are skipped silently",
                                                 path, name, strerror(errno));
                                ap->warned_xattr = true;
                                continue;
                        }
                        return berr_sys(err, "entry %s: set xattr %s", path, name);
                }
        }
        return 0;
}

static int owner_ids(struct applier *ap, struct archive_entry *e, const char *path, uid_t *uid,
                     gid_t *gid, struct berr *err)
{
        int64_t u = archive_entry_uid(e), g = archive_entry_gid(e);
        if (u < 0 || u >= (int64_t)UINT32_MAX || g < 0 || g >= (int64_t)UINT32_MAX)
                return berr_fail(err, EINVAL, "entry %s: owner %lld:%lld out of range", path,
                                 (long long)u, (long long)g);
        *uid = (uid_t)u;
        *gid = (gid_t)g;
        if (!ap->is_root && !ap->warned_owner && (u != getuid() || g != getgid())) {
                log_warn("not running as root: file owners from the image are not kept");
                ap->warned_owner = true;
        }
        return 0;
}

/* A new entry owned by UID:GID needs no chown: we are root and create it
 * as 0:0 in a directory that passes on no group. */
static bool owner_is_default(const struct applier *ap, uid_t uid, gid_t gid)
{
        return ap->is_root && uid == 0 && gid == 0 && !ap->parent_sgid && getegid() == 0;
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
        ts[1].tv_sec = archive_entry_mtime(e);
        ts[1].tv_nsec = archive_entry_mtime_nsec(e);
        if (archive_entry_atime_is_set(e)) {
                ts[0].tv_sec = archive_entry_atime(e);
                ts[0].tv_nsec = archive_entry_atime_nsec(e);
        } else {
                ts[0] = ts[1];
        }
        if (ts[0].tv_nsec < 0 || ts[0].tv_nsec > 999999999)
                ts[0].tv_nsec = 0;
        if (ts[1].tv_nsec < 0 || ts[1].tv_nsec > 999999999)
                ts[1].tv_nsec = 0;
}

static int write_data(struct applier *ap, struct archive *a, int fd, const char *path, int64_t size,
                      struct berr *err)
{
        const void *buf;
        size_t len;
        la_int64_t off;
        int64_t pos = 0;
        int r;

        while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
                if (off != pos && lseek(fd, off, SEEK_SET) < 0)
                        return berr_sys(err, "entry %s: seek", path);
                pos = off;
                const char *p = buf;
                while (len > 0) {
                        ssize_t n = write(fd, p, len);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n < 0)
                                return berr_sys(err, "entry %s: write", path);
                        p += n;
                        len -= (size_t)n;
                        pos += n;
                }
        }
        if (r != ARCHIVE_EOF)
                return berr_fail(err, EIO, "entry %s: %s", path,
                                 archive_error_string(a) ? archive_error_string(a)
                                                         : "damaged data");
        if (pos < size && ftruncate(fd, size) < 0)
                return berr_sys(err, "entry %s: truncate", path);
        (void)ap;
        return 0;
}

static int write_regular(struct applier *ap, struct archive *a, struct archive_entry *e, int dirfd,
                         const char *base, const char *path, struct berr *err)
{
        mode_t mode = archive_entry_perm(e) & 07777;
        int64_t size = archive_entry_size(e);
        uid_t uid;
        gid_t gid;
        int r;

        if (size < 0 || (uint64_t)size > ap->opt.max_size - ap->written)
                return berr_fail(err, EFBIG,
                                 "entry %s: %lld bytes would pass --max-size (%llu bytes): "
                                 "refused",
                                 path, (long long)size, (unsigned long long)ap->opt.max_size);
        ap->written += (uint64_t)size;
        if ((r = owner_ids(ap, e, path, &uid, &gid, err)) < 0)
                return r;
        int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
        _cleanup_close_ int fd = openat(dirfd, base, flags, mode & 0777);
        if (fd < 0 && errno == EEXIST) {
                if ((r = remove_existing(ap, dirfd, base, path, err)) < 0)
                        return r;
                fd = openat(dirfd, base, flags, mode & 0777);
        }
        if (fd < 0)
                return berr_sys(err, "entry %s: create", path);
        if ((r = write_data(ap, a, fd, path, size, err)) < 0)
                return r;
        if (ap->is_root && !owner_is_default(ap, uid, gid) && fchown(fd, uid, gid) < 0)
                return berr_sys(err, "entry %s: chown", path);
        if ((mode & 07000) && fchmod(fd, mode) < 0)
                return berr_sys(err, "entry %s: chmod", path);
        if ((r = set_xattrs(ap, e, fd, -1, NULL, path, err)) < 0)
                return r;
        struct timespec ts[2];
        entry_times(e, ts);
        if (futimens(fd, ts) < 0)
                return berr_sys(err, "entry %s: set times", path);
        return 0;
}

static int push_dir_time(struct applier *ap, const char *path, size_t len,
                         const struct timespec ts[2], struct berr *err)
{
        if (ap->n_dir_times == ap->cap_dir_times) {
                size_t ncap = ap->cap_dir_times ? ap->cap_dir_times * 2 : 256;
                struct dir_time *n = realloc(ap->dir_times, ncap * sizeof(*n));
                if (!n)
                        return berr_fail(err, ENOMEM, "out of memory");
                ap->dir_times = n;
                ap->cap_dir_times = ncap;
        }
        struct dir_time *t = &ap->dir_times[ap->n_dir_times];
        t->path = strndup(path, len);
        if (!t->path || pathset_add_exact(&ap->dirs_timed, path, len) < 0)
                return berr_fail(err, ENOMEM, "out of memory");
        t->ts[0] = ts[0];
        t->ts[1] = ts[1];
        ap->n_dir_times++;
        return 0;
}

static int defer_dir_time(struct applier *ap, struct archive_entry *e, const char *path,
                          struct berr *err)
{
        struct timespec ts[2];
        entry_times(e, ts);
        return push_dir_time(ap, path, strlen(path), ts, err);
}

int note_parent(struct applier *ap, const char *path, size_t dlen, int dirfd, struct berr *err)
{
        struct stat st;
        if (pathset_has(&ap->dirs_timed, path, dlen))
                return 0;
        if (fstat(dirfd, &st) < 0)
                return berr_sys(err, "stat %.*s", (int)dlen, path);
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        return push_dir_time(ap, path, dlen, ts, err);
}

int apply_dir_times(struct applier *ap, struct berr *err)
{
        int r = 0;
        /* In order: an entry's own times, recorded after the times kept
         * from before the layer, win. */
        for (size_t i = 0; i < ap->n_dir_times; i++) {
                struct dir_time *t = &ap->dir_times[i];
                if (r == 0) {
                        int fd = t->path[0] ? safe_openat_nolinks(ap->rootfd, t->path,
                                                                  O_PATH | O_DIRECTORY, 0, err)
                                            : dup(ap->rootfd);
                        if (fd >= 0) {
                                char p[FD_PATH_MAX];
                                if (utimensat(AT_FDCWD, fd_path(fd, p), t->ts, 0) < 0)
                                        r = berr_sys(err, "entry %s: set times", t->path);
                                close(fd);
                        } else if (err->status == -ENOENT || err->status == -ELOOP ||
                                   err->status == -ENOTDIR) {
                                berr_clear(err); /* removed or replaced later in the layer */
                        } else {
                                r = err->status;
                        }
                }
                free(t->path);
        }
        ap->n_dir_times = 0;
        pathset_clear(&ap->dirs_timed);
        return r;
}

static int write_dir(struct applier *ap, struct archive_entry *e, int dirfd, const char *base,
                     const char *path, struct berr *err)
{
        mode_t mode = archive_entry_perm(e) & 07777;
        uid_t uid;
        gid_t gid;
        int r;

        if ((r = owner_ids(ap, e, path, &uid, &gid, err)) < 0)
                return r;
        _cleanup_close_ int fd = -1;
        /* The common case in one syscall: a new directory, mode and owner
         * right from mkdir, no xattrs. */
        if (path[0] != '\0' && !(mode & 06000) && owner_is_default(ap, uid, gid) &&
            archive_entry_xattr_count(e) == 0 && mkdirat(dirfd, base, mode) == 0)
                return defer_dir_time(ap, e, path, err);
        if (path[0] == '\0') {
                fd = openat(ap->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        } else {
                if (mkdirat(dirfd, base, 0700) < 0) {
                        if (errno != EEXIST)
                                return berr_sys(err, "entry %s: mkdir", path);
                        struct stat st;
                        if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
                                return berr_sys(err, "entry %s: stat", path);
                        if (!S_ISDIR(st.st_mode)) {
                                if ((r = remove_existing(ap, dirfd, base, path, err)) < 0)
                                        return r;
                                if (mkdirat(dirfd, base, 0700) < 0)
                                        return berr_sys(err, "entry %s: mkdir", path);
                        }
                }
                fd = openat(dirfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
                return berr_sys(err, "entry %s: open", path);
        if (ap->is_root && fchown(fd, uid, gid) < 0)
                return berr_sys(err, "entry %s: chown", path);
        if (fchmod(fd, mode) < 0)
                return berr_sys(err, "entry %s: chmod", path);
        /* The cached setgid state of this directory may be stale now. */
        if (path[0] == '\0')
                ap->root_sgid = mode & S_ISGID;
        else
                dircache_forget(ap, path);
        if ((r = set_xattrs(ap, e, fd, -1, NULL, path, err)) < 0)
                return r;
        return defer_dir_time(ap, e, path, err);
}

/* Symlinks, devices, fifos: made by name in DIRFD, metadata by name too. */
static int write_special(struct applier *ap, struct archive_entry *e, int dirfd, const char *base,
                         const char *path, struct berr *err)
{
        mode_t type = archive_entry_filetype(e);
        mode_t mode = archive_entry_perm(e) & 07777;
        const char *target = NULL;
        dev_t dev = 0;
        uid_t uid;
        gid_t gid;
        int r;

        if ((r = owner_ids(ap, e, path, &uid, &gid, err)) < 0)
                return r;
        if (type == AE_IFLNK) {
                target = archive_entry_symlink(e);
                if (!target || !target[0])
                        return berr_fail(err, EINVAL, "entry %s: symlink without a target", path);
                if (strlen(target) >= UNPACK_PATH_MAX)
                        return berr_fail(err, ENAMETOOLONG, "entry %s: symlink target too long",
                                         path);
        } else if (type == AE_IFCHR || type == AE_IFBLK) {
                if (!ap->is_root) {
                        if (!ap->warned_dev)
                                log_warn("not running as root: device nodes (%s...) skipped", path);
                        ap->warned_dev = true;
                        return 0;
                }
                dev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        }
        for (int tries = 0; tries < 2; tries++) {
                if (target)
                        r = symlinkat(target, dirfd, base);
                else
                        r = mknodat(dirfd, base, type | (mode & 0777), dev);
                if (r == 0 || errno != EEXIST || tries)
                        break;
                if ((r = remove_existing(ap, dirfd, base, path, err)) < 0)
                        return r;
        }
        if (r < 0)
                return berr_sys(err, "entry %s: create", path);
        if (ap->is_root && !owner_is_default(ap, uid, gid) &&
            fchownat(dirfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(err, "entry %s: chown", path);
        if (!target && (mode & 07000) && fchmodat(dirfd, base, mode, 0) < 0)
                return berr_sys(err, "entry %s: chmod", path);
        if ((r = set_xattrs(ap, e, -1, dirfd, base, path, err)) < 0)
                return r;
        struct timespec ts[2];
        entry_times(e, ts);
        if (utimensat(dirfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(err, "entry %s: set times", path);
        return 0;
}

static int write_hardlink(struct applier *ap, struct archive_entry *e, const char *path,
                          struct berr *err)
{
        const char *base = entry_base(path);
        char target[UNPACK_PATH_MAX];
        int r = entry_path_clean(archive_entry_hardlink(e), target, sizeof(target), err);

        if (r < 0)
                return berr_wrap(err, "entry %s: hardlink target", path);
        if (target[0] == '\0' || strcmp(target, path) == 0)
                return berr_fail(err, EINVAL, "entry %s: hardlink to itself or the root", path);
        size_t tdl = entry_dir_len(target);
        int tdir = dir_resolve(ap, target, tdl, false, path, err);
        if (tdir < 0)
                return berr_wrap(err, "hardlink to %s", target);
        /* tdir is borrowed from the cache: keep it over the removal below. */
        _cleanup_close_ int tdir_own = fcntl(tdir, F_DUPFD_CLOEXEC, 3);
        if (tdir_own < 0)
                return berr_sys(err, "entry %s", path);
        int dirfd = dir_resolve(ap, path, entry_dir_len(path), true, path, err);
        if (dirfd < 0)
                return dirfd;
        if ((r = note_parent(ap, path, entry_dir_len(path), dirfd, err)) < 0)
                return r;
        for (int tries = 0; tries < 2; tries++) {
                r = linkat(tdir_own, entry_base(target), dirfd, base, 0);
                if (r == 0 || errno != EEXIST || tries)
                        break;
                struct stat a, b;
                if (fstatat(tdir_own, entry_base(target), &a, AT_SYMLINK_NOFOLLOW) == 0 &&
                    fstatat(dirfd, base, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_ino == b.st_ino &&
                    a.st_dev == b.st_dev)
                        return 0; /* already that file */
                if ((r = remove_existing(ap, dirfd, base, path, err)) < 0)
                        return r;
        }
        if (r < 0) {
                if (errno == ENOENT)
                        return berr_fail(err, ENOENT, "entry %s: hardlink to missing %s", path,
                                         target);
                if (errno == EPERM)
                        return berr_fail(err, EPERM,
                                         "entry %s: hardlink to %s refused (a "
                                         "directory?)",
                                         path, target);
                return berr_sys(err, "entry %s: hardlink to %s", path, target);
        }
        return 0;
}

int write_entry(struct applier *ap, struct archive *a, struct archive_entry *e, const char *path,
                struct berr *err)
{
        size_t dlen = entry_dir_len(path);
        const char *base = entry_base(path);
        mode_t type = archive_entry_filetype(e);

        if (path[0] == '\0') {
                if (type != AE_IFDIR)
                        return berr_fail(err, EINVAL, "entry for the root is not a directory");
                return write_dir(ap, e, ap->rootfd, "", path, err);
        }
        if (archive_entry_hardlink(e))
                return write_hardlink(ap, e, path, err);
        int dirfd = dir_resolve(ap, path, dlen, true, path, err);
        if (dirfd < 0)
                return dirfd;
        int r = note_parent(ap, path, dlen, dirfd, err);
        if (r < 0)
                return r;
        switch (type) {
        case AE_IFREG:
                return write_regular(ap, a, e, dirfd, base, path, err);
        case AE_IFDIR:
                return write_dir(ap, e, dirfd, base, path, err);
        case AE_IFLNK:
        case AE_IFCHR:
        case AE_IFBLK:
        case AE_IFIFO:
                return write_special(ap, e, dirfd, base, path, err);
        case AE_IFSOCK:
                return 0;
        default:
                return berr_fail(err, EINVAL, "entry %s: unknown file type %o", path,
                                 (unsigned)type);
        }
}
