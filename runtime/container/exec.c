/* `berth exec`: join a running container. berth makes itself
 * non-dumpable, opens what it needs on the host first (the init's pidfd,
 * the cgroup, the pid file's directory, the console socket), joins the
 * init's namespaces with setns(pidfd) (the pid namespace then applies to
 * children), and clone3()s the new process straight into the container's
 * cgroup. The child closes every host fd, sets up a pty if asked, and
 * calls process_exec(); its errors come back over a sync socket. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "unsupported.h"
#include "config.h"
#include "container.h"
#include "fds.h"
#include "foreground.h"
#include "log.h"
#include "process.h"
#include "seccomp.h"
#include "sync.h"
#include "terminal.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The process to run and the arrays this file allocated for it. */
struct exec_proc {
        struct oci_process p;
        struct oci_process *loaded; /* from --process, owned */
        char **env;
        uint32_t *gids;
};

static void exec_proc_free(struct exec_proc *e)
{
        free(e->env);
        free(e->gids);
        if (e->loaded)
                oci_process_free(e->loaded);
}

static int add_env(struct exec_proc *e, char **extra, struct berr *err)
{
        size_t n = e->p.env.len, m = 0;

        while (extra && extra[m])
                m++;
        e->env = calloc(n + m + 1, sizeof(char *));
        if (!e->env)
                return berr_fail(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
                e->env[i] = e->p.env.items[i];
        for (size_t j = 0; j < m; j++) {
                const char *eq = strchr(extra[j], '=');
                size_t klen = eq ? (size_t)(eq - extra[j]) : strlen(extra[j]);
                size_t i;
                for (i = 0; i < n; i++)
                        if (strncmp(e->env[i], extra[j], klen) == 0 && e->env[i][klen] == '=')
                                break;
                e->env[i] = extra[j];
                if (i == n)
                        n++;
        }
        e->env[n] = NULL;
        e->p.env.items = e->env;
        e->p.env.len = n;
        return 0;
}

static int parse_user(const char *s, struct oci_user *u, struct berr *err)
{
        char *end;
        unsigned long uid = strtoul(s, &end, 10);

        if (end == s || (*end && *end != ':'))
                return berr_fail(err, EINVAL, "--user %s: expected UID[:GID]", s);
        u->uid = (uint32_t)uid;
        if (*end == ':') {
                const char *g = end + 1;
                unsigned long gid = strtoul(g, &end, 10);
                if (end == g || *end)
                        return berr_fail(err, EINVAL, "--user %s: expected UID[:GID]", s);
                u->gid = (uint32_t)gid;
        }
        return 0;
}

/* The container's process with the command line's changes (runc's rules:
 * with --process the file says everything). */
static int build_process(const struct exec_opts *o, const struct oci_config *cfg,
                         struct exec_proc *e, struct berr *err)
{
        if (o->process_json) {
                char where[PATH_MAX + 8];
                if (oci_process_load(o->process_json, &e->loaded, err) < 0)
                        return err->status;
                snprintf(where, sizeof(where), "%s: ", o->process_json);
                if (refuse_unsupported_process(e->loaded, where, err) < 0)
                        return err->status;
                e->p = *e->loaded;
                return 0;
        }
        if (!cfg->process)
                return berr_fail(err, EINVAL, "config.json has no process to base exec on");
        if (!o->argv || !o->argv[0])
                return berr_fail(err, EINVAL, "exec: a command (or --process) is required");
        e->p = *cfg->process;
        e->p.args.items = o->argv;
        e->p.args.len = 0;
        while (o->argv[e->p.args.len])
                e->p.args.len++;
        e->p.terminal = o->tty;
        e->p.has_console_size = false;
        if (o->cwd)
                e->p.cwd = (char *)o->cwd;
        if (o->user && parse_user(o->user, &e->p.user, err) < 0)
                return err->status;
        if (o->n_additional_gids > 0) {
                e->gids = calloc((size_t)o->n_additional_gids, sizeof(uint32_t));
                if (!e->gids)
                        return berr_fail(err, ENOMEM, "out of memory");
                for (int i = 0; i < o->n_additional_gids; i++)
                        e->gids[i] = o->additional_gids[i];
                e->p.user.additional_gids = e->gids;
                e->p.user.n_additional_gids = (size_t)o->n_additional_gids;
        }
        for (char **c = o->caps; c && *c; c++) {
                cap_value_t v;
                if (cap_from_name(*c, &v) < 0)
                        return berr_fail(err, EINVAL, "--cap: unknown capability %s", *c);
                uint64_t bit = 1ULL << v;
                e->p.capabilities.set = true;
                e->p.capabilities.bounding |= bit;
                e->p.capabilities.effective |= bit;
                e->p.capabilities.permitted |= bit;
        }
        if (o->no_new_privs)
                e->p.no_new_privileges = true;
        return add_env(e, o->env, err);
}

/* Namespaces of the init that differ from ours (so joining is needed). */
static int differing_namespaces(pid_t pid)
{
        static const struct {
                const char *name;
                int flag;
        } ns[] = {{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},   {"pid", CLONE_NEWPID},
                  {"net", CLONE_NEWNET},       {"ipc", CLONE_NEWIPC},  {"uts", CLONE_NEWUTS},
                  {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
        int flags = 0;

        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
                char path[64];
                struct stat a, b;
                snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i].name);
                if (stat(path, &a) < 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i].name);
                if (stat(path, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
                        flags |= ns[i].flag;
        }
        return flags;
}

struct exec_ctx {
        const struct exec_opts *o;
        const struct oci_config *cfg;
        const struct container_state *st;
        struct exec_proc proc;
        int sync[2];
        int cgroupns_fd; /* joined by the child, after clone3 put it in the cgroup */
        int fds_to_close[7];
};

/* SCMP_ACT_NOTIFY: the new process's notify fd goes to the listener too. */
static int send_seccomp_fd(void *arg, int notify_fd, struct berr *err)
{
        struct exec_ctx *x = arg;

        if (notify_fd < 0)
                return 0;
        _cleanup_free_ char *json = state_to_oci_json(x->st, CONTAINER_RUNNING, false);
        if (!json)
                return berr_fail(err, ENOMEM, "out of memory");
        return seccomp_send_to_listener(x->cfg->lnx.seccomp, notify_fd, json, err);
}

__attribute__((noreturn)) static void exec_child(struct exec_ctx *x)
{
        struct berr err = {0};
        int sock = x->sync[1];
        sigset_t none;

        /* Born in the container's cgroup, the process may now enter its
         * cgroup namespace (see join_cgroupns_later). */
        if (x->cgroupns_fd >= 0 && setns(x->cgroupns_fd, CLONE_NEWCGROUP) < 0) {
                berr_sys(&err, "join the cgroup namespace of container %s", x->st->id);
                goto fail;
        }
        for (size_t i = 0; i < sizeof(x->fds_to_close) / sizeof(int); i++)
                safe_close(x->fds_to_close[i]);
        safe_close(x->sync[0]);
        close_inherited_fds(x->o->preserve_fds);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (x->proc.p.terminal) {
                int master = -1;
                if (terminal_setup_child(&x->proc.p, false, &master, &err) < 0)
                        goto fail;
                if (sync_send(sock, SYNC_PTY_MASTER, 0, master, &err) < 0)
                        goto fail;
                safe_close(master);
        }
        if (x->proc.p.args.len > 0) {
                char found[PATH_MAX];
                if (process_find_executable(x->proc.p.args.items[0], x->proc.p.env.items, found,
                                            &err) < 0)
                        goto fail;
        }
        struct process_exec_opts po = {
            .proc = &x->proc.p,
            .seccomp = x->cfg->has_linux ? x->cfg->lnx.seccomp : NULL,
            .personality = x->cfg->lnx.personality.set ? &x->cfg->lnx.personality : NULL,
            .preserve_fds = x->o->preserve_fds,
            .after_seccomp = send_seccomp_fd,
            .arg = x,
        };
        process_exec(&po, &err);
fail:
        sync_send_error(sock, &err);
        _exit(1);
}

/* Kernels before 5.8 cannot setns() through a pidfd: join through
 * /proc/PID/ns/NAME (user first), checking the start time again once the
 * fds are open so a recycled pid cannot slip in. */
static int join_by_proc(const struct container_state *st, int flags, struct berr *err)
{
        static const struct {
                const char *name;
                int flag;
        } order[] = {{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
                     {"net", CLONE_NEWNET},   {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP},
                     {"time", CLONE_NEWTIME}, {"mnt", CLONE_NEWNS}};
        int fds[8];
        size_t n = sizeof(order) / sizeof(order[0]);
        int r = 0;

        for (size_t i = 0; i < n; i++) {
                char path[64];
                fds[i] = -1;
                if (!(flags & order[i].flag))
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)st->pid, order[i].name);
                fds[i] = open(path, O_RDONLY | O_CLOEXEC);
                if (fds[i] < 0) {
                        r = berr_sys(err, "open %s", path);
                        goto out;
                }
        }
        if (!state_init_alive(st)) {
                r = berr_fail(err, ESRCH, "cannot exec in a stopped container");
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                if (fds[i] >= 0 && setns(fds[i], order[i].flag) < 0) {
                        r = berr_sys(err, "join the %s namespace of container %s", order[i].name,
                                     st->id);
                        goto out;
                }
        }
out:
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
        return r;
}

