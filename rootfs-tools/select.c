/* Choosing the image to unpack (tag, digest, platform) and building its
 * plan: the manifest and config verified and parsed, the layers listed.
 * OCI layouts go index.json -> [index ->] manifest -> config + layers;
 * docker save archives go manifest.json -> config + layer files. */
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blob.h"
#include "cleanup.h"
#include "json.h"
#include "unpack_limits.h"
#include "platform.h"

const char *compression_name(enum compression c)
{
        switch (c) {
        case COMP_NONE:
                return "uncompressed";
        case COMP_GZIP:
                return "gzip";
        case COMP_ZSTD:
                return "zstd";
        case COMP_DETECT:
                return "detected";
        }
        return "?";
}

const char *layer_name(const struct layer_plan *l)
{
        return l->digest ? l->digest : l->file;
}

int image_ref_parse(char *arg, struct image_ref *ref, struct berr *err)
{
        struct stat st;

        memset(ref, 0, sizeof(*ref));
        ref->path = arg;
        if (stat(arg, &st) == 0)
                return 0;
        char *at = strstr(arg, "@sha256:");
        if (at) {
                *at = '\0';
                ref->digest = at + 1;
                return digest_check(ref->digest, "image digest", err);
        }
        for (char *c = strchr(arg, ':'); c; c = strchr(c + 1, ':')) {
                *c = '\0';
                if (stat(arg, &st) == 0) {
                        ref->tag = c + 1;
                        if (!*ref->tag)
                                return berr_fail(err, EINVAL, "image %s: empty tag", arg);
                        return 0;
                }
                *c = ':';
        }
        errno = ENOENT;
        return berr_sys(err, "image %s", arg);
}

/* Strip "docker.io/library/" style prefixes: "busybox:latest" matches
 * "docker.io/library/busybox:latest". */
static bool name_matches(const char *have, const char *want)
{
        if (!have)
                return false;
        if (strcmp(have, want) == 0)
                return true;
        size_t hl = strlen(have), wl = strlen(want);
        return hl > wl && have[hl - wl - 1] == '/' && strcmp(have + hl - wl, want) == 0;
}

static bool descriptor_matches(const struct descriptor *d, const struct image_ref *ref)
{
        if (ref->digest)
                return strcmp(d->digest, ref->digest) == 0;
        if (ref->tag)
                return name_matches(d->ref_name, ref->tag) || name_matches(d->image_name, ref->tag);
        return true;
}

static int list_names(const struct index *ix, char *buf, size_t size)
{
        size_t o = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < ix->n && o + 2 < size; i++) {
                int n = snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                                 descriptor_name(&ix->manifests[i]));
                if (n < 0)
                        break;
                o += (size_t)n;
        }
        return 0;
}

/* Among candidates of an index (all with a platform), the best match. */
static const struct descriptor *pick_platform(const struct descriptor **c, size_t n,
                                              const struct platform *want, const char *what,
                                              struct berr *err)
{
        const struct descriptor *best = NULL;
        int best_score = 0;
        char ws[128], buf[1024] = "";
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                if (!c[i]->has_platform)
                        continue;
                int s = platform_match(want, &c[i]->platform);
                if (s > best_score) {
                        best = c[i];
                        best_score = s;
                }
                char ps[128];
                int k = snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? ", " : "",
                                 platform_str(&c[i]->platform, ps, sizeof(ps)));
                if (k > 0 && (size_t)k < sizeof(buf) - o)
                        o += (size_t)k;
        }
        if (!best)
                berr_fail(err, ENOENT, "%s: no manifest for platform %s (it has: %s)", what,
                          platform_str(want, ws, sizeof(ws)), buf[0] ? buf : "none");
        return best;
}

/* From an index's entries, the one the user asked for: REF's tag (only set
 * for index.json, where tags live) or digest (until found), else by
 * platform. */
static const struct descriptor *choose(const struct index *ix, const struct image_ref *ref,
                                       const struct platform *want, const char *what,
                                       struct berr *err)
{
        _cleanup_free_ const struct descriptor **c = calloc(ix->n + 1, sizeof(*c));
        size_t n = 0;
        bool all_platform = true;
        char names[2048];

