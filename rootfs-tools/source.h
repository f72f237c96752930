/* Where an image's files come from: an OCI layout directory, or a tar file
 * holding an OCI layout or a docker save archive. The format is told from
 * the content, never from the file name. */
#ifndef BERTH_UNPACK_SOURCE_H
#define BERTH_UNPACK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tar_index.h"

enum image_format { IMAGE_OCI_DIR, IMAGE_OCI_ARCHIVE, IMAGE_DOCKER_ARCHIVE };

struct image_source {
        enum image_format format;
        int fd; /* the layout directory, or the archive file */
        uint64_t archive_size;
        struct tar_index index;
        char *path;
};

/* A file of the image, readable with pread(fd, ..., offset + i). */
struct source_file {
        int fd; /* owned when `owned` */
        bool owned;
        uint64_t offset, size;
};

int source_open(const char *path, struct image_source *src, struct berr *err);
void source_close(struct image_source *src);
const char *source_format_name(enum image_format f);
bool source_exists(struct image_source *src, const char *name);

/* Open NAME ("index.json", "blobs/sha256/<hex>", "<id>/layer.tar"). */
int source_file_open(struct image_source *src, const char *name, struct source_file *f,
                     struct berr *err);
void source_file_close(struct source_file *f);

/* Read the whole of NAME (at most MAX bytes) into a NUL-terminated buffer. */
int source_read_all(struct image_source *src, const char *name, size_t max, char **buf, size_t *len,
                    struct berr *err);

/* Read exactly LEN bytes at OFF within F. */
int source_pread(const struct source_file *f, void *buf, size_t len, uint64_t off,
                 struct berr *err);

#endif
