/* The container init before execve, in its new namespaces: user maps,
 * joined namespaces, session keyring, the rootfs (rootfs.h), the
 * createContainer hooks, pivot_root, terminal, hostname and sysctls, then
 * "ready" to the parent and the wait for start (the exec fifo, or the sync
 * socket for `run`), startContainer hooks, and process_exec(). Any error is
 * sent to the parent as a message; the parent prints it and cleans up. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fds.h"
#include "hooks.h"
#include "launch.h"
#include "log.h"
#include "process.h"
#include "seccomp.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1

static void reset_signals(void)
{
        sigset_t none;

        for (int s = 1; s < NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        signal(s, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Wait for `berth start`: it opens the fifo for writing and writes a byte.
 * The fifo was opened O_RDONLY|O_NONBLOCK before any writer existed, so
 * poll() reports no hang-up until a writer comes and data is there. */
static int wait_exec_fifo(int fd, struct berr *err)
{
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char c;

        for (;;) {
                if (poll(&p, 1, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(err, "wait on the exec fifo");
                }
                ssize_t n = read(fd, &c, 1);
                if (n == 1)
                        return 0;
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        continue;
                return berr_fail(err, EPIPE, "exec fifo closed without start");
        }
}

static int join_keyring(const char *id, struct berr *err)
{
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, id, 0, 0, 0) < 0 && errno != ENOSYS)
                return berr_sys(err, "join a new session keyring");
        return 0;
}

static int become_root_in_userns(struct berr *err)
{
        if (setresgid(0, 0, 0) < 0)
                return berr_sys(err, "setresgid(0) in the user namespace (is 0 mapped?)");
        if (setresuid(0, 0, 0) < 0)
                return berr_sys(err, "setresuid(0) in the user namespace (is 0 mapped?)");
        return 0;
}

static int child_setup(struct launch *l, int *pty_master, struct berr *err)
{
        const struct oci_config *cfg = l->cfg;
        int sock = l->sync_child;
        struct sync_msg m;
        _cleanup_free_ char *json = NULL;

        if (l->ns.new_user) {
                if (sync_expect(sock, SYNC_USERNS_MAPPED, &m, NULL, err) < 0)
                        return err->status;
        }
        if (ns_child_join(&l->ns, err) < 0)
                return err->status;
        if (l->ns.new_user || l->ns.join_fd[OCI_NS_USER] >= 0) {
                if (become_root_in_userns(err) < 0)
                        return err->status;
        }
        if (!l->o->no_new_keyring && join_keyring(l->o->id, err) < 0)
                return err->status;

        struct rootfs_ctx rc = {
            .cfg = cfg,
            .bundle = l->st->bundle,
            .rootfs = l->st->rootfs,
            .no_pivot = l->o->no_pivot,
            .terminal = l->proc.terminal,
            .in_userns = l->ns.new_user || l->ns.join_fd[OCI_NS_USER] >= 0,
        };
        if (rootfs_prepare(&rc, err) < 0)
                return err->status;
        if (l->hooks_need_pid) {
                if (sync_send(sock, SYNC_MOUNTS_DONE, 0, -1, err) < 0 ||
                    sync_expect(sock, SYNC_HOOKS_DONE, &m, NULL, err) < 0)
                        return err->status;
                l->st->pid = (pid_t)m.value; /* for the hooks' state JSON */
        }
        if (hooks_present(cfg, OCI_HOOK_CREATE_CONTAINER)) {
                json = state_to_oci_json(l->st, CONTAINER_CREATED, false);
                if (hooks_run(cfg, OCI_HOOK_CREATE_CONTAINER, json, err) < 0)
                        return err->status;
        }
        if (rootfs_finish(&rc, err) < 0)
                return err->status;
        if (l->proc.terminal) {
                if (terminal_setup_child(&l->proc, true, pty_master, err) < 0)
                        return err->status;
                if (sync_send(sock, SYNC_PTY_MASTER, 0, *pty_master, err) < 0)
                        return err->status;
                *pty_master = safe_close(*pty_master);
        }
        if (linux_set_uts_names(cfg, err) < 0 || linux_apply_sysctl(cfg, err) < 0)
                return err->status;
        if (l->proc.args.len > 0) {
                /* args[0] missing fails create, as with runc, not start. */
                char found[PATH_MAX];
                if (process_find_executable(l->proc.args.items[0], l->proc.env.items, found, err) <
                    0)
                        return err->status;
        }
        return 0;
}

static int wait_for_start(struct launch *l, struct berr *err)
{
        struct sync_msg m;

        if (l->o->run)
                return sync_expect(l->sync_child, SYNC_START, &m, NULL, err);
        /* create: the parent leaves now; nobody reads the socket any more. */
        l->sync_child = safe_close(l->sync_child);
        return wait_exec_fifo(l->fifo_fd, err);
}

/* SCMP_ACT_NOTIFY: the notify fd and the state go to the listener on the
 * socket seccomp_prepare() connected in the launcher. (seccomp) */
static int send_seccomp_fd(void *arg, int notify_fd, struct berr *err)
{
        struct launch *l = arg;

        if (notify_fd < 0)
                return 0;
        _cleanup_free_ char *json = state_to_oci_json(l->st, CONTAINER_RUNNING, false);
        if (!json)
                return berr_fail(err, ENOMEM, "out of memory");
        return seccomp_send_to_listener(l->cfg->lnx.seccomp, notify_fd, json, err);
}

void launch_child(struct launch *l)
{
        struct berr err = {0};
        int pty_master = -1;

        /* Nothing of the parent's that must not outlive it: the state lock
         * (flock is shared through an inherited fd), the console socket. */
        safe_close(l->sync_parent);
        safe_close(l->sd->dirfd);
        safe_close(l->console_fd);
        if (l->cg && cgroup_dirfd(l->cg) >= 0)
                close(cgroup_dirfd(l->cg));
        close_inherited_fds(l->preserve_fds);
        reset_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* Without a new user namespace, keep other container processes from
         * reaching berth's own binary through /proc/PID/exe before execve. */
        if (!l->ns.new_user)
                prctl(PR_SET_DUMPABLE, 0);

        if (child_setup(l, &pty_master, &err) < 0)
                goto fail;
        /* create: the parent exits right after "ready"; the init must outlive it. */
        if (!l->o->run)
                prctl(PR_SET_PDEATHSIG, 0);
        if (sync_send(l->sync_child, SYNC_READY, 0, -1, &err) < 0)
                goto fail;
        if (wait_for_start(l, &err) < 0)
                goto fail;
        prctl(PR_SET_PDEATHSIG, 0);
        if (l->fifo_fd >= 0)
                l->fifo_fd = safe_close(l->fifo_fd);
        if (hooks_present(l->cfg, OCI_HOOK_START_CONTAINER)) {
                _cleanup_free_ char *json = state_to_oci_json(l->st, CONTAINER_RUNNING, false);
                if (hooks_run(l->cfg, OCI_HOOK_START_CONTAINER, json, &err) < 0)
                        goto fail;
        }
        struct process_exec_opts po = {
            .proc = &l->proc,
            .seccomp = l->cfg->has_linux ? l->cfg->lnx.seccomp : NULL,
            .after_seccomp = send_seccomp_fd,
            .arg = l,
            .personality = l->cfg->lnx.personality.set ? &l->cfg->lnx.personality : NULL,
            .preserve_fds = l->preserve_fds,
        };
        process_exec(&po, &err);
fail:
        if (l->sync_child >= 0)
                sync_send_error(l->sync_child, &err);
        else
                log_berr(&err);
        _exit(1);
}
