/* Scope-bound release of memory, fds and streams (GCC/Clang cleanup
 * attribute), and explicit ownership transfer with steal_fd()/steal_ptr(). */
#ifndef BERTH_CLEANUP_H
#define BERTH_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
        free(*(void **)p);
}

/* Close fd if valid, keep errno; returns -1 for `fd = safe_close(fd)`. */
static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;
                close(fd);
                errno = saved;
        }
        return -1;
}

static inline void cleanup_closep(int *fd)
{
        safe_close(*fd);
}

static inline void cleanup_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

static inline void cleanup_closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

/* Free a NULL-terminated array of strings. */
static inline void strv_free(char **v)
{
        if (!v)
                return;
        for (char **p = v; *p; p++)
                free(*p);
        free(v);
}

static inline void cleanup_strvp(char ***v)
{
        strv_free(*v);
}

#define _cleanup_free_ __attribute__((cleanup(cleanup_freep)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(cleanup_closedirp)))
#define _cleanup_strv_ __attribute__((cleanup(cleanup_strvp)))

static inline int steal_fd(int *fd)
{
        int r = *fd;
        *fd = -1;
        return r;
}

#define steal_ptr(pp)                                                          \
        ({                                                                     \
                __typeof__(*(pp)) _stolen = *(pp);                             \
                *(pp) = NULL;                                                  \
                _stolen;                                                       \
        })

#endif