        if (!c) {
                berr_fail(err, ENOMEM, "out of memory");
                return NULL;
        }
        for (size_t i = 0; i < ix->n; i++) {
                if ((ref->tag || ref->digest) && !descriptor_matches(&ix->manifests[i], ref))
                        continue;
                c[n++] = &ix->manifests[i];
                all_platform = all_platform && ix->manifests[i].has_platform;
        }
        if (n == 0 && ref->digest && !ref->tag) {
                /* The digest may name a manifest inside the one nested index. */
                const struct descriptor *only = NULL;
                size_t indexes = 0;
                for (size_t i = 0; i < ix->n; i++)
                        if (media_type_is_index(ix->manifests[i].media_type)) {
                                only = &ix->manifests[i];
                                indexes++;
                        }
                if (indexes == 1)
                        return only;
        }
        if (n == 0) {
                list_names(ix, names, sizeof(names));
                if (ref->digest)
                        berr_fail(err, ENOENT, "%s: no manifest %s (it has: %s)", what, ref->digest,
                                  names[0] ? names : "none");
                else if (ref->tag)
                        berr_fail(err, ENOENT, "%s: no image tagged %s (it has: %s)", what,
                                  ref->tag, names[0] ? names : "none");
                else
                        berr_fail(err, ENOENT, "%s: no manifests", what);
                return NULL;
        }
        if (n == 1)
                return c[0];
        if (all_platform)
                return pick_platform(c, n, want, what, err);
        list_names(ix, names, sizeof(names));
        berr_fail(err, EINVAL, "%s: %zu images, name one with IMAGE:TAG or IMAGE@DIGEST: %s", what,
                  n, names);
        return NULL;
}

static int layer_compression(const char *mt, const char *what, enum compression *c,
                             struct berr *err)
{
        static const struct {
                const char *mt;
                enum compression c;
        } known[] = {
            {"application/vnd.oci.image.layer.v1.tar", COMP_NONE},
            {"application/vnd.oci.image.layer.v1.tar+gzip", COMP_GZIP},
            {"application/vnd.oci.image.layer.v1.tar+zstd", COMP_ZSTD},
            {"application/vnd.docker.image.rootfs.diff.tar.gzip", COMP_GZIP},
            {"application/vnd.docker.image.rootfs.diff.tar", COMP_NONE},
        };
        if (strstr(mt, "nondistributable") || strstr(mt, "foreign"))
                return berr_fail(err, ENOTSUP,
                                 "%s: foreign or non-distributable layer (%s) refused: it is not "
                                 "in the image",
                                 what, mt);
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
                if (strcmp(mt, known[i].mt) == 0) {
                        *c = known[i].c;
                        return 0;
                }
        }
        return berr_fail(err, ENOTSUP, "%s: unknown layer media type %.128s", what, mt);
}

static int load_config(struct image_source *src, const struct descriptor *d,
                       struct image_plan *plan, struct berr *err)
{
        char what[128];
        snprintf(what, sizeof(what), "config %s", d->digest);
        if (strcmp(d->media_type, MT_OCI_CONFIG) != 0 && strcmp(d->media_type, MT_DOCKER_CONFIG))
                return berr_fail(err, ENOTSUP, "%s: media type %.128s is not an image config", what,
                                 d->media_type);
        int r = blob_load_json(src, d->digest, d->size, UNPACK_CONFIG_JSON_MAX, what, &plan->config,
                               err);
        if (r < 0)
                return r;
        memcpy(plan->config_digest, d->digest, DIGEST_STR_MAX);
        return 0;
}

static int set_diff_ids(struct image_plan *plan, const char *what, struct berr *err)
{
        _cleanup_free_ const char **ids = NULL;
        size_t n = 0;
        int r = config_diff_ids(plan->config, &ids, &n, err);
        if (r < 0)
                return berr_wrap(err, "%s", what);
        if (n != plan->n)
                return berr_fail(err, EINVAL, "%s: %zu diff_ids for %zu layers in the manifest",
                                 what, n, plan->n);
        for (size_t i = 0; i < n; i++)
                snprintf(plan->layers[i].diff_id, DIGEST_STR_MAX, "%s", ids[i]);
        return 0;
}

static int plan_from_manifest(struct image_source *src, const struct descriptor *d,
                              struct image_plan *plan, struct berr *err)
{
        char what[128];
        yajl_val tree = NULL;
        struct manifest m = {0};
        int r;

