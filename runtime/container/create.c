/* The launcher, parent side: validate everything, make the state
 * directory (locked) and the cgroup, start the init with clone3
 * (CLONE_INTO_CGROUP | CLONE_PIDFD | namespaces), then serve the child's
 * sync messages (id maps, prestart/createRuntime hooks, the pty master)
 * until it is ready. Any failure removes the process, cgroup and state. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "json.h"
#include "launch.h"
#include "rootfs.h"
#include "seccomp.h"
#include "log.h"
#include "sync.h"
#include "terminal.h"
#include "unsupported.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static int resolve_paths(const struct create_opts *o, const struct oci_config *cfg,
                         struct container_state *st, struct berr *err)
{
        char joined[PATH_MAX * 2];
        const char *b = o->bundle && *o->bundle ? o->bundle : ".";

        if (!realpath(b, st->bundle))
                return berr_sys(err, "bundle %s", b);
        if (!cfg->has_root || !cfg->root.path)
                return berr_fail(err, EINVAL, "config.json: .root.path is required");
        if (cfg->root.path[0] == '/')
                snprintf(joined, sizeof(joined), "%s", cfg->root.path);
        else
                snprintf(joined, sizeof(joined), "%s/%s", st->bundle, cfg->root.path);
        if (!realpath(joined, st->rootfs))
                return berr_sys(err, "rootfs %s", joined);
        struct stat sb;
        if (stat(st->rootfs, &sb) < 0 || !S_ISDIR(sb.st_mode))
                return berr_fail(err, ENOTDIR, "rootfs %s: not a directory", st->rootfs);
        return 0;
}

static char *annotations_json(const struct oci_kv_list *l)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        if (l->len == 0)
                return NULL;
        f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        fputc('{', f);
        for (size_t i = 0; i < l->len; i++) {
                size_t kn = strlen(l->items[i].key) * 6 + 1, vn = strlen(l->items[i].value) * 6 + 1;
                char *k = malloc(kn), *v = malloc(vn);
                if (k && v) {
                        json_escape(k, kn, l->items[i].key);
                        json_escape(v, vn, l->items[i].value);
                        fprintf(f, "%s\"%s\":\"%s\"", i ? "," : "", k, v);
                }
                free(k);
                free(v);
        }
        fputc('}', f);
        fclose(f);
        return buf;
}

/* LISTEN_FDS from systemd socket activation reach the container like
 * runc does it: the fds after 2 are kept and the env says so. */
static int prepare_process(struct launch *l, struct berr *err)
{
        const char *lf = getenv("LISTEN_FDS");
        int listen = lf ? atoi(lf) : 0;

        l->proc = *l->cfg->process;
        l->preserve_fds = l->o->preserve_fds;
        if (listen <= 0)
                return 0;
        l->preserve_fds += listen;
        size_t n = l->proc.env.len;
        l->env_storage = calloc(n + 3, sizeof(char *));
        if (!l->env_storage)
                return berr_fail(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
                l->env_storage[i] = l->proc.env.items[i];
        if (asprintf(&l->env_storage[n], "LISTEN_FDS=%d", listen) < 0 ||
            asprintf(&l->env_storage[n + 1], "LISTEN_PID=1") < 0)
                return berr_fail(err, ENOMEM, "out of memory");
        l->proc.env.items = l->env_storage;
        l->proc.env.len = n + 2;
        return 0;
}

/* Compile linux.seccomp (or take it from the cache under the state root)
 * here, before anything exists on the host and while host paths are
 * visible; the child inherits the program and only loads it. (seccomp) */
static int prepare_seccomp(const struct create_opts *o, const struct oci_config *cfg,
                           struct berr *err)
{
        char cache[PATH_MAX];

        if (!cfg->has_linux || !cfg->lnx.seccomp)
                return 0;
        snprintf(cache, sizeof(cache), "%s/.seccomp-cache", o->root);
        return seccomp_prepare(cfg->lnx.seccomp, cache, err);
}

static void free_env_storage(struct launch *l)
{
        if (!l->env_storage)
                return;
        size_t n = l->cfg->process->env.len;
        free(l->env_storage[n]);
        free(l->env_storage[n + 1]);
        free(l->env_storage);
        l->env_storage = NULL;
}

static int copy_config(const struct state_dir *sd, const char *bundle, struct berr *err)
{
        char path[PATH_MAX + 16];
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        _cleanup_close_ int in = -1, out = -1;

        snprintf(path, sizeof(path), "%s/config.json", bundle);
        in = open(path, O_RDONLY | O_CLOEXEC);
        if (in < 0 || read_fd_limited(in, OCI_CONFIG_MAX_BYTES, &buf, &len, err) < 0)
                return in < 0 ? berr_sys(err, "open %s", path) : err->status;
        out = openat(sd->dirfd, STATE_CONFIG_COPY, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (out < 0 || write(out, buf, len) != (ssize_t)len)
                return berr_sys(err, "save a copy of config.json");
        return 0;
}

static int write_pid_file(const char *path, pid_t pid, struct berr *err)
{
        char tmp[PATH_MAX], buf[32];
        int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
        _cleanup_close_ int fd = -1;

        snprintf(tmp, sizeof(tmp), "%s.berth-tmp", path);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, buf, (size_t)n) != n)
                return berr_sys(err, "write pid file %s", path);
        if (rename(tmp, path) < 0) {
                unlink(tmp);
                return berr_sys(err, "write pid file %s", path);
        }
        return 0;
}

