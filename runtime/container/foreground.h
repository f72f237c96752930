/* `run` in the foreground: signal forwarding, terminal relay, exit status. */
#ifndef BERTH_FOREGROUND_H
#define BERTH_FOREGROUND_H

#include <signal.h>

#include "container.h"

/* The signals to block (before create) and read from a signalfd. */
void foreground_signal_set(sigset_t *set);
/* Wait for the init to exit while forwarding signals read from SIGFD;
 * returns its exit status, 128+N for signal N. */
int foreground_wait(struct container *c, int sigfd, struct berr *err);

#endif
