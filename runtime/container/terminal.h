/* process.terminal: the pty is made inside the container (from its own
 * devpts), its master goes to the parent over the sync socket, and from
 * there to the --console-socket (SCM_RIGHTS, as runc does) or, for a
 * foreground `run`, into a relay with the host terminal in raw mode. */
#ifndef BERTH_TERMINAL_H
#define BERTH_TERMINAL_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

/* Child, after pivot_root: open /dev/ptmx, bind the slave on /dev/console
 * (when BIND_CONSOLE: the init, not exec), make it the controlling terminal
 * and fds 0-2; *master gets the master. */
int terminal_setup_child(const struct oci_process *proc, bool bind_console, int *master,
                         struct berr *err);

/* Connect to the unix socket PATH (before the container starts). */
int console_socket_connect(const char *path, struct berr *err);
/* Send MASTER over the connected console socket SOCK. */
int console_socket_send(int sock, int master, struct berr *err);

/* Foreground: relay between the host's stdio and MASTER until the process
 * behind PIDFD exits and the pty is drained. The host terminal is in raw
 * mode meanwhile and is restored; window size follows SIGWINCH. SIGFD is a
 * signalfd whose other signals go to FORWARD(sig, arg). */
int terminal_relay(int master, int pidfd, int sigfd, void (*forward)(int sig, void *arg), void *arg,
                   struct berr *err);

#endif
