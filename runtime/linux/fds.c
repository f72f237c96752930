/* fd hygiene before execve: every fd above the preserved ones becomes
 * close-on-exec (so execve closes them even if a seccomp profile blocks
 * close), and the preserved fds 3..3+N-1 lose close-on-exec. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "process_steps.h"

int fds_prepare_for_exec(int preserve, struct berr *err)
{
        unsigned first = 3u + (unsigned)(preserve > 0 ? preserve : 0);

        if (syscall(SYS_close_range, first, ~0u, CLOSE_RANGE_CLOEXEC) < 0) {
                /* Before Linux 5.11: walk up to the fd limit. */
                struct rlimit rl;
                if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                        return berr_sys(err, "close fds: getrlimit");
                for (unsigned fd = first; fd < rl.rlim_cur; fd++) {
                        int fl = fcntl((int)fd, F_GETFD);
                        if (fl >= 0 && !(fl & FD_CLOEXEC))
                                fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
                }
        }
        for (unsigned fd = 3; fd < first; fd++) {
                int fl = fcntl((int)fd, F_GETFD);
                if (fl < 0 && errno == EBADF)
                        continue; /* a gap among the preserved fds: nothing to keep */
                if (fl < 0)
                        return berr_sys(err, "preserved fd %u", fd);
                if ((fl & FD_CLOEXEC) && fcntl((int)fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
                        return berr_sys(err, "preserved fd %u", fd);
        }
        return 0;
}
