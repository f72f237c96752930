/* Parsing of the image's JSON documents into small structs: OCI
 * descriptors, image indexes (and docker manifest lists), image manifests,
 * docker save's manifest.json, and the image config's rootfs. Errors name
 * the JSON path and the blob. */
#ifndef BERTH_UNPACK_IMAGE_JSON_H
#define BERTH_UNPACK_IMAGE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "error.h"

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

struct platform {
        char *os, *arch, *variant; /* variant may be NULL */
};

struct descriptor {
        char *media_type;
        char *digest;
        uint64_t size;
        bool has_platform;
        struct platform platform;
        char *ref_name;   /* org.opencontainers.image.ref.name */
        char *image_name; /* io.containerd.image.name */
        bool has_urls;
};

struct index {
        struct descriptor *manifests;
        size_t n;
};

struct manifest {
        struct descriptor config;
        struct descriptor *layers;
        size_t n;
};

/* One image of docker save's manifest.json. */
struct docker_image {
        char *config; /* path in the archive */
        char **repo_tags;
        size_t n_tags;
        char **layers; /* paths in the archive */
        size_t n_layers;
        yajl_val layer_sources; /* borrowed from the parsed tree, may be NULL */
};

struct docker_manifest {
        yajl_val tree;
        struct docker_image *images;
        size_t n;
};

enum index_or_manifest { DOC_INDEX, DOC_MANIFEST };

int descriptor_parse(yajl_val v, const char *path, struct descriptor *d, struct berr *err);
void descriptor_free(struct descriptor *d);
const char *descriptor_name(const struct descriptor *d);

bool media_type_is_index(const char *mt);
bool media_type_is_manifest(const char *mt);

/* Parse an index or a manifest; WHAT names the blob in errors. The
 * document's own mediaType, when present, must agree with EXPECT_MT (the
 * descriptor's), else it is a lying media type. */
int index_parse(yajl_val v, const char *what, struct index *ix, struct berr *err);
void index_free(struct index *ix);
int manifest_parse(yajl_val v, const char *what, struct manifest *m, struct berr *err);
void manifest_free(struct manifest *m);
int document_check_media_type(yajl_val v, const char *expect_mt, const char *what,
                              struct berr *err);

int docker_manifest_parse(yajl_val v, struct docker_manifest *dm, struct berr *err);
void docker_manifest_free(struct docker_manifest *dm);

/* The config's rootfs.diff_ids (checked digests), a borrowed view. */
int config_diff_ids(yajl_val config, const char ***ids, size_t *n, struct berr *err);

void platform_free(struct platform *p);

#endif
