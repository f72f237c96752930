/* What to unpack, once the image is chosen: the image config (verified and
 * parsed) and the list of layer blobs with their digests, sizes,
 * compression and diff_ids. Built by select.c, consumed by the layer
 * pipeline and the config generator. */
#ifndef BERTH_UNPACK_PLAN_H
#define BERTH_UNPACK_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "digest.h"
#include "error.h"
#include "image_json.h"
#include "source.h"

enum compression { COMP_NONE, COMP_GZIP, COMP_ZSTD, COMP_DETECT };

struct layer_plan {
        char *file;   /* the file in the image: "blobs/sha256/<hex>", "<id>/layer.tar" */
        char *digest; /* the blob's digest, NULL when the format names none */
        uint64_t size;
        bool size_known;
        enum compression comp;
        char diff_id[DIGEST_STR_MAX];
};

struct image_plan {
        yajl_val config;
        char config_digest[DIGEST_STR_MAX];
        struct layer_plan *layers;
        size_t n;
        uint64_t compressed_total;
};

/* What the user asked for on the command line. */
struct image_ref {
        const char *path;
        const char *tag;    /* NULL or the TAG of IMAGE:TAG */
        const char *digest; /* NULL or the sha256:... of IMAGE@DIGEST */
};

/* Split IMAGE[:TAG|@DIGEST]. The longest prefix that exists on disk is the
 * path, so paths with ':' work. ARG is modified. */
int image_ref_parse(char *arg, struct image_ref *ref, struct berr *err);

/* Choose the manifest (tag, digest, platform), verify and parse it and the
 * config, and list the layers. */
int plan_build(struct image_source *src, const struct image_ref *ref, const struct platform *want,
               struct image_plan *plan, struct berr *err);
void plan_free(struct image_plan *plan);

const char *compression_name(enum compression c);
/* A layer name for messages: its digest or its file. */
const char *layer_name(const struct layer_plan *l);

#endif
