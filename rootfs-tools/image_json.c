/* JSON documents of an image into structs: see image_json.h. */
#include "image_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "json.h"
#include "unpack_limits.h"

static int dup_string(yajl_val v, const char *path, char **out, struct berr *err)
{
        const char *s;
        int r = json_expect_string(v, path, &s, err);
        if (r < 0)
                return r;
        *out = strdup(s);
        if (!*out)
                return berr_fail(err, ENOMEM, "%s: out of memory", path);
        return 0;
}

static int opt_string(yajl_val obj, const char *key, const char *path, char **out, struct berr *err)
{
        yajl_val v = json_get(obj, key);
        char p[256];

        *out = NULL;
        if (!v)
                return 0;
        snprintf(p, sizeof(p), "%s.%s", path, key);
        return dup_string(v, p, out, err);
}

void platform_free(struct platform *p)
{
        free(p->os);
        free(p->arch);
        free(p->variant);
        memset(p, 0, sizeof(*p));
}

int descriptor_parse(yajl_val v, const char *path, struct descriptor *d, struct berr *err)
{
        char p[256];
        int r;

        memset(d, 0, sizeof(*d));
        if ((r = json_expect_object(v, path, err)) < 0)
                return r;
        snprintf(p, sizeof(p), "%s.mediaType", path);
        yajl_val mt = json_get(v, "mediaType");
        if (!mt)
                return berr_fail(err, EINVAL, "%s: missing", p);
        if ((r = dup_string(mt, p, &d->media_type, err)) < 0)
                return r;
        snprintf(p, sizeof(p), "%s.digest", path);
        yajl_val dg = json_get(v, "digest");
        if (!dg)
                return berr_fail(err, EINVAL, "%s: missing", p);
        if ((r = dup_string(dg, p, &d->digest, err)) < 0)
                return r;
        if ((r = digest_check(d->digest, p, err)) < 0)
                return r;
        snprintf(p, sizeof(p), "%s.size", path);
        yajl_val sz = json_get(v, "size");
        if (!sz)
                return berr_fail(err, EINVAL, "%s: missing", p);
        if ((r = json_expect_uint_max(sz, p, INT64_MAX, &d->size, err)) < 0)
                return r;
        yajl_val urls = json_get(v, "urls");
        d->has_urls = urls && YAJL_IS_ARRAY(urls) && urls->u.array.len > 0;
        yajl_val pf = json_get(v, "platform");
        if (pf) {
                snprintf(p, sizeof(p), "%s.platform", path);
                if ((r = json_expect_object(pf, p, err)) < 0)
                        return r;
                if ((r = opt_string(pf, "os", p, &d->platform.os, err)) < 0 ||
                    (r = opt_string(pf, "architecture", p, &d->platform.arch, err)) < 0 ||
                    (r = opt_string(pf, "variant", p, &d->platform.variant, err)) < 0)
                        return r;
                if (!d->platform.os || !d->platform.arch)
                        return berr_fail(err, EINVAL, "%s: needs os and architecture", p);
                d->has_platform = true;
        }
        yajl_val ann = json_get(v, "annotations");
        if (ann) {
                snprintf(p, sizeof(p), "%s.annotations", path);
                if ((r = json_expect_object(ann, p, err)) < 0)
                        return r;
                if ((r = opt_string(ann, "org.opencontainers.image.ref.name", p, &d->ref_name,
                                    err)) < 0 ||
                    (r = opt_string(ann, "io.containerd.image.name", p, &d->image_name, err)) < 0)
                        return r;
        }
        return 0;
}

void descriptor_free(struct descriptor *d)
{
        free(d->media_type);
        free(d->digest);
        free(d->ref_name);
        free(d->image_name);
        platform_free(&d->platform);
        memset(d, 0, sizeof(*d));
}

const char *descriptor_name(const struct descriptor *d)
{
        if (d->ref_name)
                return d->ref_name;
        if (d->image_name)
                return d->image_name;
        return d->digest;
}

bool media_type_is_index(const char *mt)
{
        return strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0;
}

bool media_type_is_manifest(const char *mt)
{
        return strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0;
}

int document_check_media_type(yajl_val v, const char *expect_mt, const char *what, struct berr *err)
{
        yajl_val mt = json_get(v, "mediaType");
        const char *s;
        int r;

        if (!mt || !expect_mt)
                return 0;
        if ((r = json_expect_string(mt, ".mediaType", &s, err)) < 0)
                return berr_wrap(err, "%s", what);
        if (strcmp(s, expect_mt) != 0)
                return berr_fail(err, EINVAL,
                                 "%s: media type %s in the document, but %s in its descriptor",
                                 what, s, expect_mt);
        return 0;
}

