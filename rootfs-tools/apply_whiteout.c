/* Whiteouts (".wh.NAME" deletes NAME of lower layers) and opaque
 * directories (".wh..wh..opq" hides the lower content of its directory),
 * sparing what the same layer wrote, whatever the order of the entries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply_int.h"
#include "cleanup.h"
#include "entry_path.h"
#include "unpack_limits.h"
#include "remove_tree.h"

int apply_whiteout(struct applier *ap, const char *path, struct berr *err)
{
        size_t dlen = entry_dir_len(path);
        const char *target = entry_base(path) + 4;
        char full[UNPACK_PATH_MAX];

        snprintf(full, sizeof(full), "%.*s%s%s", (int)dlen, path, dlen ? "/" : "", target);
        if (pathset_has(&ap->layer_paths, full, strlen(full)))
                return 0; /* written by this same layer: stays */
        int dirfd = dir_resolve(ap, path, dlen, false, path, err);
        if (dirfd < 0) {
                if (err->status == -ENOENT) {
                        berr_clear(err);
                        return 0; /* nothing to delete */
                }
                return berr_wrap(err, "whiteout");
        }
        int r = note_parent(ap, path, dlen, dirfd, err);
        if (r < 0)
                return r;
        return remove_existing(ap, dirfd, target, full, err);
}

/* Remove what lies in DIRFD (the directory DIR) and was not written by this
 * layer; descend into directories this layer wrote to or below. */
static int clear_lower(struct applier *ap, int dirfd, const char *dir, int depth, struct berr *err)
{
        if (depth > UNPACK_PATH_MAX / 2)
                return berr_fail(err, ELOOP, "opaque %s: too deep", dir);
        int rfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rfd < 0)
                return berr_sys(err, "opaque %s", dir);
        _cleanup_closedir_ DIR *d = fdopendir(rfd);
        if (!d) {
                close(rfd);
                return berr_sys(err, "opaque %s", dir);
        }
        struct dirent *de;
        char child[UNPACK_PATH_MAX];
        while ((errno = 0, de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                int n =
                    snprintf(child, sizeof(child), "%s%s%s", dir, dir[0] ? "/" : "", de->d_name);
                if (n < 0 || (size_t)n >= sizeof(child))
                        return berr_fail(err, ENAMETOOLONG, "opaque %s: name too long", dir);
                if (!pathset_has(&ap->layer_paths, child, (size_t)n)) {
                        int r = remove_existing(ap, dirfd, de->d_name, child, err);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (de->d_type != DT_DIR)
                        continue;
                _cleanup_close_ int sub =
                    openat(dirfd, de->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        return berr_sys(err, "opaque %s", child);
                int r = clear_lower(ap, sub, child, depth + 1, err);
                if (r < 0)
                        return r;
        }
        if (errno)
                return berr_sys(err, "opaque %s: read", dir);
        return 0;
}

int apply_opaque(struct applier *ap, const char *path, struct berr *err)
{
        size_t dlen = entry_dir_len(path);
        char dir[UNPACK_PATH_MAX];

        snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
        int dirfd = dir_resolve(ap, path, dlen, true, path, err);
        if (dirfd < 0)
                return berr_wrap(err, "opaque directory");
        int r = pathset_add(&ap->layer_paths, dir);
        if (r < 0)
                return berr_fail(err, r, "out of memory");
        if ((r = note_parent(ap, dir, dlen, dirfd, err)) < 0)
                return r;
        return clear_lower(ap, dirfd, dir, 0, err);
}
