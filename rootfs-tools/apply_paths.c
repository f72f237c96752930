/* Resolving the directory of an entry below the root, never through a
 * symlink, with a small cache of directory fds (tar entries come grouped by
 * directory, so most lookups are hits). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply_int.h"
#include "cleanup.h"
#include "unpack_limits.h"
#include "remove_tree.h"
#include "safepath.h"

void dircache_clear(struct applier *ap)
{
        for (int i = 0; i < DIRCACHE_SLOTS; i++) {
                free(ap->cache[i].path);
                ap->cache[i].path = NULL;
                ap->cache[i].fd = safe_close(ap->cache[i].fd);
        }
}

void dircache_forget(struct applier *ap, const char *path)
{
        size_t len = strlen(path);
        for (int i = 0; i < DIRCACHE_SLOTS; i++) {
                const char *p = ap->cache[i].path;
                if (!p)
                        continue;
                if (len == 0 || (strncmp(p, path, len) == 0 && (p[len] == '\0' || p[len] == '/'))) {
                        free(ap->cache[i].path);
                        ap->cache[i].path = NULL;
                        ap->cache[i].fd = safe_close(ap->cache[i].fd);
                }
        }
}

static int resolve_error(int status, const char *entry, const char *dir, struct berr *err)
{
        if (status == -ELOOP)
                return berr_fail(err, ELOOP,
                                 "entry %s: the path %s goes through a symlink: refused", entry,
                                 dir);
        if (status == -ENOTDIR)
                return berr_fail(err, ENOTDIR, "entry %s: %s is not a directory", entry, dir);
        return 0;
}

/* Open DIR (a cleaned relative path), creating missing components. */
static int open_dir_creating(struct applier *ap, const char *dir, bool create, const char *entry,
                             struct berr *err)
{
        int fd = safe_openat_nolinks(ap->rootfd, dir, O_PATH | O_DIRECTORY, 0, err);
        if (fd >= 0 || err->status != -ENOENT || !create) {
                if (fd < 0 && resolve_error(err->status, entry, dir, err) < 0)
                        return err->status;
                return fd < 0 ? berr_wrap(err, "entry %s", entry) : fd;
        }
        /* Walk down, making what is missing. */
        char prefix[UNPACK_PATH_MAX];
        size_t len = strlen(dir);
        _cleanup_close_ int cur = openat(ap->rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0)
                return berr_sys(err, "entry %s: open root", entry);
        for (size_t i = 0; i <= len; i++) {
                if (i < len && dir[i] != '/')
                        continue;
                memcpy(prefix, dir, i);
                prefix[i] = '\0';
                size_t start = i;
                while (start > 0 && dir[start - 1] != '/')
                        start--;
                char comp[UNPACK_NAME_MAX + 1];
                snprintf(comp, sizeof(comp), "%.*s", (int)(i - start), dir + start);
                berr_clear(err);
                int next = safe_openat_nolinks(ap->rootfd, prefix, O_PATH | O_DIRECTORY, 0, err);
                if (next < 0 && err->status == -ENOENT) {
                        if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
                                return berr_sys(err, "entry %s: mkdir %s", entry, prefix);
                        berr_clear(err);
                        next =
                            safe_openat_nolinks(ap->rootfd, prefix, O_PATH | O_DIRECTORY, 0, err);
                }
                if (next < 0) {
                        if (resolve_error(err->status, entry, prefix, err) < 0)
                                return err->status;
                        return berr_wrap(err, "entry %s", entry);
                }
                safe_close(cur);
                cur = next;
        }
        berr_clear(err);
        return steal_fd(&cur);
}

int dir_resolve(struct applier *ap, const char *path, size_t dlen, bool create, const char *entry,
                struct berr *err)
{
        if (dlen == 0) {
                ap->parent_sgid = ap->root_sgid;
                return ap->rootfd;
        }
        for (int i = 0; i < DIRCACHE_SLOTS; i++) {
                const char *p = ap->cache[i].path;
                if (p && strncmp(p, path, dlen) == 0 && p[dlen] == '\0') {
                        ap->parent_sgid = ap->cache[i].sgid;
                        return ap->cache[i].fd;
                }
        }
        char dir[UNPACK_PATH_MAX];
        snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
        int fd = open_dir_creating(ap, dir, create, entry, err);
        if (fd < 0)
                return fd;
        struct dircache_slot *s = &ap->cache[ap->cache_next++ % DIRCACHE_SLOTS];
        free(s->path);
        safe_close(s->fd);
        s->path = strdup(dir);
        s->fd = fd;
        if (!s->path) {
                s->fd = safe_close(s->fd);
                return berr_fail(err, ENOMEM, "out of memory");
        }
        struct stat st;
        s->sgid = fstat(fd, &st) < 0 || (st.st_mode & S_ISGID);
        ap->parent_sgid = s->sgid;
        return fd;
}

int remove_existing(struct applier *ap, int dirfd, const char *base, const char *path,
                    struct berr *err)
{
        dircache_forget(ap, path);
        int r = remove_tree_at(dirfd, base, err);
        if (r < 0)
                return berr_wrap(err, "entry %s: replace", path);
        return 0;
}
