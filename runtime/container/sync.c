/* See sync.h: records over a SOCK_SEQPACKET socketpair. */
#include "sync.h"

#include <errno.h>
#include <stddef.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *type_name(uint32_t t)
{
        static const char *const names[] = {
            "?",          "userns-ready", "userns-mapped", "mounts-done", "hooks-done",
            "pty-master", "ready",        "start",         "error",
        };
        return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

int sync_send(int sock, enum sync_type type, int64_t value, int fd, struct berr *err)
{
        struct sync_msg m = {.type = type, .value = value};
        /* Only the header: the message text is sent for errors alone. */
        struct iovec iov = {&m, offsetof(struct sync_msg, msg)};
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

        if (fd >= 0) {
                memset(cbuf, 0, sizeof(cbuf));
                msg.msg_control = cbuf;
                msg.msg_controllen = sizeof(cbuf);
                struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
                if (errno != EINTR)
                        return berr_sys(err, "sync: send %s", type_name(type));
        }
        return 0;
}

void sync_send_error(int sock, const struct berr *e)
{
        struct sync_msg m = {.type = SYNC_ERROR, .status = e->status};
        size_t len = strnlen(e->msg, sizeof(m.msg) - 1);

        memcpy(m.msg, e->msg, len);
        m.msg[len] = '\0';
        while (send(sock, &m, offsetof(struct sync_msg, msg) + len + 1, MSG_NOSIGNAL) < 0 &&
               errno == EINTR)
                ;
}

int sync_recv(int sock, struct sync_msg *m, int *fd, struct berr *err)
{
        struct iovec iov = {m, sizeof(*m)};
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n;

        if (fd)
                *fd = -1;
        memset(m, 0, offsetof(struct sync_msg, msg) + 1);
        do
                n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return berr_sys(err, "sync: receive");
        if (n == 0)
                return berr_fail(err, EPIPE, "sync: closed");
        if ((size_t)n < offsetof(struct sync_msg, msg))
                return berr_fail(err, EPROTO, "sync: short message");
        if ((size_t)n < sizeof(*m))
                ((char *)m)[n < (ssize_t)sizeof(*m) ? n : (ssize_t)sizeof(*m) - 1] = '\0';
        m->msg[sizeof(m->msg) - 1] = '\0';
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        int got;
                        memcpy(&got, CMSG_DATA(c), sizeof(int));
                        if (fd)
                                *fd = got;
                        else
                                close(got);
                }
        }
        return 0;
}

int sync_expect(int sock, enum sync_type type, struct sync_msg *m, int *fd, struct berr *err)
{
        if (sync_recv(sock, m, fd, err) < 0)
                return err->status;
        if (m->type == SYNC_ERROR)
                return berr_fail(err, m->status ? m->status : -EIO, "%s", m->msg);
        if (m->type != type)
                return berr_fail(err, EPROTO, "sync: expected %s, got %s", type_name(type),
                                 type_name(m->type));
        return 0;
}