/* With cgroup2 mounted nsdelegate (systemd's default on pure v2 hosts),
 * clone3(CLONE_INTO_CGROUP) from inside the container's cgroup namespace is
 * refused: the target must be reachable from the caller's namespace root.
 * So the cgroup namespace is joined by the child once it is born in the
 * cgroup. Open it now, while the host's /proc is ours; the start time check
 * makes sure the pid was not recycled in between. */
static int join_cgroupns_later(const struct container_state *st, int *flags, int *fd,
                               struct berr *err)
{
        char path[64];

        *fd = -1;
        if (!(*flags & CLONE_NEWCGROUP))
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/ns/cgroup", (int)st->pid);
        *fd = open(path, O_RDONLY | O_CLOEXEC);
        if (*fd < 0)
                return berr_sys(err, "open %s", path);
        if (!state_init_alive(st)) {
                *fd = safe_close(*fd);
                return berr_fail(err, ESRCH, "cannot exec in a stopped container");
        }
        *flags &= ~CLONE_NEWCGROUP;
        return 0;
}

static int open_cgroup(const struct container_state *st, const char *sub, struct berr *err)
{
        char path[PATH_MAX * 2];
        int fd;

        if (!st->cgroup_path[0])
                return -1;
        if (sub && *sub) {
                if (strstr(sub, ".."))
                        return berr_fail(err, EINVAL,
                                         "--cgroup %s: must stay below the "
                                         "container's cgroup",
                                         sub);
                snprintf(path, sizeof(path), "%s/%s", st->cgroup_path, sub);
        } else {
                snprintf(path, sizeof(path), "%s", st->cgroup_path);
        }
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(err, "open cgroup %s", path);
        struct stat sb;
        if (!(sub && *sub) && st->cgroup_ino &&
            (fstat(fd, &sb) < 0 || sb.st_ino != st->cgroup_ino)) {
                close(fd);
                return berr_fail(err, ESRCH, "cgroup %s is not the container's any more", path);
        }
        return fd;
}

