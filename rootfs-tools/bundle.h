/* The bundle directory: the rootfs is unpacked into a temporary directory
 * beside BUNDLE/rootfs and renamed into place at the end, with config.json
 * written the same way; a failure removes what was made and leaves BUNDLE
 * as it was. */
#ifndef BERTH_UNPACK_BUNDLE_H
#define BERTH_UNPACK_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct bundle {
        const char *path;
        int fd;       /* BUNDLE */
        int rootfd;   /* the temporary rootfs */
        bool created; /* BUNDLE did not exist before */
        char tmp_root[32];
        char tmp_config[32];
};

/* Make or open BUNDLE; refuse an existing non-empty BUNDLE/rootfs. */
int bundle_prepare(const char *path, struct bundle *b, struct berr *err);
/* Write config.json and move the rootfs into place. */
int bundle_commit(struct bundle *b, const char *config, size_t len, struct berr *err);
/* Remove the temporary rootfs (and BUNDLE when we made it). */
void bundle_abort(struct bundle *b);

#endif
