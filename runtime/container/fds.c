/* Fd hygiene for processes about to become container processes. */
#include "fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* The caller's other fds (say, a pipe a test harness waits on) must not
 * be held by an init that may wait for `start` for days. berth's own fds
 * are all O_CLOEXEC (and some, like premade idmapped trees, are still
 * needed); what is not close-on-exec beyond 0-2 and the preserved ones
 * came from the caller: close it now rather than at execve. */
void close_inherited_fds(int preserve_fds)
{
        int lo = 3 + preserve_fds;
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name);
                if (de->d_name[0] == '.' || fd < lo || fd == dirfd(d))
                        continue;
                int fl = fcntl(fd, F_GETFD);
                if (fl >= 0 && !(fl & FD_CLOEXEC))
                        close(fd);
        }
        closedir(d);
}