static int write_pid_file_at(int dirfd, const char *name, pid_t pid, struct berr *err)
{
        char tmp[NAME_MAX + 16], buf[32];
        int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
        _cleanup_close_ int fd = -1;

        snprintf(tmp, sizeof(tmp), ".%s.berth-tmp", name);
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, buf, (size_t)n) != n || renameat(dirfd, tmp, dirfd, name) < 0)
                return berr_sys(err, "write pid file %s", name);
        return 0;
}

static int run_exec(struct exec_ctx *x, const struct container_state *st, int sigfd,
                    struct berr *err)
{
        const struct exec_opts *o = x->o;
        _cleanup_close_ int initfd = -1, cgfd = -1, piddir = -1, console = -1;
        _cleanup_close_ int pidfd = -1, master = -1, cgroupns = -1;
        char pidname[NAME_MAX + 1] = "";
        struct sync_msg m;
        int flags, fd;

        initfd = state_open_init_pidfd(st, err);
        if (initfd < 0)
                return berr_fail(err, ESRCH, "cannot exec in a stopped container");
        cgfd = open_cgroup(st, o->sub_cgroup, err);
        if (cgfd < 0 && berr_is_set(err))
                return err->status;
        if (o->pid_file) {
                char buf[PATH_MAX];
                snprintf(buf, sizeof(buf), "%s", o->pid_file);
                snprintf(pidname, sizeof(pidname), "%s", basename(buf));
                snprintf(buf, sizeof(buf), "%s", o->pid_file);
                piddir = open(dirname(buf), O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (piddir < 0)
                        return berr_sys(err, "pid file %s", o->pid_file);
        }
        if (x->proc.p.terminal && o->console_socket) {
                console = console_socket_connect(o->console_socket, err);
                if (console < 0)
                        return err->status;
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->sync) < 0)
                return berr_sys(err, "sync socketpair");
        if (x->cfg->has_linux && x->cfg->lnx.seccomp) {
                /* Compiled (or cached) while host paths are still ours. */
                char cache[PATH_MAX];
                snprintf(cache, sizeof(cache), "%s/.seccomp-cache", o->root);
                if (seccomp_prepare(x->cfg->lnx.seccomp, cache, err) < 0)
                        return err->status;
        }
        flags = differing_namespaces(st->pid);
        if (cgfd >= 0 && join_cgroupns_later(st, &flags, &cgroupns, err) < 0)
                return err->status;
        x->cgroupns_fd = cgroupns;
        /* Nothing in the container may look into berth from here on. */
        prctl(PR_SET_DUMPABLE, 0);
        if (flags && setns(initfd, flags) < 0) {
                if (errno != EINVAL || join_by_proc(st, flags, err) < 0)
                        return berr_is_set(err) ? err->status
                                                : berr_sys(err,
                                                           "join the namespaces of "
                                                           "container %s",
                                                           st->id);
        }

