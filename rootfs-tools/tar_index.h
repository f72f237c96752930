/* An index of the members of an uncompressed tar file (an OCI archive or a
 * docker save archive): name -> offset and size of the data, so blobs are
 * read in place with pread and never copied out. */
#ifndef BERTH_UNPACK_TAR_INDEX_H
#define BERTH_UNPACK_TAR_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum tar_member_type { TAR_MEMBER_FILE, TAR_MEMBER_DIR, TAR_MEMBER_SYMLINK, TAR_MEMBER_OTHER };

struct tar_member {
        char *name; /* cleaned: "blobs/sha256/..." */
        char *link; /* symlink target, or NULL */
        enum tar_member_type type;
        uint64_t offset, size;
};

struct tar_index {
        struct tar_member *v;
        size_t n, cap;
};

/* Is the 512-byte block a tar header (checksum right)? */
bool tar_header_valid(const unsigned char block[512]);

/* Index the tar file FD of FILE_SIZE bytes. */
int tar_index_build(int fd, uint64_t file_size, struct tar_index *idx, struct berr *err);

/* Find NAME (cleaned), following symlinks inside the archive. */
const struct tar_member *tar_index_find(const struct tar_index *idx, const char *name);

void tar_index_free(struct tar_index *idx);

#endif
