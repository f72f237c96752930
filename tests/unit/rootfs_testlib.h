/* Shared by the rootfs/process unit tests: a temporary bundle with a
 * busybox rootfs, hand-built configs (so the tests do not depend on the
 * parser), and running a step in a forked child inside fresh namespaces.
 * Real kernel, no mocks: every test needs root. */
#ifndef BERTH_ROOTFS_TESTLIB_H
#define BERTH_ROOTFS_TESTLIB_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "error.h"

struct tbundle {
        char dir[256];    /* the bundle */
        char rootfs[300]; /* dir/rootfs */
};

static inline void tb_path(const struct tbundle *b, char *out, size_t size, const char *rel)
{
        snprintf(out, size, "%s/%s", b->dir, rel);
}

static inline int tb_run(const char *fmt, ...)
{
        char cmd[2048];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cmd, sizeof(cmd), fmt, ap);
        va_end(ap);
        return system(cmd);
}

/* A bundle with rootfs/{bin/busybox,proc,sys,dev,tmp,etc}. */
static inline int tb_create(struct tbundle *b)
{
        snprintf(b->dir, sizeof(b->dir), "/tmp/berth-ut-XXXXXX");
        if (!mkdtemp(b->dir))
                return -1;
        snprintf(b->rootfs, sizeof(b->rootfs), "%s/rootfs", b->dir);
        return tb_run("mkdir -p %s/bin %s/proc %s/sys %s/dev %s/tmp %s/etc && "
                      "cp /bin/busybox %s/bin/busybox && ln -s busybox %s/bin/sh",
                      b->rootfs, b->rootfs, b->rootfs, b->rootfs, b->rootfs, b->rootfs, b->rootfs,
                      b->rootfs) == 0
                   ? 0
                   : -1;
}

static inline void tb_destroy(struct tbundle *b)
{
        /* Mounts lived in the children's namespaces only. */
        tb_run("rm -rf %s", b->dir);
}

/* Run FN(ARG) in a child in new mount/uts/ipc/net/cgroup namespaces; the
 * child's error message (if any) goes to MSG. Returns the exit status. */
static inline int tb_in_child(int (*fn)(void *arg, struct berr *err), void *arg, char *msg,
                              size_t msgsize)
{
        int pfd[2];
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return -1;
        pid_t pid = fork();
        if (pid == 0) {
                struct berr err = {0};
                close(pfd[0]);
                if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
                            CLONE_NEWCGROUP) < 0) {
                        dprintf(pfd[1], "unshare: %s", strerror(errno));
                        _exit(99);
                }
                int r = fn(arg, &err);
                if (r < 0)
                        dprintf(pfd[1], "%s", err.msg);
                _exit(r < 0 ? 1 : 0);
        }
        close(pfd[1]);
        ssize_t n = read(pfd[0], msg, msgsize - 1);
        msg[n > 0 ? n : 0] = '\0';
        close(pfd[0]);
        if (msg[0])
                fprintf(stderr, "  child: %s\n", msg);
        int st;
        if (waitpid(pid, &st, 0) < 0)
                return -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A mount entry built by hand, as the parser would digest it. */
static inline struct oci_mount tb_mount(const char *dest, const char *type, const char *src,
                                        unsigned long flags, const char *data)
{
        struct oci_mount m;
        memset(&m, 0, sizeof(m));
        m.destination = (char *)dest;
        m.type = (char *)type;
        m.source = (char *)src;
        m.parsed.flags = flags;
        m.parsed.data = (char *)data;
        if (type && strcmp(type, "bind") == 0)
                m.parsed.bind = true;
        return m;
}

/* A failure message from inside the child; returns -1. */
static inline int tb_fail(struct berr *err, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        err->status = -EIO;
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        return -1;
}

#endif
