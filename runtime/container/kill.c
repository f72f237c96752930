/* `kill`: a signal to the init through a pidfd verified against the
 * recorded start time (never a recycled pid), or with --all to every
 * process of the container's cgroup (cgroup.kill for SIGKILL). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "container.h"

static int kill_all(const struct container_state *st, int sig, struct berr *err)
{
        struct berth_cgroup *cg = NULL;
        pid_t *pids = NULL;
        size_t n = 0;
        int r;

        if (container_cgroup_open(st, &cg, err) < 0)
                return err->status;
        if (sig == SIGKILL) {
                r = cgroup_kill_all(cg, err);
                cgroup_free(cg);
                return r;
        }
        r = cgroup_pids(cg, &pids, &n, err);
        cgroup_free(cg);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                kill(pids[i], sig); /* each may exit meanwhile */
        free(pids);
        return 0;
}

int container_kill(const char *root, const char *id, int sig, bool all, struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        _cleanup_close_ int pidfd = -1;
        int r;

        if (state_open(root, id, STATE_LOCK_NONE, &sd, err) < 0)
                return err->status;
        r = state_read(&sd, &st, err);
        if (r < 0)
                goto out;
        if (all && st.cgroup_path[0]) {
                r = kill_all(&st, sig, err);
                if (r < 0)
                        goto out;
        }
        if (container_status(&sd, &st) == CONTAINER_STOPPED) {
                r = all ? 0 : berr_fail(err, ESRCH, "container not running");
                goto out;
        }
        pidfd = state_open_init_pidfd(&st, err);
        if (pidfd < 0) {
                r = all ? 0 : pidfd;
                if (all)
                        berr_clear(err);
                goto out;
        }
        if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
                if (errno == ESRCH)
                        r = all ? 0 : berr_fail(err, ESRCH, "container not running");
                else
                        r = berr_sys(err, "send signal %d", sig);
        }
out:
        state_clear(&st);
        state_close(&sd);
        return r;
}