static const char *exit_text(const siginfo_t *si, char *buf, size_t size)
{
        if (si->si_code == CLD_EXITED)
                snprintf(buf, size, "exit status %d", si->si_status);
        else
                snprintf(buf, size, "killed by signal %d", si->si_status);
        return buf;
}

/* The init died or failed: reap it and say why when it sent no message. */
static void kill_and_reap(int pidfd, struct berr *err, bool explain)
{
        siginfo_t si = {0};
        char buf[64];

        if (pidfd < 0)
                return;
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        while (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0 && errno == EINTR)
                ;
        if (explain)
                berr_fail(err, EIO, "container init exited before it was ready: %s",
                          exit_text(&si, buf, sizeof(buf)));
}

static int serve_child(struct launch *l, struct container *c, pid_t pid, struct berr *err)
{
        struct sync_msg m;
        int fd;

        for (;;) {
                if (sync_recv(l->sync_parent, &m, &fd, err) < 0) {
                        if (err->status == -EPIPE)
                                kill_and_reap(c->pidfd, err, true), c->pidfd = safe_close(c->pidfd);
                        return err->status;
                }
                switch (m.type) {
                case SYNC_MOUNTS_DONE: {
                        l->st->pid = pid;
                        _cleanup_free_ char *json =
                            state_to_oci_json(l->st, CONTAINER_CREATED, false);
                        if (hooks_run(l->cfg, OCI_HOOK_PRESTART, json, err) < 0 ||
                            hooks_run(l->cfg, OCI_HOOK_CREATE_RUNTIME, json, err) < 0)
                                return err->status;
                        if (sync_send(l->sync_parent, SYNC_HOOKS_DONE, pid, -1, err) < 0)
                                return err->status;
                        break;
                }
                case SYNC_PTY_MASTER:
                        if (fd < 0)
                                return berr_fail(err, EPROTO, "sync: pty master missing");
                        if (l->console_fd >= 0) {
                                int r = console_socket_send(l->console_fd, fd, err);
                                close(fd);
                                if (r < 0)
                                        return r;
                        } else {
                                safe_close(c->pty_master);
                                c->pty_master = fd;
                        }
                        break;
                case SYNC_READY:
                        return 0;
                case SYNC_ERROR:
                        return berr_fail(err, m.status ? m.status : -EIO, "%s", m.msg);
                default:
                        safe_close(fd);
                        return berr_fail(err, EPROTO, "sync: unexpected message %u", m.type);
                }
        }
}