static int descriptor_array(yajl_val arr, const char *path, const char *what,
                            struct descriptor **out, size_t *n, struct berr *err)
{
        int r;

        if ((r = json_expect_array(arr, path, err)) < 0)
                return berr_wrap(err, "%s", what);
        size_t len = arr->u.array.len;
        if (len > UNPACK_LAYERS_MAX * 4)
                return berr_fail(err, E2BIG, "%s: %s has %zu entries, too many", what, path, len);
        *out = calloc(len ? len : 1, sizeof(**out));
        if (!*out)
                return berr_fail(err, ENOMEM, "%s: out of memory", what);
        *n = len;
        for (size_t i = 0; i < len; i++) {
                char p[128];
                snprintf(p, sizeof(p), "%s[%zu]", path, i);
                if ((r = descriptor_parse(arr->u.array.values[i], p, &(*out)[i], err)) < 0)
                        return berr_wrap(err, "%s", what);
        }
        return 0;
}

static int schema_version_2(yajl_val v, const char *what, struct berr *err)
{
        yajl_val sv = json_get(v, "schemaVersion");
        int64_t n;
        int r;

        if (!sv)
                return berr_fail(err, EINVAL, "%s: .schemaVersion: missing", what);
        if ((r = json_expect_i64(sv, ".schemaVersion", &n, err)) < 0)
                return berr_wrap(err, "%s", what);
        if (n != 2)
                return berr_fail(err, EINVAL, "%s: .schemaVersion: %lld is not supported", what,
                                 (long long)n);
        return 0;
}

int index_parse(yajl_val v, const char *what, struct index *ix, struct berr *err)
{
        int r;

        memset(ix, 0, sizeof(*ix));
        if ((r = json_expect_object(v, "", err)) < 0)
                return berr_wrap(err, "%s", what);
        if ((r = schema_version_2(v, what, err)) < 0)
                return r;
        yajl_val m = json_get(v, "manifests");
        if (!m)
                return berr_fail(err, EINVAL, "%s: .manifests: missing", what);
        return descriptor_array(m, ".manifests", what, &ix->manifests, &ix->n, err);
}

void index_free(struct index *ix)
{
        for (size_t i = 0; ix->manifests && i < ix->n; i++)
                descriptor_free(&ix->manifests[i]);
        free(ix->manifests);
        memset(ix, 0, sizeof(*ix));
}

int manifest_parse(yajl_val v, const char *what, struct manifest *m, struct berr *err)
{
        int r;

        memset(m, 0, sizeof(*m));
        if ((r = json_expect_object(v, "", err)) < 0)
                return berr_wrap(err, "%s", what);
        if ((r = schema_version_2(v, what, err)) < 0)
                return r;
        yajl_val c = json_get(v, "config");
        if (!c)
                return berr_fail(err, EINVAL, "%s: .config: missing", what);
        if ((r = descriptor_parse(c, ".config", &m->config, err)) < 0)
                return berr_wrap(err, "%s", what);
        yajl_val l = json_get(v, "layers");
        if (!l)
                return berr_fail(err, EINVAL, "%s: .layers: missing", what);
        if ((r = descriptor_array(l, ".layers", what, &m->layers, &m->n, err)) < 0)
                return r;
        if (m->n > UNPACK_LAYERS_MAX)
                return berr_fail(err, E2BIG, "%s: %zu layers, more than %d", what, m->n,
                                 UNPACK_LAYERS_MAX);
        return 0;
}

void manifest_free(struct manifest *m)
{
        descriptor_free(&m->config);
        for (size_t i = 0; m->layers && i < m->n; i++)
                descriptor_free(&m->layers[i]);
        free(m->layers);
        memset(m, 0, sizeof(*m));
}

static int string_array(yajl_val arr, const char *path, char ***out, size_t *n, struct berr *err)
{
        int r;

        *out = NULL;
        *n = 0;
        if ((r = json_expect_array(arr, path, err)) < 0)
                return r;
        size_t len = arr->u.array.len;
        *out = calloc(len + 1, sizeof(char *));
        if (!*out)
                return berr_fail(err, ENOMEM, "%s: out of memory", path);
        for (size_t i = 0; i < len; i++) {
                char p[128];
                snprintf(p, sizeof(p), "%s[%zu]", path, i);
                if ((r = dup_string(arr->u.array.values[i], p, &(*out)[i], err)) < 0)
                        return r;
                *n = i + 1;
        }
        return 0;
}

