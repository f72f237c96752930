/* The layer loop: read the tar stream of each layer with libarchive (fed
 * by the decoder pipeline), check each entry's name, dispatch whiteouts and
 * entries, and set directory times at the end of the layer. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply_int.h"
#include "cleanup.h"
#include "entry_path.h"
#include "unpack_limits.h"

int applier_new(int rootfd, const struct apply_options *opt, struct applier **out, struct berr *err)
{
        struct applier *ap = calloc(1, sizeof(*ap));
        if (!ap)
                return berr_fail(err, ENOMEM, "out of memory");
        ap->rootfd = rootfd;
        ap->opt = *opt;
        ap->is_root = geteuid() == 0;
        struct stat st;
        ap->root_sgid = fstat(rootfd, &st) < 0 || (st.st_mode & S_ISGID);
        for (int i = 0; i < DIRCACHE_SLOTS; i++)
                ap->cache[i].fd = -1;
        clock_gettime(CLOCK_MONOTONIC, &ap->start);
        *out = ap;
        return 0;
}

void applier_free(struct applier *ap)
{
        if (!ap)
                return;
        dircache_clear(ap);
        pathset_clear(&ap->layer_paths);
        pathset_clear(&ap->dirs_timed);
        for (size_t i = 0; i < ap->n_dir_times; i++)
                free(ap->dir_times[i].path);
        free(ap->dir_times);
        free(ap);
}

static int apply_one(struct applier *ap, struct archive *a, struct archive_entry *e,
                     struct berr *err)
{
        char path[UNPACK_PATH_MAX];
        const char *name = archive_entry_pathname(e);
        enum whiteout_kind wk;
        int r;

        if (!name)
                return berr_fail(err, EINVAL, "entry with an unreadable name");
        if (++ap->entries > UNPACK_ENTRIES_MAX)
                return berr_fail(err, E2BIG, "more than %u entries: refused", UNPACK_ENTRIES_MAX);
        if ((r = entry_path_clean(name, path, sizeof(path), err)) < 0)
                return r;
        if ((r = entry_whiteout(path, &wk, err)) < 0)
                return r;
        switch (wk) {
        case WHITEOUT_META:
                return 0;
        case WHITEOUT_OPAQUE:
                return apply_opaque(ap, path, err);
        case WHITEOUT_FILE:
                return apply_whiteout(ap, path, err);
        case WHITEOUT_NONE:
                break;
        }
        if ((r = write_entry(ap, a, e, path, err)) < 0)
                return r;
        if (path[0] && (r = pathset_add(&ap->layer_paths, path)) < 0)
                return berr_fail(err, r, "out of memory");
        return 0;
}

/* Reads of the tar stream, from the pipeline or from an fd. */
struct tar_feed {
        struct applier *ap;
        struct pipeline *p;
        size_t layer;
        int fd;
        char *fdbuf;
        bool ended, failed, padded;
        struct berr err;
};

/* Some writers (umoci 0.4) end a layer right after the last file's data,
 * without the padding and the two zero blocks of a tar end. The stream's
 * digest is already checked against the diff_id when it ends, so zeros
 * added there only complete the tar; a layer cut short any earlier still
 * fails. */
static const char tar_end_padding[512 * 3];

static la_ssize_t feed_read(struct archive *a, void *data, const void **buf)
{
        struct tar_feed *f = data;
        size_t len = 0;

        if (f->ended) {
                if (f->padded || !f->p)
                        return 0;
                f->padded = true;
                *buf = tar_end_padding;
                return (la_ssize_t)sizeof(tar_end_padding);
        }
        if (!f->p) {
                ssize_t n = read(f->fd, f->fdbuf, UNPACK_CHUNK_SIZE);
                if (n < 0) {
                        archive_set_error(a, errno, "read");
                        return -1;
                }
                *buf = f->fdbuf;
                f->ended = n == 0;
                return n == 0 ? feed_read(a, data, buf) : n;
        }
        int r = pipeline_next(f->p, f->layer, buf, &len, &f->err);
        if (r < 0) {
                f->failed = true;
                archive_set_error(a, EIO, "%s", f->err.msg);
                return -1;
        }
        if (r == 0) {
                f->ended = true;
                return feed_read(a, data, buf);
        }
        f->ap->bytes_seen += len;
        return (la_ssize_t)len;
}

static int apply_stream(struct applier *ap, struct tar_feed *feed, const char *name,
                        struct berr *err)
{
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        int r = 0;

        if (!a)
                return berr_fail(err, ENOMEM, "out of memory");
        archive_read_support_format_tar(a);
        archive_read_support_format_empty(a);
        pathset_clear(&ap->layer_paths);
        if (archive_read_open(a, feed, NULL, feed_read, NULL) != ARCHIVE_OK) {
                r = -EINVAL;
                goto fail;
        }
        for (;;) {
                int ar = archive_read_next_header(a, &e);
                if (ar == ARCHIVE_EOF)
                        break;
                if (ar < ARCHIVE_WARN) {
                        r = -EINVAL;
                        goto fail;
                }
                if (ap->opt.stop && *ap->opt.stop) {
                        r = berr_fail(err, EINTR, "layer %s: interrupted by signal %d", name,
                                      *ap->opt.stop);
                        goto out;
                }
                if ((r = apply_one(ap, a, e, err)) < 0) {
                        if (feed->failed)
                                goto fail;
                        berr_wrap(err, "layer %s", name);
                        goto out;
                }
                if (ap->opt.show_progress && (ap->entries & 63) == 0)
                        progress_draw(ap, false);
        }
        /* The tar end may come before the stream's: read to the end, where
         * the pipeline reports the layer's digests checked. */
        while (!feed->ended) {
                const void *b;
                if (feed_read(a, feed, &b) < 0) {
                        r = -EIO;
                        goto fail;
                }
        }
        if ((r = apply_dir_times(ap, err)) < 0)
                berr_wrap(err, "layer %s", name);
        goto out;
fail:
        if (feed->failed) {
                *err = feed->err;
        } else {
                const char *why = archive_error_string(a);
                berr_fail(err, EINVAL, "layer %s: tar: %s", name, why ? why : "unreadable");
        }
        r = err->status;
out:
        archive_read_free(a);
        return r;
}

int apply_layer(struct applier *ap, struct pipeline *p, size_t i, const char *name,
                struct berr *err)
{
        struct tar_feed feed = {.ap = ap, .p = p, .layer = i, .fd = -1};
        ap->layer = i;
        int r = apply_stream(ap, &feed, name, err);
        if (r == 0 && ap->opt.show_progress)
                progress_draw(ap, i + 1 == ap->opt.n_layers);
        return r;
}

int apply_tar_fd(struct applier *ap, int fd, const char *name, struct berr *err)
{
        struct tar_feed feed = {.ap = ap, .fd = fd};
        feed.fdbuf = malloc(UNPACK_CHUNK_SIZE);
        if (!feed.fdbuf)
                return berr_fail(err, ENOMEM, "out of memory");
        int r = apply_stream(ap, &feed, name, err);
        free(feed.fdbuf);
        return r;
}
