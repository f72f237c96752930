/* Iterative rm -rf: descend into the first subdirectory found, empty
 * directories bottom-up, and climb back with "..", so a hostile tree of any
 * depth costs one fd and a stack of names. */
#include "remove_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

struct name_stack {
        char **v;
        size_t n, cap;
};

static int push(struct name_stack *s, const char *name)
{
        if (s->n == s->cap) {
                size_t ncap = s->cap ? s->cap * 2 : 16;
                char **nv = realloc(s->v, ncap * sizeof(*nv));
                if (!nv)
                        return -ENOMEM;
                s->v = nv;
                s->cap = ncap;
        }
        s->v[s->n] = strdup(name);
        if (!s->v[s->n])
                return -ENOMEM;
        s->n++;
        return 0;
}

static void stack_free(struct name_stack *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i]);
        free(s->v);
}

/* Unlink every non-directory in FD; copy the first subdirectory's name to
 * SUB (empty when there is none). */
static int clear_files(int fd, char sub[256], struct berr *err)
{
        int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return berr_sys(err, "remove: open directory");
        _cleanup_closedir_ DIR *d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return berr_sys(err, "remove: read directory");
        }
        sub[0] = '\0';
        struct dirent *de;
        while ((errno = 0, de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (de->d_type == DT_DIR) {
                        if (!sub[0])
                                snprintf(sub, 256, "%s", de->d_name);
                        continue;
                }
                if (unlinkat(fd, de->d_name, 0) == 0 || errno == ENOENT)
                        continue;
                if (errno == EISDIR) {
                        if (!sub[0])
                                snprintf(sub, 256, "%s", de->d_name);
                        continue;
                }
                return berr_sys(err, "remove %s", de->d_name);
        }
        if (errno)
                return berr_sys(err, "remove: read directory");
        return 0;
}

/* Empty the directory TOP (an fd we own) and, when NAME is set, remove it
 * from PARENT at the end. */
static int remove_below(int top, int parent, const char *name, struct berr *err)
{
        struct name_stack stack = {0};
        int cur = top;
        char sub[256];
        int r = 0;

        for (;;) {
                r = clear_files(cur, sub, err);
                if (r < 0)
                        break;
                if (sub[0]) {
                        int next = openat(cur, sub, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (next < 0) {
                                r = berr_sys(err, "remove %s", sub);
                                break;
                        }
                        r = push(&stack, sub);
                        if (r < 0) {
                                close(next);
                                r = berr_fail(err, r, "remove: out of memory");
                                break;
                        }
                        close(cur);
                        cur = next;
                        continue;
                }
                if (stack.n == 0)
                        break;
                int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (up < 0) {
                        r = berr_sys(err, "remove: climb back");
                        break;
                }
                close(cur);
                cur = up;
                char *done = stack.v[--stack.n];
                if (unlinkat(cur, done, AT_REMOVEDIR) < 0 && errno != ENOENT) {
                        r = berr_sys(err, "remove %s", done);
                        free(done);
                        break;
                }
                free(done);
        }
        close(cur);
        stack_free(&stack);
        if (r == 0 && name && unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                r = berr_sys(err, "remove %s", name);
        return r;
}

int remove_tree_at(int dirfd, const char *name, struct berr *err)
{
        if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
                return 0;
        if (errno != EISDIR && errno != EPERM)
                return berr_sys(err, "remove %s", name);
        int top = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (top < 0)
                return berr_sys(err, "remove %s", name);
        return remove_below(top, dirfd, name, err);
}

int empty_dir_at(int dirfd, struct berr *err)
{
        int top = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (top < 0)
                return berr_sys(err, "remove: open directory");
        return remove_below(top, -1, NULL, err);
}
