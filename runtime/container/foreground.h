/* `run` in the foreground: signal forwarding, terminal relay, exit status. */
#ifndef BERTH_FOREGROUND_H
#define BERTH_FOREGROUND_H

#include <signal.h>

#include "container.h"

/* The signals to block (before create) and read from a signalfd. */
void foreground_signal_set(sigset_t *set);
/* Wait for the child behind PIDFD (the init, or an exec'd process) to exit
 * while forwarding signals read from SIGFD and relaying PTY_MASTER (or -1);
 * returns its exit status, 128+N for signal N. */
int foreground_wait(int pidfd, int pty_master, int sigfd, struct berr *err);

#endif
