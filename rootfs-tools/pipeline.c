/* The decoder thread and its bounded chunk queue: see pipeline.h. */
#include "pipeline.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "inflate_isal.h"
#include "unpack_limits.h"

#define QUEUE_CAP (UNPACK_CHUNKS + 2)
#define INPUT_SIZE (256u << 10)

enum item_kind { ITEM_DATA, ITEM_END, ITEM_ERROR };

struct item {
        enum item_kind kind;
        int buf;
        size_t len;
};

struct pipeline {
        struct image_source *src;
        const struct image_plan *plan;
        uint64_t max_size;
        pthread_t thread;
        bool started;
        pthread_mutex_t mu;
        pthread_cond_t cv;
        char *bufs[UNPACK_CHUNKS];
        int free_stack[UNPACK_CHUNKS];
        int n_free;
        struct item queue[QUEUE_CAP];
        size_t q_head, q_len;
        int held; /* buffer the consumer holds, or -1 */
        atomic_bool cancel;
        struct berr err; /* the decoder's error, for ITEM_ERROR */
        uint64_t decoded_total;
        _Atomic uint64_t decoded_compressed;
};

/* --- queue --- */

static int take_buffer(struct pipeline *p)
{
        pthread_mutex_lock(&p->mu);
        while (p->n_free == 0 && !atomic_load(&p->cancel))
                pthread_cond_wait(&p->cv, &p->mu);
        int b = p->n_free ? p->free_stack[--p->n_free] : -1;
        pthread_mutex_unlock(&p->mu);
        return b;
}

static void give_back(struct pipeline *p, int b)
{
        pthread_mutex_lock(&p->mu);
        p->free_stack[p->n_free++] = b;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
}

static int push(struct pipeline *p, struct item it)
{
        pthread_mutex_lock(&p->mu);
        while (p->q_len == QUEUE_CAP && !atomic_load(&p->cancel))
                pthread_cond_wait(&p->cv, &p->mu);
        if (atomic_load(&p->cancel)) {
                pthread_mutex_unlock(&p->mu);
                return -ECANCELED;
        }
        p->queue[(p->q_head + p->q_len) % QUEUE_CAP] = it;
        p->q_len++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        return 0;
}

/* --- decoder --- */

struct layer_job {
        struct pipeline *p;
        const struct layer_plan *l;
        struct source_file f;
        uint64_t in_off;
        struct sha256 blob_hash, tar_hash;
        bool tar_hash_separate;
        char inbuf[INPUT_SIZE];
        int out; /* the buffer being filled, or -1 */
        size_t out_len;
        uint64_t layer_total;
};

static la_ssize_t job_read(struct archive *a, void *data, const void **buf)
{
        struct layer_job *j = data;
        struct berr e;
        size_t n = INPUT_SIZE;

        if (atomic_load(&j->p->cancel)) {
                archive_set_error(a, ECANCELED, "cancelled");
                return -1;
        }
        if (j->f.size - j->in_off < n)
                n = (size_t)(j->f.size - j->in_off);
        if (n == 0)
                return 0;
        if (source_pread(&j->f, j->inbuf, n, j->in_off, &e) < 0) {
                archive_set_error(a, EIO, "%s", e.msg);
                return -1;
        }
        sha256_update(&j->blob_hash, j->inbuf, n);
        j->in_off += n;
        *buf = j->inbuf;
        return (la_ssize_t)n;
}

/* Hand the filled output buffer to the consumer. */
static int flush_out(struct layer_job *j, struct berr *err)
{
        if (j->out < 0 || j->out_len == 0)
                return 0;
        if (j->tar_hash_separate)
                sha256_update(&j->tar_hash, j->p->bufs[j->out], j->out_len);
        struct item it = {.kind = ITEM_DATA, .buf = j->out, .len = j->out_len};
        j->out = -1;
        j->out_len = 0;
        if (push(j->p, it) < 0)
                return berr_fail(err, ECANCELED, "cancelled");
        return 0;
}

static int count_out(struct layer_job *j, size_t n, struct berr *err)
{
        struct pipeline *p = j->p;
        p->decoded_total += n;
        j->layer_total += n;
        if (p->decoded_total > p->max_size)
                return berr_fail(err, EFBIG,
                                 "layer %s: unpacked content passes --max-size (%llu bytes): "
                                 "stopped (a decompression bomb?)",
                                 layer_name(j->l), (unsigned long long)p->max_size);
        return 0;
}