static int spawn(struct launch *l, struct container *c, struct berr *err)
{
        int cgfd = l->cg ? cgroup_dirfd(l->cg) : -1;
        int pidfd = -1;
        struct clone_args ca = {
            .flags = CLONE_PIDFD | l->ns.clone_flags | (cgfd >= 0 ? CLONE_INTO_CGROUP : 0),
            .pidfd = (uint64_t)(uintptr_t)&pidfd,
            .exit_signal = SIGCHLD,
            .cgroup = cgfd >= 0 ? (uint64_t)cgfd : 0,
        };
        struct berr leave_err = {0};
        long pid;

        /* Idmapped mounts are made here, in the host's user namespace. */
        struct rootfs_ctx rc = {.cfg = l->cfg, .bundle = l->st->bundle, .rootfs = l->st->rootfs};
        if (rootfs_premount(&rc, err) < 0)
                return err->status;
        if (ns_parent_enter(l->cfg, &l->ns, err) < 0) {
                ns_parent_leave(&l->ns, &leave_err);
                rootfs_premount_release();
                return err->status;
        }
        pid = syscall(SYS_clone3, &ca, sizeof(ca));
        if (pid == 0)
                launch_child(l);
        int saved = errno;
        rootfs_premount_release();
        ns_parent_leave(&l->ns, &leave_err);
        if (pid < 0) {
                errno = saved;
                return berr_sys(err, "clone3");
        }
        c->pidfd = pidfd;
        l->st->pid = (pid_t)pid;
        if (berr_is_set(&leave_err)) {
                *err = leave_err;
                return err->status;
        }
        return 0;
}

