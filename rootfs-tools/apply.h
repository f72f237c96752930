/* Applying layers onto a root directory with image-spec semantics
 * (whiteouts, opaque directories, replacements, hardlinks, symlinks, modes,
 * owners, times, xattrs, devices). Every path is resolved below the root
 * without following any symlink, and every write goes through a resolved
 * directory fd; nothing can land outside the root. */
#ifndef BERTH_UNPACK_APPLY_H
#define BERTH_UNPACK_APPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "pipeline.h"

struct applier;

struct apply_options {
        uint64_t max_size;    /* total bytes of regular files */
        bool all_xattrs;      /* also trusted.* and security.selinux */
        bool show_progress;   /* a progress bar on stderr */
        uint64_t total_bytes; /* compressed size of all layers, for progress */
        size_t n_layers;
        volatile int *stop; /* set by a signal handler: abandon at the next entry */
};

int applier_new(int rootfd, const struct apply_options *opt, struct applier **out,
                struct berr *err);
void applier_free(struct applier *ap);

/* Apply layer number I (named NAME in errors) whose tar stream comes from
 * the pipeline. */
int apply_layer(struct applier *ap, struct pipeline *p, size_t i, const char *name,
                struct berr *err);

/* Apply one tar stream read from an fd (tests, fuzzing). */
int apply_tar_fd(struct applier *ap, int fd, const char *name, struct berr *err);

#endif
