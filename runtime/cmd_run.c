/* berth run [create options] [--detach] [--keep] ID: create and start. In
 * the foreground berth forwards signals, passes stdio (or relays the pty)
 * and exits with the container's status; then it deletes the container
 * unless --keep. */
#include <errno.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "container/container.h"
#include "create_args.h"
#include "container/foreground.h"
#include "log.h"

static void remove_after_exit(struct container *c)
{
        struct berr err = {0};
        struct stat sb;

        /* Taken again: someone may have deleted it meanwhile. */
        if (flock(c->sd.dirfd, LOCK_EX) < 0 || fstat(c->sd.dirfd, &sb) < 0 || sb.st_nlink == 0)
                return;
        if (container_destroy_locked(&c->sd, &c->st, &err) < 0)
                log_warn("run: remove %s: %s", c->st.id, err.msg);
}

int cmd_run(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        struct create_opts o = {0};
        struct run_flags rf = {0};
        struct container *c = NULL;
        sigset_t set, old;
        _cleanup_close_ int sigfd = -1;
        int status;

        if (parse_create_args(g, argc, argv, &o, &rf, err) < 0)
                return err->status;
        o.run = true;
        o.foreground = !rf.detach;
        if (o.foreground) {
                /* Blocked before the container exists: nothing is lost. */
                foreground_signal_set(&set);
                sigprocmask(SIG_BLOCK, &set, &old);
                sigfd = signalfd(-1, &set, SFD_CLOEXEC);
                if (sigfd < 0)
                        return berr_sys(err, "run: signalfd");
        }
        if (container_create(&o, &c, err) < 0)
                return berr_wrap(err, "run %s", o.id);
        if (container_run_start(c, err) < 0) {
                struct berr ignored = {0};
                berr_wrap(err, "run %s", o.id);
                container_destroy_locked(&c->sd, &c->st, &ignored);
                container_release(c);
                return err->status;
        }
        if (rf.detach) {
                container_release(c);
                return 0;
        }
        flock(c->sd.dirfd, LOCK_UN);
        log_debug("run %s: started", o.id);
        status = foreground_wait(c->pidfd, c->pty_master, sigfd, err);
        log_debug("run %s: exited with %d", o.id, status);
        if (status < 0) {
                container_release(c);
                return status;
        }
        if (!rf.keep)
                remove_after_exit(c);
        log_debug("run %s: removed", o.id);
        container_release(c);
        return status;
}