        snprintf(what, sizeof(what), "manifest %s", d->digest);
        r = blob_load_json(src, d->digest, d->size, UNPACK_JSON_MAX, what, &tree, err);
        if (r < 0)
                return r;
        r = document_check_media_type(tree, d->media_type, what, err);
        if (r == 0)
                r = manifest_parse(tree, what, &m, err);
        yajl_tree_free(tree);
        if (r < 0) {
                manifest_free(&m);
                return r;
        }
        r = load_config(src, &m.config, plan, err);
        if (r < 0)
                goto out;
        plan->layers = calloc(m.n ? m.n : 1, sizeof(*plan->layers));
        if (!plan->layers) {
                r = berr_fail(err, ENOMEM, "out of memory");
                goto out;
        }
        for (size_t i = 0; i < m.n; i++) {
                struct descriptor *ld = &m.layers[i];
                struct layer_plan *l = &plan->layers[i];
                char lw[128], path[128];
                snprintf(lw, sizeof(lw), "layer %s", ld->digest);
                plan->n = i + 1;
                if ((r = layer_compression(ld->media_type, lw, &l->comp, err)) < 0)
                        goto out;
                if (ld->has_urls) {
                        r = berr_fail(err, ENOTSUP, "%s: layer with urls (foreign) refused", lw);
                        goto out;
                }
                blob_path(ld->digest, path, sizeof(path));
                l->file = strdup(path);
                l->digest = strdup(ld->digest);
                l->size = ld->size;
                l->size_known = true;
                if (!l->file || !l->digest) {
                        r = berr_fail(err, ENOMEM, "out of memory");
                        goto out;
                }
                plan->compressed_total += ld->size;
        }
        r = set_diff_ids(plan, what, err);
out:
        manifest_free(&m);
        return r;
}

static int plan_oci(struct image_source *src, const struct image_ref *ref,
                    const struct platform *want, struct image_plan *plan, struct berr *err)
{
        yajl_val tree = NULL;
        struct index ix = {0};
        char what[128] = "index.json";
        int r = file_load_json(src, "index.json", NULL, UNPACK_JSON_MAX, &tree, NULL, err);

        if (r < 0)
                return r;
        r = index_parse(tree, what, &ix, err);
        yajl_tree_free(tree);
        tree = NULL;
        struct image_ref cur = *ref;
        for (int depth = 0; r == 0; depth++) {
                const struct descriptor *d = choose(&ix, &cur, want, what, err);
                if (!d) {
                        r = err->status;
                        break;
                }
                cur.tag = NULL;
                if (cur.digest && strcmp(d->digest, cur.digest) == 0)
                        cur.digest = NULL;
                if (media_type_is_manifest(d->media_type)) {
                        r = plan_from_manifest(src, d, plan, err);
                        break;
                }
                if (!media_type_is_index(d->media_type)) {
                        r = berr_fail(err, ENOTSUP,
                                      "%s: %s has media type %.128s, neither an "
                                      "index nor a manifest",
                                      what, d->digest, d->media_type);
                        break;
                }
                if (depth + 1 >= UNPACK_INDEX_DEPTH) {
                        r = berr_fail(err, ELOOP, "%s: indexes nested deeper than %d", what,
                                      UNPACK_INDEX_DEPTH);
                        break;
                }
                char nwhat[128];
                snprintf(nwhat, sizeof(nwhat), "index %s", d->digest);
                r = blob_load_json(src, d->digest, d->size, UNPACK_JSON_MAX, nwhat, &tree, err);
                if (r == 0)
                        r = document_check_media_type(tree, d->media_type, nwhat, err);
                index_free(&ix);
                if (r == 0)
                        r = index_parse(tree, nwhat, &ix, err);
                yajl_tree_free(tree);
                tree = NULL;
                memcpy(what, nwhat, sizeof(what));
        }
        index_free(&ix);
        return r;
}

static bool docker_image_matches(const struct docker_image *im, const char *tag)
{
        for (size_t i = 0; i < im->n_tags; i++) {
                if (name_matches(im->repo_tags[i], tag))
                        return true;
                const char *colon = strrchr(im->repo_tags[i], ':');
                if (colon && !strchr(tag, ':') && strcmp(colon + 1, tag) == 0)
                        return true;
        }
        return false;
}

static int docker_layer_source_check(const struct docker_image *im, const char *diff_id,
                                     const char *what, struct berr *err)
{
        yajl_val ls = im->layer_sources;
        if (!ls || !YAJL_IS_OBJECT(ls))
                return 0;
        yajl_val src = json_get(ls, diff_id);
        if (!src)
                return 0;
        yajl_val mt = json_get(src, "mediaType");
        const char *s = (mt && YAJL_IS_STRING(mt)) ? mt->u.string : "a foreign layer";
        return berr_fail(err, ENOTSUP, "%s: foreign layer (%s) refused: it is not in the archive",
                         what, s);
}

static int plan_docker(struct image_source *src, const struct image_ref *ref,
                       struct image_plan *plan, struct berr *err)
{
        struct docker_manifest dm = {0};
        yajl_val tree = NULL;
        const struct docker_image *im = NULL;
        int r = file_load_json(src, "manifest.json", NULL, UNPACK_JSON_MAX, &tree, NULL, err);

