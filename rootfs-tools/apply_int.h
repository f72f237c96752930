/* Internals shared by the apply_*.c files: the applier's state, the cache
 * of resolved directory fds, and the per-entry helpers. */
#ifndef BERTH_UNPACK_APPLY_INT_H
#define BERTH_UNPACK_APPLY_INT_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "apply.h"
#include "pathset.h"

#define DIRCACHE_SLOTS 16

struct dircache_slot {
        char *path; /* cleaned, relative; NULL when free */
        int fd;     /* O_PATH|O_DIRECTORY */
        bool sgid;  /* new entries inherit the directory's group */
};

struct dir_time {
        char *path;
        struct timespec ts[2];
};

struct applier {
        int rootfd;
        struct apply_options opt;
        bool is_root;     /* euid and egid 0: new files are 0:0 unless... */
        bool root_sgid;   /* ...their directory is setgid */
        bool parent_sgid; /* that, for the directory dir_resolve returned last */
        uint64_t written;
        uint64_t entries;
        struct pathset layer_paths;
        struct pathset dirs_timed; /* directories whose time this layer will set */
        struct dircache_slot cache[DIRCACHE_SLOTS];
        unsigned cache_next;
        struct dir_time *dir_times;
        size_t n_dir_times, cap_dir_times;
        bool warned_owner, warned_dev, warned_xattr;
        /* progress */
        size_t layer;
        uint64_t layer_bytes_done, bytes_seen;
        struct timespec start, last_draw;
};

/* The directory PATH[0..dlen) as a borrowed O_PATH fd, created (0755) when
 * missing; a symlink or non-directory on the way is an error naming ENTRY. */
int dir_resolve(struct applier *ap, const char *path, size_t dlen, bool create, const char *entry,
                struct berr *err);
/* Forget cached fds at or below PATH (it was removed or replaced). */
void dircache_forget(struct applier *ap, const char *path);
void dircache_clear(struct applier *ap);

/* Remove whatever is at BASE in DIRFD (PATH is its full name). */
int remove_existing(struct applier *ap, int dirfd, const char *base, const char *path,
                    struct berr *err);

int apply_whiteout(struct applier *ap, const char *path, struct berr *err);
int apply_opaque(struct applier *ap, const char *path, struct berr *err);

/* Create the entry PATH from E (data read from A for regular files). */
int write_entry(struct applier *ap, struct archive *a, struct archive_entry *e, const char *path,
                struct berr *err);
/* Before this layer first changes the directory PATH[0..dlen) (open as
 * DIRFD) without an entry of its own, remember its times to put them back
 * at the end of the layer, as umoci does. */
int note_parent(struct applier *ap, const char *path, size_t dlen, int dirfd, struct berr *err);
/* Set the deferred directory times of this layer. */
int apply_dir_times(struct applier *ap, struct berr *err);

void progress_draw(struct applier *ap, bool final);

#endif
