/* Internal to runtime/oci/: the typed field readers the config parser is
 * built from. Each reads one member of a JSON object, checks its type and
 * limits, and names the member's JSON path (".linux.resources.memory") in
 * its error. Absent and null optional members leave the output untouched. */
#ifndef BERTH_OCI_PARSE_H
#define BERTH_OCI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "cleanup.h"
#include "config.h"
#include "error.h"
#include "json.h"

/* Longest JSON path kept in messages (longer ones are cut). */
#define OCI_PATH_MAX 512
/* Hostile-input limits: elements of any one array or object, and bytes of
 * any one string (paths are further held to PATH_MAX). */
#define OCI_ARRAY_MAX 100000
#define OCI_STRING_MAX (1u << 20) /* CRI-O puts all pod annotations into one */

/* PARENT + ".KEY" and PARENT + "[I]" into BUF; return BUF. */
const char *jp_key(char buf[OCI_PATH_MAX], const char *parent, const char *key);
const char *jp_idx(char buf[OCI_PATH_MAX], const char *parent, size_t i);

/* The member KEY of OBJ, or NULL when absent or null. */
yajl_val jp_member(yajl_val obj, const char *key);

/* "PARENT.KEY: required field is missing" */
int jp_missing(const char *parent, const char *key, struct berr *err);

/* Optional members; *out is set only when the member is present. */
int jp_string(yajl_val obj, const char *key, const char *parent, char **out, struct berr *err);
int jp_bool(yajl_val obj, const char *key, const char *parent, bool *out, struct berr *err);
int jp_opt_bool(yajl_val obj, const char *key, const char *parent, oci_opt_bool *out,
                struct berr *err);
int jp_opt_i64(yajl_val obj, const char *key, const char *parent, int64_t min, int64_t max,
               oci_opt_i64 *out, struct berr *err);
int jp_opt_u64(yajl_val obj, const char *key, const char *parent, uint64_t max, oci_opt_u64 *out,
               struct berr *err);

/* Required members: absent is "required field is missing". */
int jp_string_req(yajl_val obj, const char *key, const char *parent, char **out, struct berr *err);
int jp_u32_req(yajl_val obj, const char *key, const char *parent, uint32_t *out, struct berr *err);
int jp_i64_req(yajl_val obj, const char *key, const char *parent, int64_t *out, struct berr *err);
int jp_u64_req(yajl_val obj, const char *key, const char *parent, uint64_t *out, struct berr *err);

/* An optional object member: *out is NULL when absent or null. */
int jp_object(yajl_val obj, const char *key, const char *parent, yajl_val *out, struct berr *err);
/* An optional array member of at most OCI_ARRAY_MAX elements: *out NULL
 * and *len 0 when absent or null. */
int jp_array(yajl_val obj, const char *key, const char *parent, yajl_val *out, size_t *len,
             struct berr *err);

/* Array of strings -> NULL-terminated strv. */
int jp_strv(yajl_val obj, const char *key, const char *parent, struct oci_strv *out,
            struct berr *err);
/* Object of string values -> key/value list (in document order, duplicate
 * keys keep the last value). */
int jp_kv_map(yajl_val obj, const char *key, const char *parent, struct oci_kv_list *out,
              struct berr *err);
/* [{containerID, hostID, size}] with at most MAX entries. */
int jp_idmaps(yajl_val obj, const char *key, const char *parent, size_t max,
              struct oci_idmap_list *out, struct berr *err);

/* PATH must be absolute ("PATH: must be an absolute path, got \"x\""). */
int jp_check_absolute(const char *value, const char *path, struct berr *err);
/* A string of at most PATH_MAX-1 bytes. */
int jp_check_path_len(const char *value, const char *path, struct berr *err);
/* No "/"-separated component of VALUE is "..". */
int jp_check_no_dotdot(const char *value, const char *path, struct berr *err);

/* "0-3,7" style CPU/memory-node list (empty is fine). */
int jp_check_cpu_list(const char *value, const char *path, struct berr *err);

/* The member indexes of object OBJ that count (the last of each key:
 * duplicates are resolved as Go does), in key order or, with DOC_ORDER, in
 * document order; O(n log n). Free the result. */
size_t *jp_key_order(yajl_val obj, bool doc_order, size_t *n, struct berr *err);

/* calloc that fails with ENOMEM in err. */
void *jp_calloc(size_t n, size_t size, struct berr *err);
char *jp_strdup(const char *s, struct berr *err);

/* The sections, each in its own file. PARENT is the JSON path of the
 * section's object ("" for the top of process.json). */
int oci_parse_process(yajl_val v, const char *parent, struct oci_process *p, struct berr *err);
int oci_parse_mounts(yajl_val root, struct oci_config *cfg, struct berr *err);
int oci_parse_hooks(yajl_val root, struct oci_config *cfg, struct berr *err);
int oci_parse_linux(yajl_val v, const char *parent, struct oci_linux *l, struct berr *err);
int oci_parse_resources(yajl_val v, const char *parent, struct oci_resources *r, struct berr *err);
int oci_parse_seccomp(yajl_val v, const char *parent, struct oci_seccomp *sc, struct berr *err);
/* Cross-field checks once everything is parsed (namespaces vs. fields
 * that need them). */
int oci_validate_config(const struct oci_config *cfg, struct berr *err);

/* Free the contents of embedded structs (not the struct itself). */
void oci_process_clear(struct oci_process *p);
void oci_linux_clear(struct oci_linux *l);
void oci_resources_clear(struct oci_resources *r);
void oci_seccomp_free(struct oci_seccomp *sc);
void oci_strv_clear(struct oci_strv *v);
void oci_kv_list_clear(struct oci_kv_list *l);

#endif
