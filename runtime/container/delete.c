/* `delete`: a stopped (or, like runc, a created) container is removed:
 * poststop hooks, cgroup, state directory. --force kills a running one
 * first (the whole cgroup) and waits for its init to be gone. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "log.h"

static void kill_and_wait(const struct container_state *st)
{
        struct berth_cgroup *cg = NULL;
        struct berr err = {0};
        _cleanup_close_ int pidfd = state_open_init_pidfd(st, &err);

        if (st->cgroup_path[0] && container_cgroup_open(st, &cg, &err) == 0) {
                if (cgroup_kill_all(cg, &err) < 0)
                        log_debug("delete: cgroup.kill: %s", err.msg);
                cgroup_free(cg);
        }
        if (pidfd < 0)
                return;
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        /* A pidfd polls readable once the process has exited. */
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        while (poll(&p, 1, 10000) < 0 && errno == EINTR)
                ;
}

static void run_poststop(const struct state_dir *sd, const struct container_state *st)
{
        struct oci_config *cfg = NULL;
        char path[PATH_MAX + 32];
        struct berr err = {0};
        _cleanup_free_ char *json = NULL;

        if (!st->has_poststop)
                return;
        snprintf(path, sizeof(path), "%s/%s/%s", sd->root, sd->id, STATE_CONFIG_COPY);
        if (oci_config_load(path, &cfg, &err) < 0) {
                log_warn("poststop hooks: %s", err.msg);
                return;
        }
        json = state_to_oci_json(st, CONTAINER_STOPPED, false);
        /* The spec: a failing poststop hook is logged, the delete goes on. */
        if (hooks_run(cfg, OCI_HOOK_POSTSTOP, json, &err) < 0)
                log_warn("%s", err.msg);
        oci_config_free(cfg);
}

int container_destroy_locked(struct state_dir *sd, struct container_state *st, struct berr *err)
{
        struct berth_cgroup *cg = NULL;

        run_poststop(sd, st);
        if (st->cgroup_path[0]) {
                if (container_cgroup_open(st, &cg, err) == 0) {
                        pid_t *pids = NULL;
                        size_t n = 0;
                        /* Our init is gone (and with it its pid namespace):
                         * processes still here belong to a container with the
                         * same id under another --root. Leave them alone. */
                        if (!state_init_alive(st) && cgroup_pids(cg, &pids, &n, err) == 0 &&
                            n > 0) {
                                free(pids);
                                cgroup_free(cg);
                                log_warn("delete %s: cgroup %s has processes that are not this "
                                         "container's; left in place",
                                         st->id, st->cgroup_path);
                                berr_clear(err);
                                return state_remove(sd, err);
                        }
                        free(pids);
                        int r = cgroup_destroy(cg, err);
                        cgroup_free(cg);
                        if (r < 0)
                                return berr_wrap(err, "remove cgroup %s", st->cgroup_path);
                } else if (err->status != -ENOENT) {
                        return berr_wrap(err, "open cgroup %s", st->cgroup_path);
                }
                berr_clear(err);
        }
        return state_remove(sd, err);
}

int container_delete(const char *root, const char *id, bool force, struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        enum container_status s;
        int r;

        if (state_open(root, id, STATE_LOCK_EXCLUSIVE, &sd, err) < 0) {
                /* As runc: --force of a container that is already gone succeeds
                 * (containerd's shim calls it after every delete). */
                if (force && err->status == -ENOENT) {
                        berr_clear(err);
                        return 0;
                }
                return err->status;
        }
        r = state_read(&sd, &st, err);
        if (r < 0) {
                /* A directory without state (a crash mid-way): just remove it. */
                if (r == -ENOENT)
                        r = state_remove(&sd, err);
                goto out;
        }
        s = container_status(&sd, &st);
        if (s != CONTAINER_STOPPED) {
                if (!force && s != CONTAINER_CREATED) {
                        r = berr_fail(err, EBUSY,
                                      "cannot delete container %s that is not stopped: %s", id,
                                      container_status_name(s));
                        goto out;
                }
                kill_and_wait(&st);
        }
        r = container_destroy_locked(&sd, &st, err);
out:
        state_clear(&st);
        state_close(&sd);
        return r;
}
