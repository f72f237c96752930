/* Preparing, committing and abandoning the bundle: see bundle.h. */
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "remove_tree.h"

static bool dir_is_empty(int dirfd, const char *name)
{
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return false;
        _cleanup_closedir_ DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return false;
        }
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        return false;
        return true;
}

static void random_name(char *buf, size_t size, const char *prefix)
{
        unsigned char r[6];
        static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
                for (size_t i = 0; i < sizeof(r); i++)
                        r[i] = (unsigned char)(rand() ^ getpid());
        snprintf(buf, size, "%s%c%c%c%c%c%c", prefix, al[r[0] % 36], al[r[1] % 36], al[r[2] % 36],
                 al[r[3] % 36], al[r[4] % 36], al[r[5] % 36]);
}

int bundle_prepare(const char *path, struct bundle *b, struct berr *err)
{
        struct stat st;

        memset(b, 0, sizeof(*b));
        b->path = path;
        b->fd = b->rootfd = -1;
        if (mkdir(path, 0755) == 0)
                b->created = true;
        else if (errno != EEXIST)
                return berr_sys(err, "bundle %s", path);
        b->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (b->fd < 0)
                return berr_sys(err, "bundle %s", path);
        if (fstatat(b->fd, "rootfs", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            !(S_ISDIR(st.st_mode) && dir_is_empty(b->fd, "rootfs"))) {
                berr_fail(err, EEXIST, "bundle %s: rootfs already exists and is not empty", path);
                bundle_abort(b);
                return err->status;
        }
        for (int tries = 0; tries < 16; tries++) {
                random_name(b->tmp_root, sizeof(b->tmp_root), ".rootfs-");
                if (mkdirat(b->fd, b->tmp_root, 0755) == 0)
                        break;
                if (errno != EEXIST) {
                        berr_sys(err, "bundle %s: make a temporary rootfs", path);
                        b->tmp_root[0] = '\0';
                        bundle_abort(b);
                        return err->status;
                }
                b->tmp_root[0] = '\0';
        }
        if (!b->tmp_root[0]) {
                berr_fail(err, EEXIST, "bundle %s: no temporary name free", path);
                bundle_abort(b);
                return err->status;
        }
        b->rootfd = openat(b->fd, b->tmp_root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (b->rootfd < 0) {
                berr_sys(err, "bundle %s: open the temporary rootfs", path);
                bundle_abort(b);
                return err->status;
        }
        return 0;
}

int bundle_commit(struct bundle *b, const char *config, size_t len, struct berr *err)
{
        random_name(b->tmp_config, sizeof(b->tmp_config), ".config.json-");
        _cleanup_close_ int fd = openat(b->fd, b->tmp_config,
                                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return berr_sys(err, "bundle %s: write config.json", b->path);
        for (size_t done = 0; done < len;) {
                ssize_t n = write(fd, config + done, len - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return berr_sys(err, "bundle %s: write config.json", b->path);
                done += (size_t)n;
        }
        if (fsync(fd) < 0)
                return berr_sys(err, "bundle %s: write config.json", b->path);
        if (renameat(b->fd, b->tmp_root, b->fd, "rootfs") < 0)
                return berr_sys(err, "bundle %s: move rootfs into place", b->path);
        b->tmp_root[0] = '\0';
        if (renameat(b->fd, b->tmp_config, b->fd, "config.json") < 0)
                return berr_sys(err, "bundle %s: move config.json into place", b->path);
        b->tmp_config[0] = '\0';
        return 0;
}

void bundle_abort(struct bundle *b)
{
        struct berr ign;

        b->rootfd = safe_close(b->rootfd);
        if (b->fd >= 0 && b->tmp_root[0])
                remove_tree_at(b->fd, b->tmp_root, &ign);
        if (b->fd >= 0 && b->tmp_config[0])
                unlinkat(b->fd, b->tmp_config, 0);
        b->tmp_root[0] = b->tmp_config[0] = '\0';
        b->fd = safe_close(b->fd);
        if (b->created)
                rmdir(b->path);
}
