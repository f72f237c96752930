/* Checks and cleaning of tar entry names and link targets before anything
 * touches the disk: a name becomes a relative path of plain components, or
 * is refused (absolute, "..", too long, empty component junk). */
#ifndef BERTH_UNPACK_ENTRY_PATH_H
#define BERTH_UNPACK_ENTRY_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Clean NAME into OUT (size UNPACK_PATH_MAX): "./a//b/" -> "a/b"; the root
 * ("." or "./") becomes "". Refused with EINVAL/ENAMETOOLONG and a message
 * naming the entry: absolute names, any ".." component, a component longer
 * than NAME_MAX, a whole name of PATH_MAX or more. */
int entry_path_clean(const char *name, char *out, size_t out_size, struct berr *err);

/* What an entry's last component says about whiteouts. */
enum whiteout_kind {
        WHITEOUT_NONE,
        WHITEOUT_FILE,   /* ".wh.NAME": delete NAME from lower layers */
        WHITEOUT_OPAQUE, /* ".wh..wh..opq": hide the lower content of the dir */
        WHITEOUT_META,   /* other ".wh..wh.*" (AUFS bookkeeping): ignored */
};

/* Classify a cleaned PATH by its last component. For WHITEOUT_FILE the
 * whited-out name is entry_base(PATH) + 4, in the same directory. A
 * whiteout of "", "." or ".." is refused. */
int entry_whiteout(const char *path, enum whiteout_kind *kind, struct berr *err);

/* Split a cleaned path: the length of the directory part ("a/b/c" -> 3,
 * "c" -> 0) and the last component. */
size_t entry_dir_len(const char *path);
const char *entry_base(const char *path);

#endif
