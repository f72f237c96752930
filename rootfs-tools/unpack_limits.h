/* The limits berth-unpack puts on an untrusted image: sizes of JSON blobs,
 * tar entry names, entry counts, and the default cap on unpacked bytes. */
#ifndef BERTH_UNPACK_LIMITS_H
#define BERTH_UNPACK_LIMITS_H

#include <stdint.h>

/* index.json, manifests, indexes, docker manifest.json, image configs. */
#define UNPACK_JSON_MAX (4u << 20)
#define UNPACK_CONFIG_JSON_MAX (8u << 20)
/* Nested image indexes followed at most. */
#define UNPACK_INDEX_DEPTH 4
/* Layers in one image. */
#define UNPACK_LAYERS_MAX 256
/* Tar entries over all layers. */
#define UNPACK_ENTRIES_MAX (1u << 22)
/* A cleaned entry name, a link target, one component. */
#define UNPACK_PATH_MAX 4096
#define UNPACK_NAME_MAX 255
/* xattrs of one entry, in bytes of names and values together. */
#define UNPACK_XATTRS_MAX (1u << 20)
/* /etc/passwd and /etc/group read for user resolution. */
#define UNPACK_PASSWD_MAX (4u << 20)
/* Default --max-size: this many times the compressed size of the layers,
 * at least UNPACK_MIN_DEFAULT_MAX, at most UNPACK_MAX_DEFAULT_MAX. */
#define UNPACK_SIZE_RATIO 100
#define UNPACK_MIN_DEFAULT_MAX ((uint64_t)1 << 30)
#define UNPACK_MAX_DEFAULT_MAX ((uint64_t)64 << 30)
/* Read-ahead between the decoder thread and the applier. */
#define UNPACK_CHUNK_SIZE (512u << 10)
#define UNPACK_CHUNKS 16

#endif
