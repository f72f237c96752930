/* The sync protocol between berth (parent) and the container init (child)
 * over a SOCK_SEQPACKET socketpair: one fixed-size record per message, an
 * fd may ride along (SCM_RIGHTS). EOF means the other side died (or, for
 * the child after execve, that the exec happened: the socket is CLOEXEC). */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include <stdint.h>

#include "error.h"

enum sync_type {
        SYNC_USERNS_READY = 1, /* child -> parent: in its user ns, write the id maps */
        SYNC_USERNS_MAPPED,    /* parent -> child: maps written */
        SYNC_MOUNTS_DONE,      /* child -> parent: run prestart + createRuntime hooks */
        SYNC_HOOKS_DONE,       /* parent -> child: go on (value: child's host pid) */
        SYNC_PTY_MASTER,       /* child -> parent: the pty master rides along */
        SYNC_READY,            /* child -> parent: created, waiting for start */
        SYNC_START,            /* parent -> child (run): go, no exec fifo */
        SYNC_ERROR,            /* child -> parent: msg holds the error */
};

struct sync_msg {
        uint32_t type;
        int32_t status; /* negative errno for SYNC_ERROR */
        int64_t value;
        char msg[BERR_MSG_MAX];
};

/* Send TYPE (with VALUE and, when fd >= 0, FD). */
int sync_send(int sock, enum sync_type type, int64_t value, int fd, struct berr *err);
/* Send ERR as a SYNC_ERROR record (best effort). */
void sync_send_error(int sock, const struct berr *e);
/* Receive one record; *fd gets a passed fd or -1 (fd may be NULL).
 * EOF is -EPIPE with "closed" in err. */
int sync_recv(int sock, struct sync_msg *m, int *fd, struct berr *err);
/* Receive and require TYPE; a SYNC_ERROR record becomes err. */
int sync_expect(int sock, enum sync_type type, struct sync_msg *m, int *fd, struct berr *err);

#endif
