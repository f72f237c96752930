/* A set of the paths one layer has written, with their ancestors, so that
 * an opaque directory or a whiteout spares the entries of its own layer
 * whatever their order in the tar. */
#ifndef BERTH_UNPACK_PATHSET_H
#define BERTH_UNPACK_PATHSET_H

#include <stdbool.h>
#include <stddef.h>

struct pathset {
        char **slots;
        size_t cap; /* power of two, 0 when empty */
        size_t count;
};

/* Add PATH and every ancestor ("a/b/c" adds "a/b/c", "a/b", "a"). */
int pathset_add(struct pathset *s, const char *path);
/* Add PATH[0..len) alone, without its ancestors. */
int pathset_add_exact(struct pathset *s, const char *path, size_t len);
/* PATH, or a path below it, was written. */
bool pathset_has(const struct pathset *s, const char *path, size_t len);
void pathset_clear(struct pathset *s);

#endif