int docker_manifest_parse(yajl_val v, struct docker_manifest *dm, struct berr *err)
{
        int r;

        dm->images = NULL;
        dm->n = 0;
        if ((r = json_expect_array(v, "", err)) < 0)
                return berr_wrap(err, "manifest.json");
        size_t len = v->u.array.len;
        if (len > 10000)
                return berr_fail(err, E2BIG, "manifest.json: too many images");
        dm->images = calloc(len ? len : 1, sizeof(*dm->images));
        if (!dm->images)
                return berr_fail(err, ENOMEM, "manifest.json: out of memory");
        for (size_t i = 0; i < len; i++) {
                yajl_val im = v->u.array.values[i];
                struct docker_image *d = &dm->images[i];
                char p[128];
                dm->n = i + 1;
                snprintf(p, sizeof(p), "[%zu]", i);
                if ((r = json_expect_object(im, p, err)) < 0)
                        return berr_wrap(err, "manifest.json");
                snprintf(p, sizeof(p), "[%zu].Config", i);
                yajl_val c = json_get(im, "Config");
                if (!c)
                        return berr_fail(err, EINVAL, "manifest.json: %s: missing", p);
                if ((r = dup_string(c, p, &d->config, err)) < 0)
                        return berr_wrap(err, "manifest.json");
                yajl_val t = json_get(im, "RepoTags");
                if (t && !YAJL_IS_NULL(t)) {
                        snprintf(p, sizeof(p), "[%zu].RepoTags", i);
                        if ((r = string_array(t, p, &d->repo_tags, &d->n_tags, err)) < 0)
                                return berr_wrap(err, "manifest.json");
                }
                yajl_val l = json_get(im, "Layers");
                if (!l)
                        return berr_fail(err, EINVAL, "manifest.json: [%zu].Layers: missing", i);
                snprintf(p, sizeof(p), "[%zu].Layers", i);
                if ((r = string_array(l, p, &d->layers, &d->n_layers, err)) < 0)
                        return berr_wrap(err, "manifest.json");
                if (d->n_layers > UNPACK_LAYERS_MAX)
                        return berr_fail(err, E2BIG, "manifest.json: %s: more than %d layers", p,
                                         UNPACK_LAYERS_MAX);
                d->layer_sources = json_get(im, "LayerSources");
        }
        return 0;
}

void docker_manifest_free(struct docker_manifest *dm)
{
        for (size_t i = 0; dm->images && i < dm->n; i++) {
                struct docker_image *d = &dm->images[i];
                free(d->config);
                for (size_t j = 0; j < d->n_tags; j++)
                        free(d->repo_tags[j]);
                free(d->repo_tags);
                for (size_t j = 0; j < d->n_layers; j++)
                        free(d->layers[j]);
                free(d->layers);
        }
        free(dm->images);
        dm->images = NULL;
        dm->n = 0;
}

int config_diff_ids(yajl_val config, const char ***ids, size_t *n, struct berr *err)
{
        int r;

        if ((r = json_expect_object(config, "", err)) < 0)
                return r;
        yajl_val rootfs = json_get(config, "rootfs");
        if (!rootfs)
                return berr_fail(err, EINVAL, ".rootfs: missing");
        if ((r = json_expect_object(rootfs, ".rootfs", err)) < 0)
                return r;
        yajl_val type = json_get(rootfs, "type");
        const char *ts;
        if (!type)
                return berr_fail(err, EINVAL, ".rootfs.type: missing");
        if ((r = json_expect_string(type, ".rootfs.type", &ts, err)) < 0)
                return r;
        if (strcmp(ts, "layers") != 0)
                return berr_fail(err, EINVAL, ".rootfs.type: \"%.64s\" is not \"layers\"", ts);
        yajl_val d = json_get(rootfs, "diff_ids");
        if (!d)
                return berr_fail(err, EINVAL, ".rootfs.diff_ids: missing");
        if ((r = json_expect_array(d, ".rootfs.diff_ids", err)) < 0)
                return r;
        size_t len = d->u.array.len;
        if (len > UNPACK_LAYERS_MAX)
                return berr_fail(err, E2BIG, ".rootfs.diff_ids: too many");
        const char **v = calloc(len + 1, sizeof(*v));
        if (!v)
                return berr_fail(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < len; i++) {
                char p[64];
                snprintf(p, sizeof(p), ".rootfs.diff_ids[%zu]", i);
                if ((r = json_expect_string(d->u.array.values[i], p, &v[i], err)) < 0 ||
                    (r = digest_check(v[i], p, err)) < 0) {
                        free(v);
                        return r;
                }
        }
        *ids = v;
        *n = len;
        return 0;
}
