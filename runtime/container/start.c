/* Starting a created container: `start` through the exec fifo, `run`
 * through the sync socket (and it learns whether execve worked: the socket
 * is close-on-exec). Both record "running" and run the poststart hooks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "log.h"
#include "sync.h"

static void run_poststart(const struct oci_config *cfg, const struct container_state *st)
{
        struct berr err = {0};
        _cleanup_free_ char *json = NULL;

        if (!hooks_present(cfg, OCI_HOOK_POSTSTART))
                return;
        json = state_to_oci_json(st, CONTAINER_RUNNING, false);
        /* The spec: a failing poststart hook is logged, the container runs on. */
        if (hooks_run(cfg, OCI_HOOK_POSTSTART, json, &err) < 0)
                log_warn("%s", err.msg);
}

int container_run_start(struct container *c, struct berr *err)
{
        struct sync_msg m;

        if (sync_send(c->sync_fd, SYNC_START, 0, -1, err) < 0)
                return err->status;
        if (sync_recv(c->sync_fd, &m, NULL, err) == 0) {
                if (m.type == SYNC_ERROR)
                        return berr_fail(err, m.status ? m.status : -EIO, "%s", m.msg);
                return berr_fail(err, EPROTO, "sync: unexpected message %u", m.type);
        }
        if (err->status != -EPIPE)
                return err->status;
        berr_clear(err); /* EOF: execve happened */
        c->sync_fd = safe_close(c->sync_fd);
        c->st.status = CONTAINER_RUNNING;
        if (state_write(&c->sd, &c->st, err) < 0)
                return err->status;
        run_poststart(c->cfg, &c->st);
        return 0;
}

int container_start(const char *root, const char *id, struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        enum container_status s;
        _cleanup_close_ int fifo = -1;
        int r;

        if (state_open(root, id, STATE_LOCK_EXCLUSIVE, &sd, err) < 0)
                return err->status;
        r = state_read(&sd, &st, err);
        if (r < 0)
                goto out;
        s = container_status(&sd, &st);
        if (s == CONTAINER_STOPPED) {
                r = berr_fail(err, EINVAL, "cannot start a container that has stopped");
                goto out;
        }
        if (s != CONTAINER_CREATED) {
                r = berr_fail(err, EINVAL, "cannot start an already %s container",
                              container_status_name(s));
                goto out;
        }
        fifo = openat(sd.dirfd, STATE_EXEC_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fifo < 0) {
                if (errno == ENXIO || errno == ENOENT)
                        r = berr_fail(err, EINVAL, "cannot start a container that has stopped");
                else
                        r = berr_sys(err, "open the exec fifo");
                goto out;
        }
        if (write(fifo, "0", 1) != 1) {
                r = berr_sys(err, "write the exec fifo");
                goto out;
        }
        unlinkat(sd.dirfd, STATE_EXEC_FIFO, 0);
        st.status = CONTAINER_RUNNING;
        r = state_write(&sd, &st, err);
        if (r < 0)
                goto out;
        if (st.has_poststop) {
                struct oci_config *cfg = NULL;
                char path[PATH_MAX + 32];
                struct berr ignored = {0};
                snprintf(path, sizeof(path), "%s/%s/%s", sd.root, sd.id, STATE_CONFIG_COPY);
                if (oci_config_load(path, &cfg, &ignored) == 0) {
                        run_poststart(cfg, &st);
                        oci_config_free(cfg);
                }
        }
out:
        state_clear(&st);
        state_close(&sd);
        return r;
}
