/* `run` in the foreground: berth stays the init's parent, forwards the
 * signals it gets to the container, relays a terminal when there is one,
 * and returns the container's exit status (128+N when killed by signal N). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "foreground.h"
#include "terminal.h"

/* Signals berth forwards: every catchable one but those about berth itself
 * (faults, SIGPIPE) and SIGCHLD/SIGURG. SIGWINCH resizes the pty. */
void foreground_signal_set(sigset_t *set)
{
        static const int skip[] = {SIGCHLD, SIGSEGV, SIGBUS, SIGFPE,  SIGILL, SIGTRAP,
                                   SIGSYS,  SIGPIPE, SIGURG, SIGKILL, SIGSTOP};
        sigfillset(set);
        for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
                sigdelset(set, skip[i]);
}

static void forward(int sig, void *arg)
{
        int pidfd = *(int *)arg;
        syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int foreground_wait(int pidfd, int pty_master, int sigfd, struct berr *err)
{
        siginfo_t si = {0};

        if (pty_master >= 0) {
                terminal_relay(pty_master, pidfd, sigfd, forward, &pidfd, err);
        } else {
                for (;;) {
                        struct pollfd p[2] = {{.fd = pidfd, .events = POLLIN},
                                              {.fd = sigfd, .events = POLLIN}};
                        if (poll(p, 2, -1) < 0) {
                                if (errno == EINTR)
                                        continue;
                                return berr_sys(err, "wait for the container");
                        }
                        if (p[1].revents & POLLIN) {
                                struct signalfd_siginfo ssi;
                                if (read(sigfd, &ssi, sizeof(ssi)) == sizeof(ssi) &&
                                    ssi.ssi_signo != SIGWINCH)
                                        forward((int)ssi.ssi_signo, &pidfd);
                        }
                        if (p[0].revents & POLLIN)
                                break;
                }
        }
        while (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0) {
                if (errno != EINTR)
                        return berr_sys(err, "wait for the container");
        }
        if (si.si_code == CLD_EXITED)
                return si.si_status;
        return 128 + si.si_status;
}
