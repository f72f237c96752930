/* gzip decoding with Intel's ISA-L (igzip) when berth-unpack is built with
 * it: a streaming inflater about four times as fast as zlib, so the decoder
 * thread stays ahead of the applier with the same bounded buffers. */
#ifndef BERTH_UNPACK_INFLATE_ISAL_H
#define BERTH_UNPACK_INFLATE_ISAL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct isal_gz;

/* Read callback: fill *buf with the next input bytes; returns their count,
 * 0 at the end, < 0 on error (ERR set). */
typedef long (*isal_read_fn)(void *arg, const void **buf, struct berr *err);

bool isal_available(void);
int isal_gz_new(isal_read_fn read, void *arg, struct isal_gz **out, struct berr *err);
/* Up to SIZE decoded bytes into OUT: the count, 0 at the end of the last
 * gzip member, < 0 on damaged or truncated input (ERR set). */
long isal_gz_read(struct isal_gz *g, void *out, size_t size, struct berr *err);
void isal_gz_free(struct isal_gz *g);

#endif
