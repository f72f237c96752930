/* seccompagent SOCKET OUT VALUE (host side): a tiny seccomp agent. Listen
 * on SOCKET, take one connection, receive the notify fd (SCM_RIGHTS) and the
 * state message, write the message to OUT, then answer the first notified
 * syscall with VALUE and exit. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int applet_seccompagent(int argc, char **argv)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        char buf[65536];
        union {
                char b[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.b,
                            .msg_controllen = sizeof(control.b)};
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        int lsock, conn, nfd, out;
        ssize_t n;

        if (argc != 4) {
                fprintf(stderr, "usage: seccompagent SOCKET OUT VALUE\n");
                return 2;
        }
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[1]);
        lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
            listen(lsock, 1) < 0) {
                perror("seccompagent: listen");
                return 1;
        }
        conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
                perror("seccompagent: accept");
                return 1;
        }
        n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
        if (n <= 0 || !CMSG_FIRSTHDR(&mh) || CMSG_FIRSTHDR(&mh)->cmsg_type != SCM_RIGHTS) {
                fprintf(stderr, "seccompagent: no fd received\n");
                return 1;
        }
        memcpy(&nfd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
        out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0 || write(out, buf, (size_t)n) != n) {
                perror("seccompagent: write message");
                return 1;
        }
        close(out);

        memset(&req, 0, sizeof(req));
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
                perror("seccompagent: receive notification");
                return 1;
        }
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        resp.val = strtoll(argv[3], NULL, 0);
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
                perror("seccompagent: answer");
                return 1;
        }
        printf("answered syscall %d of pid %u\n", req.data.nr, req.pid);
        return 0;
}