static int ensure_out(struct layer_job *j, struct berr *err)
{
        if (j->out >= 0)
                return 0;
        j->out = take_buffer(j->p);
        j->out_len = 0;
        if (j->out < 0)
                return berr_fail(err, ECANCELED, "cancelled");
        return 0;
}

static int magic_compression(const unsigned char *b, size_t n)
{
        if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
                return COMP_GZIP;
        if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
                return COMP_ZSTD;
        if (n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h')
                return -2; /* bzip2 */
        if (n >= 6 && memcmp(b,
                             "\xfd"
                             "7zXZ",
                             6) == 0)
                return -3; /* xz */
        return COMP_NONE;
}

static int decode_plain(struct layer_job *j, struct berr *err)
{
        while (j->in_off < j->f.size) {
                int r = ensure_out(j, err);
                if (r < 0)
                        return r;
                size_t n = UNPACK_CHUNK_SIZE;
                if (j->f.size - j->in_off < n)
                        n = (size_t)(j->f.size - j->in_off);
                char *b = j->p->bufs[j->out];
                if ((r = source_pread(&j->f, b, n, j->in_off, err)) < 0)
                        return berr_wrap(err, "layer %s", layer_name(j->l));
                sha256_update(&j->blob_hash, b, n);
                j->in_off += n;
                j->out_len = n;
                if ((r = count_out(j, n, err)) < 0 || (r = flush_out(j, err)) < 0)
                        return r;
        }
        return 0;
}

static long isal_input(void *arg, const void **buf, struct berr *err)
{
        struct layer_job *j = arg;
        size_t n = INPUT_SIZE;

        if (atomic_load(&j->p->cancel))
                return berr_fail(err, ECANCELED, "cancelled");
        if (j->f.size - j->in_off < n)
                n = (size_t)(j->f.size - j->in_off);
        if (n == 0)
                return 0;
        if (source_pread(&j->f, j->inbuf, n, j->in_off, err) < 0)
                return berr_wrap(err, "layer %s", layer_name(j->l));
        sha256_update(&j->blob_hash, j->inbuf, n);
        j->in_off += n;
        *buf = j->inbuf;
        return (long)n;
}

/* gzip with ISA-L (see inflate_isal.h). */
static int decode_gzip_isal(struct layer_job *j, struct berr *err)
{
        struct isal_gz *g = NULL;
        int r = isal_gz_new(isal_input, j, &g, err);

        while (r == 0) {
                if ((r = ensure_out(j, err)) < 0)
                        break;
                char *b = j->p->bufs[j->out];
                long n = isal_gz_read(g, b + j->out_len, UNPACK_CHUNK_SIZE - j->out_len, err);
                if (n < 0) {
                        r = err->status == -ECANCELED
                                ? (int)n
                                : berr_wrap(err, "layer %s", layer_name(j->l));
                        break;
                }
                if (n == 0)
                        break;
                j->out_len += (size_t)n;
                if ((r = count_out(j, (size_t)n, err)) < 0)
                        break;
                if (j->out_len == UNPACK_CHUNK_SIZE)
                        r = flush_out(j, err);
        }
        isal_gz_free(g);
        if (r == 0)
                r = flush_out(j, err);
        /* Whatever follows the compressed stream is hashed too. */
        while (r == 0 && j->in_off < j->f.size) {
                const void *ign;
                if (isal_input(j, &ign, err) <= 0)
                        r = err->status < 0 ? err->status : -EIO;
        }
        return r;
}

static int decode_compressed(struct layer_job *j, enum compression c, struct berr *err)
{
        if (c == COMP_GZIP && isal_available())
                return decode_gzip_isal(j, err);
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        int r = 0;

        if (!a)
                return berr_fail(err, ENOMEM, "out of memory");
        if (c == COMP_GZIP)
                archive_read_support_filter_gzip(a);
        else
                archive_read_support_filter_zstd(a);
        archive_read_support_format_raw(a);
        if (archive_read_open(a, j, NULL, job_read, NULL) != ARCHIVE_OK ||
            archive_read_next_header(a, &e) != ARCHIVE_OK) {
                r = berr_fail(err, EINVAL, "layer %s: %s: %s", layer_name(j->l),
                              compression_name(c), archive_error_string(a));
                goto out;
        }
        for (;;) {
                if ((r = ensure_out(j, err)) < 0)
                        goto out;
                char *b = j->p->bufs[j->out];
                la_ssize_t n = archive_read_data(a, b + j->out_len, UNPACK_CHUNK_SIZE - j->out_len);
                if (n < 0) {
                        const char *why = archive_error_string(a);
                        r = berr_fail(err, EINVAL, "layer %s: %s data: %s", layer_name(j->l),
                                      compression_name(c), why ? why : "damaged");
                        goto out;
                }
                if (n == 0)
                        break;
                j->out_len += (size_t)n;
                if ((r = count_out(j, (size_t)n, err)) < 0)
                        goto out;
                if (j->out_len == UNPACK_CHUNK_SIZE && (r = flush_out(j, err)) < 0)
                        goto out;
        }
        r = flush_out(j, err);
        /* Hash whatever follows the compressed stream, so the blob digest
         * covers every byte of the blob. */
        while (r == 0 && j->in_off < j->f.size) {
                const void *ign;
                la_ssize_t n = job_read(a, j, &ign);
                if (n <= 0)
                        r = berr_fail(err, EIO, "layer %s: read", layer_name(j->l));
        }
out:
        archive_read_free(a);
        return r;
}

static int decode_layer(struct pipeline *p, size_t i, struct layer_job *j, struct berr *err)
{
        const struct layer_plan *l = &p->plan->layers[i];
        int r;

        memset(j, 0, offsetof(struct layer_job, inbuf));
        j->p = p;
        j->l = l;
        j->out = -1;
        r = source_file_open(p->src, l->file, &j->f, err);
        if (r < 0)
                return berr_wrap(err, "layer %s: missing blob", layer_name(l));
        posix_fadvise(j->f.fd, (off_t)j->f.offset, (off_t)j->f.size, POSIX_FADV_SEQUENTIAL);
        if (l->size_known && j->f.size != l->size) {
                r = berr_fail(err, EBADMSG,
                              "layer %s: size mismatch: blob has %llu bytes, descriptor says %llu",
                              layer_name(l), (unsigned long long)j->f.size,
                              (unsigned long long)l->size);
                goto out;
        }
        unsigned char head[8] = {0};
        size_t hn = j->f.size < sizeof(head) ? (size_t)j->f.size : sizeof(head);
        if ((r = source_pread(&j->f, head, hn, 0, err)) < 0) {
                berr_wrap(err, "layer %s", layer_name(l));
                goto out;
        }
        int found = magic_compression(head, hn);
        if (found < 0) {
                r = berr_fail(err, ENOTSUP, "layer %s: %s compression is not supported",
                              layer_name(l), found == -2 ? "bzip2" : "xz");
                goto out;
        }
        enum compression c = l->comp == COMP_DETECT ? (enum compression)found : l->comp;
        if ((enum compression)found != c) {
                r = berr_fail(err, EBADMSG,
                              "layer %s: media type says %s but the content is %s "
                              "(magic bytes)",
                              layer_name(l), compression_name(c),
                              compression_name((enum compression)found));
                goto out;
        }
        if ((r = sha256_init(&j->blob_hash, err)) < 0)
                goto out;
        j->tar_hash_separate = c != COMP_NONE;
        if (j->tar_hash_separate && (r = sha256_init(&j->tar_hash, err)) < 0)
                goto out;
        r = c == COMP_NONE ? decode_plain(j, err) : decode_compressed(j, c, err);
        if (r < 0 && r != -ECANCELED && l->digest) {
                /* Damaged data: say whether the blob differs from its digest,
                 * which is the clearer cause. */
                struct berr e2 = {0};
                char got[DIGEST_STR_MAX];
                while (j->in_off < j->f.size) {
                        size_t n = j->f.size - j->in_off < INPUT_SIZE
                                       ? (size_t)(j->f.size - j->in_off)
                                       : INPUT_SIZE;
                        if (source_pread(&j->f, j->inbuf, n, j->in_off, &e2) < 0)
                                goto out;
                        sha256_update(&j->blob_hash, j->inbuf, n);
                        j->in_off += n;
                }
                if (sha256_final(&j->blob_hash, got, &e2) == 0 && strcmp(got, l->digest) != 0)
                        r = berr_fail(err, EBADMSG, "layer %s: digest mismatch: content is %s",
                                      l->digest, got);
                goto out;
        }
        if (r < 0)
                goto out;
        char blob_digest[DIGEST_STR_MAX], tar_digest[DIGEST_STR_MAX];
        if ((r = sha256_final(&j->blob_hash, blob_digest, err)) < 0)
                goto out;
        if (j->tar_hash_separate) {
                if ((r = sha256_final(&j->tar_hash, tar_digest, err)) < 0)
                        goto out;
        } else {
                memcpy(tar_digest, blob_digest, sizeof(tar_digest));
        }
        if (l->digest && strcmp(blob_digest, l->digest) != 0) {
                r = berr_fail(err, EBADMSG, "layer %s: digest mismatch: content is %s", l->digest,
                              blob_digest);
                goto out;
        }
        if (strcmp(tar_digest, l->diff_id) != 0) {
                r = berr_fail(err, EBADMSG,
                              "layer %s: uncompressed digest %s does not match diff_id %s",
                              layer_name(l), tar_digest, l->diff_id);
                goto out;
        }
        atomic_fetch_add(&p->decoded_compressed, j->f.size);
out:
        sha256_free(&j->blob_hash);
        sha256_free(&j->tar_hash);
        if (j->out >= 0)
                give_back(p, j->out);
        j->out = -1;
        source_file_close(&j->f);
        return r;
}

static void *decoder_main(void *arg)
{
        struct pipeline *p = arg;
        struct layer_job *j = malloc(sizeof(*j));

        if (!j) {
                berr_fail(&p->err, ENOMEM, "decoder: out of memory");
                push(p, (struct item){.kind = ITEM_ERROR});
                return NULL;
        }
        for (size_t i = 0; i < p->plan->n; i++) {
                struct berr e;
                berr_clear(&e);
                if (decode_layer(p, i, j, &e) < 0) {
                        if (e.status != -ECANCELED) {
                                pthread_mutex_lock(&p->mu);
                                p->err = e;
                                pthread_mutex_unlock(&p->mu);
                                push(p, (struct item){.kind = ITEM_ERROR});
                        }
                        break;
                }
                if (push(p, (struct item){.kind = ITEM_END}) < 0)
                        break;
        }
        free(j);
        return NULL;
}

int pipeline_start(struct image_source *src, const struct image_plan *plan, uint64_t max_size,
                   struct pipeline **out, struct berr *err)
{
        struct pipeline *p = calloc(1, sizeof(*p));

        if (!p)
                return berr_fail(err, ENOMEM, "out of memory");
        p->src = src;
        p->plan = plan;
        p->max_size = max_size;
        p->held = -1;
        pthread_mutex_init(&p->mu, NULL);
        pthread_cond_init(&p->cv, NULL);
        for (int i = 0; i < UNPACK_CHUNKS; i++) {
                p->bufs[i] = malloc(UNPACK_CHUNK_SIZE);
                if (!p->bufs[i]) {
                        pipeline_stop(p);
                        return berr_fail(err, ENOMEM, "out of memory");
                }
                p->free_stack[p->n_free++] = i;
        }
        int r = pthread_create(&p->thread, NULL, decoder_main, p);
        if (r != 0) {
                pipeline_stop(p);
                errno = r;
                return berr_sys(err, "start the decoder thread");
        }
        p->started = true;
        *out = p;
        return 0;
}

int pipeline_next(struct pipeline *p, size_t layer, const void **buf, size_t *len, struct berr *err)
{
        (void)layer;
        if (p->held >= 0) {
                give_back(p, p->held);
                p->held = -1;
        }
        pthread_mutex_lock(&p->mu);
        while (p->q_len == 0)
                pthread_cond_wait(&p->cv, &p->mu);
        struct item it = p->queue[p->q_head];
        p->q_head = (p->q_head + 1) % QUEUE_CAP;
        p->q_len--;
        pthread_cond_broadcast(&p->cv);
        if (it.kind == ITEM_ERROR) {
                *err = p->err;
                /* Leave the error in place for any later call. */
                p->q_head = (p->q_head + QUEUE_CAP - 1) % QUEUE_CAP;
                p->q_len++;
                pthread_mutex_unlock(&p->mu);
                return err->status < 0 ? err->status : -EIO;
        }
        pthread_mutex_unlock(&p->mu);
        if (it.kind == ITEM_END)
                return 0;
        p->held = it.buf;
        *buf = p->bufs[it.buf];
        *len = it.len;
        return 1;
}

uint64_t pipeline_decoded_bytes(struct pipeline *p)
{
        return atomic_load(&p->decoded_compressed);
}

void pipeline_stop(struct pipeline *p)
{
        if (!p)
                return;
        atomic_store(&p->cancel, true);
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (p->started)
                pthread_join(p->thread, NULL);
        for (int i = 0; i < UNPACK_CHUNKS; i++)
                free(p->bufs[i]);
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        free(p);
}