        struct clone_args ca = {
            .flags = CLONE_PIDFD | (cgfd >= 0 ? CLONE_INTO_CGROUP : 0),
            .pidfd = (uint64_t)(uintptr_t)&pidfd,
            .exit_signal = SIGCHLD,
            .cgroup = cgfd >= 0 ? (uint64_t)cgfd : 0,
        };
        int keep[] = {initfd, cgfd, piddir, console, sigfd, cgroupns, -1};
        memcpy(x->fds_to_close, keep, sizeof(keep));
        long pid = syscall(SYS_clone3, &ca, sizeof(ca));
        if (pid == 0)
                exec_child(x);
        if (pid < 0)
                return berr_sys(err, "clone3");
        x->sync[1] = safe_close(x->sync[1]);

        for (;;) {
                if (sync_recv(x->sync[0], &m, &fd, err) < 0) {
                        if (err->status != -EPIPE)
                                return err->status;
                        berr_clear(err); /* EOF: execve happened */
                        break;
                }
                if (m.type == SYNC_ERROR) {
                        siginfo_t si;
                        waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED);
                        return berr_fail(err, m.status ? m.status : -EIO, "%s", m.msg);
                }
                if (m.type == SYNC_PTY_MASTER && fd >= 0) {
                        if (console >= 0) {
                                int r = console_socket_send(console, fd, err);
                                close(fd);
                                if (r < 0)
                                        return r;
                        } else {
                                safe_close(master);
                                master = fd;
                        }
                }
        }
        if (piddir >= 0 && write_pid_file_at(piddir, pidname, (pid_t)pid, err) < 0)
                return err->status;
        if (o->detach)
                return 0;
        return foreground_wait(pidfd, master, sigfd, err);
}

int container_exec(const struct exec_opts *o, struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        struct oci_config *cfg = NULL;
        struct exec_ctx x = {.o = o, .sync = {-1, -1}, .cgroupns_fd = -1};
        char cfgpath[PATH_MAX + 16];
        enum container_status s;
        _cleanup_close_ int sigfd = -1;
        sigset_t set;
        int r;

        if (state_open(o->root, o->id, STATE_LOCK_NONE, &sd, err) < 0)
                return err->status;
        r = state_read(&sd, &st, err);
        s = r < 0 ? CONTAINER_STOPPED : container_status(&sd, &st);
        state_close(&sd);
        if (r < 0)
                goto out;
        if (s == CONTAINER_STOPPED || s == CONTAINER_CREATING) {
                r = berr_fail(err, EINVAL, "cannot exec in a stopped container");
                goto out;
        }
        if (s == CONTAINER_PAUSED && !o->ignore_paused) {
                r = berr_fail(
                    err, EINVAL,
                    "cannot exec in a paused container (use --ignore-paused to override)");
                goto out;
        }
        snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", st.bundle);
        r = oci_config_load(cfgpath, &cfg, err);
        if (r < 0)
                goto out;
        x.cfg = cfg;
        x.st = &st;
        r = build_process(o, cfg, &x.proc, err);
        if (r < 0)
                goto out;
        if (x.proc.p.terminal && o->detach && !o->console_socket) {
                r = berr_fail(err, EINVAL,
                              "cannot allocate tty if berth will detach without "
                              "setting console socket");
                goto out;
        }
        if (!o->detach) {
                foreground_signal_set(&set);
                sigprocmask(SIG_BLOCK, &set, NULL);
                sigfd = signalfd(-1, &set, SFD_CLOEXEC);
                if (sigfd < 0) {
                        r = berr_sys(err, "signalfd");
                        goto out;
                }
        }
        r = run_exec(&x, &st, sigfd, err);
out:
        safe_close(x.sync[0]);
        safe_close(x.sync[1]);
        exec_proc_free(&x.proc);
        if (cfg)
                oci_config_free(cfg);
        state_clear(&st);
        return r;
}
