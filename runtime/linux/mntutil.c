/* Mount helpers working on fds; see mntutil.h. */
#include "mntutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "safepath.h"

#define MAX_LINKS 40

static int push_path(char *out, size_t size, size_t *len, const char *comp)
{
        size_t cl = strlen(comp);

        if (*len + 1 + cl + 1 > size)
                return -ENAMETOOLONG;
        out[(*len)++] = '/';
        memcpy(out + *len, comp, cl + 1);
        *len += cl;
        return 0;
}

static void pop_path(char *out, size_t *len)
{
        while (*len > 0 && out[*len - 1] != '/')
                (*len)--;
        if (*len > 0)
                (*len)--;
        out[*len] = '\0';
}

/* DEST with every symlink of its existing part expanded inside the root,
 * dangling ones included (their target is what gets created, as runc's
 * securejoin does). A lexical result: it is resolved again with
 * RESOLVE_IN_ROOT afterwards, so a race cannot lead outside. */
static int expand_in_root(int rootfd, const char *dest, char *out, size_t size)
{
        _cleanup_free_ char *pending = strdup(dest);
        size_t len = 0, pos = 0;
        int links = 0;
        bool missing = false;

        if (!pending)
                return -ENOMEM;
        out[0] = '\0';
        for (;;) {
                char *p = pending + pos;
                while (*p == '/')
                        p++;
                if (*p == '\0')
                        return 0;
                char *end = strchrnul(p, '/');
                char comp[NAME_MAX + 1];
                if ((size_t)(end - p) > NAME_MAX)
                        return -ENAMETOOLONG;
                memcpy(comp, p, (size_t)(end - p));
                comp[end - p] = '\0';
                pos = (size_t)(end - pending);
                if (strcmp(comp, ".") == 0)
                        continue;
                if (strcmp(comp, "..") == 0) {
                        pop_path(out, &len);
                        continue;
                }
                int r = push_path(out, size, &len, comp);
                if (r < 0)
                        return r;
                if (missing)
                        continue;
                struct berr err;
                _cleanup_close_ int fd = safe_openat(rootfd, out, O_PATH | O_NOFOLLOW, 0, &err);
                if (fd < 0) {
                        if (err.status != -ENOENT)
                                return err.status;
                        missing = true; /* the rest is created as written */
                        continue;
                }
                struct stat st;
                if (fstat(fd, &st) < 0)
                        return -errno;
                if (!S_ISLNK(st.st_mode))
                        continue;
                char target[PATH_MAX];
                ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
                if (n < 0)
                        return -errno;
                target[n] = '\0';
                if (++links > MAX_LINKS)
                        return -ELOOP;
                pop_path(out, &len);
                if (target[0] == '/') {
                        len = 0;
                        out[0] = '\0';
                }
                char *np = malloc((size_t)n + strlen(pending + pos) + 2);
                if (!np)
                        return -ENOMEM;
                sprintf(np, "%s/%s", target, pending + pos);
                free(pending);
                pending = np;
                pos = 0;
        }
}

static int open_target_at(int rootfd, const char *dest, bool is_file, struct berr *err)
{
        char name[NAME_MAX + 1];

        if (!is_file)
                return safe_mkdir_p(rootfd, dest, 0755, err);

        /* Create the parent directories, then the file below the resolved
         * parent; O_EXCL|O_NOFOLLOW refuses a symlink in the way. */
        _cleanup_free_ char *dir = strdup(dest);
        if (!dir)
                return berr_fail(err, ENOMEM, "mount target %s", dest);
        char *slash = strrchr(dir, '/');
        if (slash)
                slash[1] = '\0';
        else
                dir[0] = '\0';
        _cleanup_close_ int pfd = safe_mkdir_p(rootfd, dir, 0755, err);
        if (pfd < 0)
                return pfd;
        _cleanup_close_ int parent = safe_open_parent(rootfd, dest, name, sizeof(name), err);
        if (parent < 0)
                return parent;
        int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0 && errno != EEXIST)
                return berr_sys(err, "create mount target %s", dest);
        safe_close(f);
        return safe_openat(rootfd, dest, O_PATH, 0, err);
}

