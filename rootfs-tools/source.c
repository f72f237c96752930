/* Opening an image and its files: see source.h. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "safepath.h"

const char *source_format_name(enum image_format f)
{
        switch (f) {
        case IMAGE_OCI_DIR:
                return "OCI layout directory";
        case IMAGE_OCI_ARCHIVE:
                return "OCI archive";
        case IMAGE_DOCKER_ARCHIVE:
                return "docker save archive";
        }
        return "?";
}

bool source_exists(struct image_source *src, const char *name)
{
        struct berr err;
        struct source_file f;

        if (source_file_open(src, name, &f, &err) < 0)
                return false;
        source_file_close(&f);
        return true;
}

int source_open(const char *path, struct image_source *src, struct berr *err)
{
        struct stat st;

        memset(src, 0, sizeof(*src));
        src->fd = -1;
        src->path = strdup(path);
        if (!src->path)
                return berr_fail(err, ENOMEM, "out of memory");
        src->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (src->fd < 0)
                return berr_sys(err, "image %s", path);
        if (fstat(src->fd, &st) < 0)
                return berr_sys(err, "image %s", path);
        if (S_ISDIR(st.st_mode)) {
                src->format = IMAGE_OCI_DIR;
                if (!source_exists(src, "oci-layout") || !source_exists(src, "index.json"))
                        return berr_fail(err, EINVAL,
                                         "image %s: a directory without oci-layout and "
                                         "index.json is not an OCI image layout",
                                         path);
                return 0;
        }
        if (!S_ISREG(st.st_mode))
                return berr_fail(err, EINVAL, "image %s: neither a directory nor a file", path);
        src->archive_size = (uint64_t)st.st_size;
        unsigned char head[512] = {0};
        ssize_t n = pread(src->fd, head, sizeof(head), 0);
        if (n < 0)
                return berr_sys(err, "image %s", path);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
                return berr_fail(err, EINVAL, "image %s: a gzip file; decompress it first (gunzip)",
                                 path);
        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
                return berr_fail(err, EINVAL, "image %s: a zstd file; decompress it first (unzstd)",
                                 path);
        if (n < 512 || !tar_header_valid(head))
                return berr_fail(err, EINVAL,
                                 "image %s: not an image (neither an OCI layout directory nor a "
                                 "tar archive)",
                                 path);
        int r = tar_index_build(src->fd, src->archive_size, &src->index, err);
        if (r < 0)
                return berr_wrap(err, "image %s", path);
        if (tar_index_find(&src->index, "index.json") && tar_index_find(&src->index, "oci-layout"))
                src->format = IMAGE_OCI_ARCHIVE;
        else if (tar_index_find(&src->index, "manifest.json"))
                src->format = IMAGE_DOCKER_ARCHIVE;
        else
                return berr_fail(err, EINVAL,
                                 "image %s: a tar archive with neither index.json and oci-layout "
                                 "(OCI) nor manifest.json (docker save)",
                                 path);
        return 0;
}

void source_close(struct image_source *src)
{
        safe_close(src->fd);
        src->fd = -1;
        tar_index_free(&src->index);
        free(src->path);
        src->path = NULL;
}

int source_file_open(struct image_source *src, const char *name, struct source_file *f,
                     struct berr *err)
{
        memset(f, 0, sizeof(*f));
        f->fd = -1;
        if (src->format == IMAGE_OCI_DIR) {
                struct stat st;
                int fd = safe_openat(src->fd, name, O_RDONLY, 0, err);
                if (fd < 0)
                        return berr_wrap(err, "image %s", src->path);
                if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                        close(fd);
                        return berr_fail(err, EINVAL, "image %s: %s is not a regular file",
                                         src->path, name);
                }
                f->fd = fd;
                f->owned = true;
                f->size = (uint64_t)st.st_size;
                return 0;
        }
        const struct tar_member *m = tar_index_find(&src->index, name);
        if (!m)
                return berr_fail(err, ENOENT, "image %s: no %s in the archive", src->path, name);
        if (m->type != TAR_MEMBER_FILE)
                return berr_fail(err, EINVAL, "image %s: %s is not a regular file", src->path,
                                 name);
        f->fd = src->fd;
        f->owned = false;
        f->offset = m->offset;
        f->size = m->size;
        return 0;
}

void source_file_close(struct source_file *f)
{
        if (f->owned)
                safe_close(f->fd);
        f->fd = -1;
}

int source_pread(const struct source_file *f, void *buf, size_t len, uint64_t off, struct berr *err)
{
        size_t done = 0;

        if (off > f->size || len > f->size - off)
                return berr_fail(err, EIO, "read past the end of the file");
        while (done < len) {
                ssize_t n =
                    pread(f->fd, (char *)buf + done, len - done, (off_t)(f->offset + off + done));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return berr_sys(err, "read");
                if (n == 0)
                        return berr_fail(err, EIO, "file shrank while being read");
                done += (size_t)n;
        }
        return 0;
}

int source_read_all(struct image_source *src, const char *name, size_t max, char **buf, size_t *len,
                    struct berr *err)
{
        struct source_file f;
        int r = source_file_open(src, name, &f, err);

        if (r < 0)
                return r;
        if (f.size > max) {
                source_file_close(&f);
                return berr_fail(err, EFBIG, "%s: %llu bytes, more than the %zu allowed", name,
                                 (unsigned long long)f.size, max);
        }
        char *b = malloc(f.size + 1);
        if (!b) {
                source_file_close(&f);
                return berr_fail(err, ENOMEM, "%s: out of memory", name);
        }
        r = source_pread(&f, b, f.size, 0, err);
        source_file_close(&f);
        if (r < 0) {
                free(b);
                return berr_wrap(err, "%s", name);
        }
        b[f.size] = '\0';
        *buf = b;
        *len = f.size;
        return 0;
}