static int launch(struct launch *l, struct container *c, struct berr *err)
{
        int sv[2];

        if (hooks_present(l->cfg, OCI_HOOK_POSTSTART) || hooks_present(l->cfg, OCI_HOOK_POSTSTOP)) {
                if (copy_config(l->sd, l->st->bundle, err) < 0)
                        return err->status;
                l->st->has_poststop = true;
        }
        if (l->o->console_socket && l->proc.terminal) {
                l->console_fd = console_socket_connect(l->o->console_socket, err);
                if (l->console_fd < 0)
                        return err->status;
        }
        struct cgroup_opts co = {
            .manager = l->o->cgroup_manager,
            .cgroups_path = l->cfg->lnx.cgroups_path,
            .id = l->o->id,
        };
        if (l->cfg->lnx.has_resources)
                log_debug("linux.resources: handed to the cgroup code");
        if (cgroup_create(&co, l->cfg->lnx.has_resources ? &l->cfg->lnx.resources : NULL, &l->cg,
                          err) < 0)
                return err->status;
        snprintf(l->st->cgroup_path, sizeof(l->st->cgroup_path), "%s", cgroup_fs_path(l->cg));
        struct stat cgsb;
        if (cgroup_dirfd(l->cg) >= 0 && fstat(cgroup_dirfd(l->cg), &cgsb) == 0)
                l->st->cgroup_ino = (uint64_t)cgsb.st_ino;
        if (!l->o->run) {
                if (mkfifoat(l->sd->dirfd, STATE_EXEC_FIFO, 0600) < 0)
                        return berr_sys(err, "create the exec fifo");
                l->fifo_fd =
                    openat(l->sd->dirfd, STATE_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (l->fifo_fd < 0)
                        return berr_sys(err, "open the exec fifo");
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return berr_sys(err, "sync socketpair");
        l->sync_parent = sv[0];
        l->sync_child = sv[1];
        log_debug("create %s: cgroup %s ready, starting the init", l->o->id, l->st->cgroup_path);
        if (spawn(l, c, err) < 0)
                return err->status;
        l->sync_child = safe_close(l->sync_child);
        l->fifo_fd = safe_close(l->fifo_fd);
        pid_t pid = l->st->pid;
        if (l->ns.new_user) {
                if (ns_write_id_maps(l->cfg, pid, err) < 0 ||
                    sync_send(l->sync_parent, SYNC_USERNS_MAPPED, 0, -1, err) < 0)
                        return err->status;
        }
        if (serve_child(l, c, pid, err) < 0)
                return err->status;
        log_debug("create %s: init %d ready", l->o->id, (int)pid);
        l->st->pid = pid;
        if (proc_stat_start_time(pid, &l->st->start_time, NULL) < 0)
                return berr_fail(err, ESRCH, "container init %d vanished", (int)pid);
        l->st->status = CONTAINER_CREATED;
        if (state_write(l->sd, l->st, err) < 0)
                return err->status;
        if (l->o->pid_file && write_pid_file(l->o->pid_file, pid, err) < 0)
                return err->status;
        return 0;
}

static int check_opts(const struct create_opts *o, const struct oci_config *cfg, struct berr *err)
{
        if (!cfg->process)
                return berr_fail(err, EINVAL,
                                 "config.json: .process is required to create a "
                                 "container");
        if (cfg->process->terminal && !o->console_socket && !o->foreground)
                return berr_fail(err, EINVAL,
                                 "cannot allocate tty if berth will detach without "
                                 "setting console socket");
        if (!cfg->process->terminal && o->console_socket)
                return berr_fail(err, EINVAL,
                                 "cannot use console socket if berth will not "
                                 "detach or allocate tty");
        if (o->preserve_fds < 0)
                return berr_fail(err, EINVAL, "--preserve-fds: must not be negative");
        return 0;
}

int container_create(const struct create_opts *o, struct container **out, struct berr *err)
{
        _cleanup_free_ struct container *c = calloc(1, sizeof(*c));
        struct launch l = {
            .o = o, .sync_parent = -1, .sync_child = -1, .fifo_fd = -1, .console_fd = -1};
        char cfgpath[PATH_MAX + 16];
        int r;

        if (!c)
                return berr_fail(err, ENOMEM, "out of memory");
        c->pidfd = c->sync_fd = c->pty_master = -1;
        c->sd = (struct state_dir)STATE_DIR_INIT;
        if (state_validate_id(o->id, err) < 0)
                return err->status;
        snprintf(c->st.id, sizeof(c->st.id), "%s", o->id);
        snprintf(cfgpath, sizeof(cfgpath), "%s/config.json",
                 o->bundle && *o->bundle ? o->bundle : ".");
        if (oci_config_load(cfgpath, &c->cfg, err) < 0)
                return err->status;
        l.cfg = c->cfg;
        l.st = &c->st;
        l.sd = &c->sd;
        if (refuse_unsupported_config(c->cfg, err) < 0 || check_opts(o, c->cfg, err) < 0 ||
            resolve_paths(o, c->cfg, &c->st, err) < 0 || ns_plan_make(c->cfg, &l.ns, err) < 0 ||
            prepare_process(&l, err) < 0 || prepare_seccomp(o, c->cfg, err) < 0)
                goto fail_early;
        l.hooks_need_pid = hooks_present(c->cfg, OCI_HOOK_PRESTART) ||
                           hooks_present(c->cfg, OCI_HOOK_CREATE_RUNTIME) ||
                           hooks_present(c->cfg, OCI_HOOK_CREATE_CONTAINER) ||
                           hooks_present(c->cfg, OCI_HOOK_START_CONTAINER) ||
                           (c->cfg->lnx.seccomp && seccomp_uses_notify(c->cfg->lnx.seccomp));
        state_now_rfc3339(c->st.created, sizeof(c->st.created));
        c->st.annotations = annotations_json(&c->cfg->annotations);
        c->st.systemd = o->systemd;
        c->st.status = CONTAINER_CREATING;
        log_debug("create %s: config loaded and checked", o->id);
        if (state_create(o->root, &c->st, &c->sd, err) < 0)
                goto fail_early;

        r = launch(&l, c, err);
        seccomp_drop_prepared(); /* the child has its copy (seccomp) */
        safe_close(l.console_fd);
        safe_close(l.sync_child);
        safe_close(l.fifo_fd);
        ns_plan_close(&l.ns);
        free_env_storage(&l);
        if (r < 0) {
                struct berr ignored = {0};
                kill_and_reap(c->pidfd, err, false);
                safe_close(c->pidfd);
                safe_close(l.sync_parent);
                safe_close(c->pty_master);
                if (l.cg) {
                        cgroup_destroy(l.cg, &ignored);
                        cgroup_free(l.cg);
                }
                state_remove(&c->sd, &ignored);
                state_clear(&c->st);
                oci_config_free(c->cfg);
                return r;
        }
        if (l.cg)
                cgroup_free(l.cg);
        if (o->run)
                c->sync_fd = l.sync_parent;
        else
                safe_close(l.sync_parent);
        *out = steal_ptr(&c);
        return 0;

fail_early:
        ns_plan_close(&l.ns);
        free_env_storage(&l);
        state_clear(&c->st);
        oci_config_free(c->cfg);
        return err->status;
}

void container_release(struct container *c)
{
        if (!c)
                return;
        state_close(&c->sd);
        safe_close(c->pidfd);
        safe_close(c->sync_fd);
        safe_close(c->pty_master);
        state_clear(&c->st);
        oci_config_free(c->cfg);
        free(c);
}
