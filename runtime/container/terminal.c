/* See terminal.h. */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"

int terminal_setup_child(const struct oci_process *proc, bool bind_console, int *master,
                         struct berr *err)
{
        _cleanup_close_ int m = -1, s = -1;
        int unlock = 0, n = 0;
        char pts[64];
        struct stat sb;

        m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m < 0)
                return berr_sys(err, "terminal: open /dev/ptmx");
        if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0)
                return berr_sys(err, "terminal: unlock pty");
        s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (s < 0)
                return berr_sys(err, "terminal: open pty peer");
        if (proc->has_console_size) {
                struct winsize ws = {.ws_row = (unsigned short)proc->console_height,
                                     .ws_col = (unsigned short)proc->console_width};
                ioctl(m, TIOCSWINSZ, &ws);
        }
        snprintf(pts, sizeof(pts), "/dev/pts/%d", n);
        if (bind_console && stat("/dev/console", &sb) == 0 &&
            mount(pts, "/dev/console", NULL, MS_BIND, NULL) < 0)
                return berr_sys(err, "terminal: bind %s on /dev/console", pts);
        if (setsid() < 0)
                return berr_sys(err, "terminal: setsid");
        if (ioctl(s, TIOCSCTTY, 0) < 0)
                return berr_sys(err, "terminal: set controlling terminal");
        for (int fd = 0; fd < 3; fd++)
                if (dup2(s, fd) < 0)
                        return berr_sys(err, "terminal: dup2 to fd %d", fd);
        *master = steal_fd(&m);
        return 0;
}

int console_socket_connect(const char *path, struct berr *err)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        int fd;

        if (strlen(path) >= sizeof(addr.sun_path))
                return berr_fail(err, ENAMETOOLONG, "console socket %s: path too long", path);
        strcpy(addr.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(err, "console socket: socket");
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
                int r = berr_sys(err, "connect to console socket %s", path);
                close(fd);
                return r;
        }
        return fd;
}

int console_socket_send(int sock, int master, struct berr *err)
{
        char name[] = "/dev/ptmx";
        struct iovec iov = {name, sizeof(name) - 1};
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        struct cmsghdr *c;

        memset(cbuf, 0, sizeof(cbuf));
        c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &master, sizeof(int));
        if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
                return berr_sys(err, "send the pty master to the console socket");
        return 0;
}

static int copy_some(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof(buf));

        if (n == 0)
                return 0;
        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? -1 : 0;
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w < 0) {
                        if (errno == EINTR || errno == EAGAIN)
                                continue;
                        return 0;
                }
                off += w;
        }
        return 1;
}

static void copy_winsize(int master)
{
        struct winsize ws;

        if (ioctl(0, TIOCGWINSZ, &ws) == 0)
                ioctl(master, TIOCSWINSZ, &ws);
}

int terminal_relay(int master, int pidfd, int sigfd, void (*forward)(int sig, void *arg), void *arg,
                   struct berr *err)
{
        struct termios saved, raw;
        bool restore = false, in_open = true, exited = false;

        (void)err;
        if (isatty(0) && tcgetattr(0, &saved) == 0) {
                raw = saved;
                cfmakeraw(&raw);
                raw.c_oflag = saved.c_oflag; /* keep output processing like runc */
                if (tcsetattr(0, TCSANOW, &raw) == 0)
                        restore = true;
                copy_winsize(master);
        }
        while (!exited) {
                struct pollfd p[4] = {
                    {.fd = master, .events = POLLIN},
                    {.fd = in_open ? 0 : -1, .events = POLLIN},
                    {.fd = pidfd, .events = POLLIN},
                    {.fd = sigfd, .events = POLLIN},
                };
                if (poll(p, 4, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (p[0].revents & POLLIN) {
                        if (copy_some(master, 1) == 0)
                                break;
                } else if (p[0].revents & (POLLHUP | POLLERR)) {
                        break;
                }
                if (p[1].revents & (POLLIN | POLLHUP)) {
                        if (copy_some(0, master) == 0)
                                in_open = false;
                }
                if (p[3].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                                if (si.ssi_signo == SIGWINCH)
                                        copy_winsize(master);
                                else if (forward)
                                        forward((int)si.ssi_signo, arg);
                        }
                }
                if (p[2].revents & POLLIN)
                        exited = true;
        }
        if (exited) {
                /* Drain what the container wrote before it exited. */
                int fl = fcntl(master, F_GETFL);
                fcntl(master, F_SETFL, fl | O_NONBLOCK);
                while (copy_some(master, 1) > 0)
                        ;
        }
        if (restore)
                tcsetattr(0, TCSANOW, &saved);
        return 0;
}
