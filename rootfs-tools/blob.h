/* Reading small blobs (indexes, manifests, configs) with their size and
 * SHA-256 checked against the descriptor before a byte is parsed. */
#ifndef BERTH_UNPACK_BLOB_H
#define BERTH_UNPACK_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "error.h"
#include "source.h"

/* "blobs/sha256/<hex>" for a checked digest. */
void blob_path(const char *digest, char *out, size_t size);

/* Read the blob DIGEST of SIZE bytes (at most MAX), verify, parse as JSON.
 * WHAT names it in errors ("manifest sha256:..."). */
int blob_load_json(struct image_source *src, const char *digest, uint64_t size, size_t max,
                   const char *what, yajl_val *out, struct berr *err);

/* Read and parse FILE of the image with no digest to check (index.json,
 * docker's manifest.json), or with EXPECT_DIGEST when not NULL. */
int file_load_json(struct image_source *src, const char *file, const char *expect_digest,
                   size_t max, yajl_val *out, char digest_out[72], struct berr *err);

#endif