int mnt_open_target(int rootfd, const char *dest, bool is_file, struct berr *err)
{
        char expanded[PATH_MAX];

        int fd = safe_openat(rootfd, dest, is_file ? O_PATH : O_PATH | O_DIRECTORY, 0, err);
        if (fd >= 0 || err->status != -ENOENT)
                return fd;
        /* Something is missing: follow the symlinks (dangling ones too)
         * inside the root and create what their targets name. */
        int r = expand_in_root(rootfd, dest, expanded, sizeof(expanded));
        if (r < 0)
                return berr_fail(err, r, "mount target %s: %s", dest, strerror(-r));
        berr_clear(err);
        fd = open_target_at(rootfd, expanded[0] ? expanded : "/", is_file, err);
        if (fd < 0)
                return berr_wrap(err, "mount target %s", dest);
        return fd;
}

int mnt_onto_fd(const char *src, int dstfd, const char *type, unsigned long flags, const char *data,
                const char *what, struct berr *err)
{
        char p[FD_PATH_MAX];

        if (mount(src, fd_path(dstfd, p), type, flags, data) < 0)
                return berr_sys(err, "mount %s", what);
        return 0;
}

int mnt_bind_fd(int srcfd, int dstfd, bool rec, const char *what, struct berr *err)
{
        unsigned tflags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
        char s[FD_PATH_MAX];

        /* The new mount API needs no /proc (after pivot_root it may be absent). */
        _cleanup_close_ int tree = open_tree(srcfd, "", tflags | (rec ? AT_RECURSIVE : 0));
        if (tree >= 0) {
                if (move_mount(tree, "", dstfd, "",
                               MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        return berr_sys(err, "bind mount %s", what);
                return 0;
        }
        if (errno != ENOSYS)
                return berr_sys(err, "bind mount %s: open_tree", what);
        return mnt_onto_fd(fd_path(srcfd, s), dstfd, NULL, MS_BIND | (rec ? MS_REC : 0), NULL, what,
                           err);
}

static unsigned long locked_flags(int fd)
{
        struct statvfs sv;
        unsigned long f = 0;

        if (fstatvfs(fd, &sv) < 0)
                return 0;
        if (sv.f_flag & ST_RDONLY)
                f |= MS_RDONLY;
        if (sv.f_flag & ST_NOSUID)
                f |= MS_NOSUID;
        if (sv.f_flag & ST_NODEV)
                f |= MS_NODEV;
        if (sv.f_flag & ST_NOEXEC)
                f |= MS_NOEXEC;
        if (sv.f_flag & ST_NOATIME)
                f |= MS_NOATIME;
        if (sv.f_flag & ST_NODIRATIME)
                f |= MS_NODIRATIME;
        if (sv.f_flag & ST_RELATIME)
                f |= MS_RELATIME;
        return f;
}

int mnt_remount_bind(int fd, unsigned long flags, const char *what, struct berr *err)
{
        const unsigned long atime = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
        char p[FD_PATH_MAX];

        fd_path(fd, p);
        if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | flags, NULL) == 0)
                return 0;
        if (errno != EPERM)
                return berr_sys(err, "remount %s", what);
        unsigned long locked = locked_flags(fd);
        unsigned long retry = flags | (locked & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY));
        if (!(flags & atime))
                retry |= locked & atime;
        if (retry != flags && mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | retry, NULL) == 0)
                return 0;
        return berr_sys(err, "remount %s", what);
}

int mnt_setattr(int fd, uint64_t set, uint64_t clr, bool rec, const char *what, struct berr *err)
{
        struct mount_attr attr = {.attr_set = set, .attr_clr = clr};

        if (set & MOUNT_ATTR__ATIME)
                attr.attr_clr |= MOUNT_ATTR__ATIME;
        if (mount_setattr(fd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof(attr)) ==
            0)
                return 0;
        if (errno == ENOSYS)
                return berr_fail(err, ENOSYS,
                                 "mount %s: recursive mount options need mount_setattr "
                                 "(Linux 5.12 or newer), which this kernel lacks",
                                 what);
        return berr_sys(err, "mount_setattr %s", what);
}

int mnt_make_readonly(int fd, bool rec, const char *what, struct berr *err)
{
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};

        if (mount_setattr(fd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof(attr)) ==
            0)
                return 0;
        if (errno != ENOSYS)
                return berr_sys(err, "make %s read-only", what);
        return mnt_remount_bind(fd, MS_RDONLY, what, err);
}

int mnt_propagation(int fd, unsigned long prop, const char *what, struct berr *err)
{
        char p[FD_PATH_MAX];

        if (mount(NULL, fd_path(fd, p), NULL, prop, NULL) < 0)
                return berr_sys(err, "set propagation of %s", what);
        return 0;
}

bool fd_on_fs(int fd, long magic)
{
        struct statfs sf;

        return fstatfs(fd, &sf) == 0 && (long)sf.f_type == magic;
}
