/* gzip through ISA-L's isal_inflate: see inflate_isal.h. Concatenated gzip
 * members are decoded one after the other, as gzip -d does. Without
 * HAVE_ISAL this file only says that ISA-L is not there and the decoder
 * uses libarchive's gzip filter (zlib). */
#include "inflate_isal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>

struct isal_gz {
        struct inflate_state st;
        isal_read_fn read;
        void *arg;
        bool input_done, finished;
};

bool isal_available(void)
{
        return true;
}

int isal_gz_new(isal_read_fn read, void *arg, struct isal_gz **out, struct berr *err)
{
        struct isal_gz *g = calloc(1, sizeof(*g));
        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        isal_inflate_init(&g->st);
        g->st.crc_flag = ISAL_GZIP;
        g->read = read;
        g->arg = arg;
        *out = g;
        return 0;
}

static int refill(struct isal_gz *g, struct berr *err)
{
        const void *buf;
        long n = g->read(g->arg, &buf, err);
        if (n < 0)
                return (int)n;
        if (n == 0) {
                g->input_done = true;
                return 0;
        }
        g->st.next_in = (uint8_t *)buf;
        g->st.avail_in = (uint32_t)n;
        return 0;
}

long isal_gz_read(struct isal_gz *g, void *out, size_t size, struct berr *err)
{
        size_t done = 0;

        while (done < size && !g->finished) {
                if (g->st.block_state == ISAL_BLOCK_FINISH) {
                        /* Another member follows, or the stream ends. */
                        if (g->st.avail_in == 0 && !g->input_done && refill(g, err) < 0)
                                return err->status;
                        if (g->st.avail_in == 0) {
                                g->finished = true;
                                break;
                        }
                        if (g->st.avail_in >= 1 && g->st.next_in[0] != 0x1f) {
                                g->finished = true; /* trailing bytes: not gzip data */
                                break;
                        }
                        isal_inflate_reset(&g->st);
                        g->st.crc_flag = ISAL_GZIP;
                }
                if (g->st.avail_in == 0 && !g->input_done) {
                        if (refill(g, err) < 0)
                                return err->status;
                }
                g->st.next_out = (uint8_t *)out + done;
                g->st.avail_out = (uint32_t)(size - done);
                int r = isal_inflate(&g->st);
                done = size - g->st.avail_out;
                if (r < 0)
                        return berr_fail(err, EINVAL, "gzip data: %s",
                                         r == ISAL_INCORRECT_CHECKSUM ? "wrong checksum"
                                         : r == ISAL_INVALID_WRAPPER  ? "bad gzip header"
                                                                      : "damaged deflate data");
                if (g->st.block_state != ISAL_BLOCK_FINISH && g->st.avail_in == 0 &&
                    g->input_done && g->st.avail_out != 0)
                        return berr_fail(err, EINVAL, "gzip data: truncated gzip input");
        }
        return (long)done;
}

void isal_gz_free(struct isal_gz *g)
{
        free(g);
}

#else

bool isal_available(void)
{
        return false;
}

int isal_gz_new(isal_read_fn read, void *arg, struct isal_gz **out, struct berr *err)
{
        (void)read;
        (void)arg;
        *out = NULL;
        return berr_fail(err, ENOTSUP, "built without ISA-L");
}

long isal_gz_read(struct isal_gz *g, void *out, size_t size, struct berr *err)
{
        (void)g;
        (void)out;
        (void)size;
        return berr_fail(err, ENOTSUP, "built without ISA-L");
}

void isal_gz_free(struct isal_gz *g)
{
        (void)g;
}

#endif
