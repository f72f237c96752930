/* The decoder side of the unpack pipeline: a thread that reads each layer
 * blob in order, hashes it, decompresses it (gzip, zstd or none, checked
 * against the magic bytes), hashes the tar stream for its diff_id, and
 * hands the tar bytes over in chunks through a bounded queue, so the next
 * layers are decoded while the applier writes the current one. Memory is
 * bounded by UNPACK_CHUNKS * UNPACK_CHUNK_SIZE. */
#ifndef BERTH_UNPACK_PIPELINE_H
#define BERTH_UNPACK_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "plan.h"
#include "source.h"

struct pipeline;

/* Start decoding every layer of PLAN from SRC. The decoded total over all
 * layers may not pass MAX_SIZE bytes. */
int pipeline_start(struct image_source *src, const struct image_plan *plan, uint64_t max_size,
                   struct pipeline **out, struct berr *err);

/* The next chunk of layer LAYER's tar stream: returns 1 with buf and len, 0
 * at the end of the layer once its digests are verified, < 0 with ERR set
 * when the decoder failed. The chunk stays valid until the next call. */
int pipeline_next(struct pipeline *p, size_t layer, const void **buf, size_t *len,
                  struct berr *err);

/* Compressed bytes of the layers the decoder has finished (for progress). */
uint64_t pipeline_decoded_bytes(struct pipeline *p);

/* Stop the decoder (if still running), wait for it, free everything. */
void pipeline_stop(struct pipeline *p);

#endif