        if (r < 0)
                return r;
        r = docker_manifest_parse(tree, &dm, err);
        if (r < 0)
                goto out;
        char names[2048] = "";
        size_t o = 0, matches = 0;
        for (size_t i = 0; i < dm.n; i++) {
                const struct docker_image *d = &dm.images[i];
                for (size_t t = 0; t < d->n_tags && o + 2 < sizeof(names); t++) {
                        int k = snprintf(names + o, sizeof(names) - o, "%s%s", o ? ", " : "",
                                         d->repo_tags[t]);
                        if (k > 0)
                                o += (size_t)k;
                }
                bool ok = true;
                if (ref->tag)
                        ok = docker_image_matches(d, ref->tag);
                if (ref->digest) {
                        /* docker archives name images by their config digest */
                        const char *base = strrchr(d->config, '/');
                        base = base ? base + 1 : d->config;
                        ok = strncmp(base, digest_hex(ref->digest), DIGEST_HEX_LEN) == 0;
                }
                if (ok) {
                        matches++;
                        im = d;
                }
        }
        if (matches == 0) {
                r = berr_fail(err, ENOENT, "manifest.json: no image %s (it has: %s)",
                              ref->tag      ? ref->tag
                              : ref->digest ? ref->digest
                                            : "",
                              names);
                goto out;
        }
        if (matches > 1) {
                r = berr_fail(err, EINVAL, "manifest.json: %zu images, name one with IMAGE:TAG: %s",
                              matches, names);
                goto out;
        }
        /* The config file is named by its digest: <hex>.json or blobs/sha256/<hex>. */
        char cdig[DIGEST_STR_MAX] = "";
        const char *base = strrchr(im->config, '/');
        base = base ? base + 1 : im->config;
        char expect[DIGEST_STR_MAX + 8];
        snprintf(expect, sizeof(expect), "sha256:%.64s", base);
        struct berr ign;
        bool named = digest_check(expect, "config", &ign) == 0;
        r = file_load_json(src, im->config, named ? expect : NULL, UNPACK_CONFIG_JSON_MAX,
                           &plan->config, cdig, err);
        if (r < 0) {
                berr_wrap(err, "config");
                goto out;
        }
        memcpy(plan->config_digest, cdig, DIGEST_STR_MAX);
        plan->layers = calloc(im->n_layers ? im->n_layers : 1, sizeof(*plan->layers));
        if (!plan->layers) {
                r = berr_fail(err, ENOMEM, "out of memory");
                goto out;
        }
        for (size_t i = 0; i < im->n_layers; i++) {
                struct layer_plan *l = &plan->layers[i];
                plan->n = i + 1;
                l->file = strdup(im->layers[i]);
                if (!l->file) {
                        r = berr_fail(err, ENOMEM, "out of memory");
                        goto out;
                }
                l->comp = COMP_DETECT;
                const char *lb = strrchr(l->file, '/');
                lb = lb ? lb + 1 : l->file;
                if (strncmp(l->file, "blobs/sha256/", 13) == 0) {
                        snprintf(expect, sizeof(expect), "sha256:%.64s", lb);
                        if (digest_check(expect, "layer", &ign) == 0)
                                l->digest = strdup(expect);
                }
                struct source_file f;
                if ((r = source_file_open(src, l->file, &f, err)) < 0) {
                        berr_wrap(err, "layer %s", l->file);
                        goto out;
                }
                l->size = f.size;
                plan->compressed_total += f.size;
                source_file_close(&f);
        }
        r = set_diff_ids(plan, "config", err);
        for (size_t i = 0; r == 0 && i < plan->n; i++) {
                char lw[128];
                snprintf(lw, sizeof(lw), "layer %s", plan->layers[i].file);
                r = docker_layer_source_check(im, plan->layers[i].diff_id, lw, err);
        }
out:
        docker_manifest_free(&dm);
        yajl_tree_free(tree);
        return r;
}

int plan_build(struct image_source *src, const struct image_ref *ref, const struct platform *want,
               struct image_plan *plan, struct berr *err)
{
        memset(plan, 0, sizeof(*plan));
        if (src->format == IMAGE_DOCKER_ARCHIVE)
                return plan_docker(src, ref, plan, err);
        return plan_oci(src, ref, want, plan, err);
}

void plan_free(struct image_plan *plan)
{
        for (size_t i = 0; plan->layers && i < plan->n; i++) {
                free(plan->layers[i].file);
                free(plan->layers[i].digest);
        }
        free(plan->layers);
        if (plan->config)
                yajl_tree_free(plan->config);
        memset(plan, 0, sizeof(*plan));
}
