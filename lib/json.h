/* JSON input for berth (yajl tree API) with limits against hostile input
 * (size, nesting) and typed accessors whose errors name the JSON path:
 * ".linux.resources.memory.limit: expected an integer, got a string". */
#ifndef BERTH_JSON_H
#define BERTH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "error.h"

#define JSON_MAX_DEPTH 64
/* Most members of any one array or object. */
#define JSON_MAX_MEMBERS 100000

/* Parse LEN bytes (need not be NUL-terminated). Nesting deeper than
 * JSON_MAX_DEPTH and arrays/objects of more than JSON_MAX_MEMBERS are
 * refused before yajl sees them. Free with yajl_tree_free. */
int json_parse(const char *buf, size_t len, yajl_val *out, struct berr *err);

/* Read and parse a whole file of at most MAX_BYTES. */
int json_load_file(const char *path, size_t max_bytes, yajl_val *out, struct berr *err);
int json_load_fd(int fd, size_t max_bytes, yajl_val *out, struct berr *err);

/* Read a whole fd into a NUL-terminated heap buffer (at most MAX_BYTES). */
int read_fd_limited(int fd, size_t max_bytes, char **out, size_t *len, struct berr *err);

/* "a string", "an integer", "a number", "an object", "an array", "a boolean", "null". */
const char *json_type_name(yajl_val v);

/* The member KEY of object OBJ, or NULL when absent (or OBJ is not an object). */
yajl_val json_get(yajl_val obj, const char *key);

/* Typed views of V; PATH names V in the error ("expected X, got Y"). */
int json_expect_object(yajl_val v, const char *path, struct berr *err);
int json_expect_array(yajl_val v, const char *path, struct berr *err);
int json_expect_string(yajl_val v, const char *path, const char **out, struct berr *err);
int json_expect_bool(yajl_val v, const char *path, bool *out, struct berr *err);
int json_expect_i64(yajl_val v, const char *path, int64_t *out, struct berr *err);
/* Accepts the whole uint64 range (yajl only gives integers up to INT64_MAX). */
int json_expect_u64(yajl_val v, const char *path, uint64_t *out, struct berr *err);
/* An unsigned integer no larger than MAX. */
int json_expect_uint_max(yajl_val v, const char *path, uint64_t max, uint64_t *out,
                         struct berr *err);

#endif
