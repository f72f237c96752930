/* Fd hygiene for processes about to become container processes. */
#ifndef BERTH_FDS_H
#define BERTH_FDS_H

/* Close every fd above 2 + PRESERVE_FDS that is not close-on-exec: those
 * came from berth's caller. berth's own fds are all O_CLOEXEC. */
void close_inherited_fds(int preserve_fds);

#endif
