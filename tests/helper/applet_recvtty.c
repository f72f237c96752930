/* recvtty SOCKET OUT [INPUT]: host side of --console-socket. Listens on the
 * unix socket SOCKET, receives one pty master (SCM_RIGHTS), writes INPUT to
 * it when given, and copies everything the container writes to the file OUT
 * until the pty closes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int receive_fd(int conn)
{
        char data[256];
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {data, sizeof(data)};
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        struct cmsghdr *c;
        int fd = -1;

        if (recvmsg(conn, &msg, 0) < 0)
                return -1;
        c = CMSG_FIRSTHDR(&msg);
        if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                memcpy(&fd, CMSG_DATA(c), sizeof(int));
        return fd;
}

int applet_recvtty(int argc, char **argv)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        int ls, conn, master, out;
        char buf[4096];
        ssize_t n;

        if (argc < 3) {
                fprintf(stderr, "usage: recvtty SOCKET OUT [INPUT]\n");
                return 2;
        }
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[1]);
        ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        unlink(argv[1]);
        if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 1) < 0) {
                perror("recvtty: listen");
                return 1;
        }
        conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
                perror("recvtty: accept");
                return 1;
        }
        master = receive_fd(conn);
        out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (master < 0 || out < 0) {
                perror("recvtty: receive");
                return 1;
        }
        dprintf(out, "received a pty master: %s\n", isatty(master) ? "tty" : "not a tty");
        if (argc > 3) {
                dprintf(master, "%s\n", argv[3]);
        }
        while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
                if (n > 0 && write(out, buf, (size_t)n) < 0)
                        break;
        close(out);
        return 0;
}
