/* process_exec(): the last steps of a container process, in one visible
 * place and in this order: rlimits, process attributes, working directory,
 * executable lookup and check, bounding set, user switch, capabilities,
 * umask, no_new_privs, fd hygiene, seccomp (last), execveat. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "process.h"
#include "process_steps.h"
#include "safepath.h"
#include "seccomp.h"

#define PROCESS_MAX_GROUPS 256

/* Open the working directory inside the root (never a host directory). */
static int open_cwd(const char *cwd, struct berr *err)
{
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (root < 0)
                return berr_sys(err, "cwd: open /");
        int fd = safe_openat(root, cwd && *cwd ? cwd : "/", O_PATH | O_DIRECTORY, 0, err);
        if (fd < 0)
                return berr_wrap(err, "process.cwd");
        return fd;
}

int process_exec(const struct process_exec_opts *o, struct berr *err)
{
        const struct oci_process *p = o->proc;
        struct exec_target target = {.fd = -1, .argv = NULL};
        int notify_fd = -1;
        int r;

        if (!p || p->args.len == 0)
                return berr_fail(err, EINVAL, "process.args must not be empty");
        r = rlimits_apply(p, err);
        if (r < 0)
                return r;
        r = procattr_apply(p, o->personality, err);
        if (r < 0)
                return r;

        /* The cwd: as root first; a directory only the container user may
         * enter is tried again after the user switch. */
        _cleanup_close_ int cwdfd = open_cwd(p->cwd, err);
        bool cwd_later = cwdfd < 0 && (err->status == -EACCES || err->status == -EPERM);
        if (cwdfd < 0 && !cwd_later)
                return cwdfd;
        if (cwdfd >= 0 && fchdir(cwdfd) < 0)
                return berr_sys(err, "chdir %s", p->cwd);
        berr_clear(err);

        _cleanup_strv_ char **env = NULL;
        r = process_env_build(p, &env, err);
        if (r < 0)
                return r;
        int min_fd = 3 + (o->preserve_fds > 0 ? o->preserve_fds : 0);
        r = exec_target_open(p->args.items, env, min_fd, &target, err);
        if (r < 0)
                goto out;

        /* additionalGids plus the user's /etc/group memberships, as runc. */
        uint32_t groups[PROCESS_MAX_GROUPS];
        size_t n_groups = 0;
        for (size_t i = 0; i < p->user.n_additional_gids && n_groups < PROCESS_MAX_GROUPS; i++)
                groups[n_groups++] = p->user.additional_gids[i];
        struct passwd_entry pw;
        passwd_by_uid(p->user.uid, &pw);
        if (pw.found && pw.name[0])
                n_groups +=
                    group_memberships(pw.name, groups + n_groups, PROCESS_MAX_GROUPS - n_groups);

        r = caps_drop_bounding(&p->capabilities, err);
        if (r < 0)
                goto out;
        r = user_switch(&p->user, groups, n_groups, err);
        if (r < 0)
                goto out;
        if (cwd_later) {
                cwdfd = open_cwd(p->cwd, err);
                if (cwdfd < 0 || fchdir(cwdfd) < 0) {
                        r = cwdfd < 0 ? cwdfd : berr_sys(err, "chdir %s", p->cwd);
                        goto out;
                }
        }

        /* Loading a filter without no_new_privs needs CAP_SYS_ADMIN: keep it
         * until the filter is in, then drop it with one last capset. */
        uint64_t extra = 0;
        bool need_admin = o->seccomp && !p->no_new_privileges &&
                          !((p->capabilities.effective >> CAP_SYS_ADMIN) & 1);
        if (need_admin)
                extra = 1ull << CAP_SYS_ADMIN;
        r = caps_apply(&p->capabilities, extra, err);
        if (r < 0)
                goto out;
        umask(p->user.umask.set ? (mode_t)p->user.umask.value : 022);
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                r = berr_sys(err, "set no_new_privs");
                goto out;
        }
        r = fds_prepare_for_exec(o->preserve_fds, err);
        if (r < 0)
                goto out;

        /* ---- seccomp: the last thing before execve ---- */
        if (o->seccomp) {
                r = seccomp_apply(o->seccomp, o->seccomp_cache_dir, &notify_fd, err);
                if (r < 0)
                        goto out;
        }
        if (need_admin) {
                r = caps_set_final(&p->capabilities, err);
                if (r < 0) {
                        berr_wrap(err, "after loading seccomp (the profile must allow capset)");
                        goto out;
                }
        }
        if (o->after_seccomp) {
                r = o->after_seccomp(o->arg, notify_fd, err);
                if (r < 0)
                        goto out;
        }
        safe_close(notify_fd);
        notify_fd = -1;

        execveat(target.fd, "", target.argv, env, AT_EMPTY_PATH);
        int e = errno;
        if (e == ENOSYS || e == EPERM) {
                /* A seccomp profile that allows execve but not execveat: the
                 * same checked file through its fd's path (never a script
                 * here, so close-on-exec does not get in the way). Without a
                 * /proc in the container, the first error stands. */
                char fdp[FD_PATH_MAX];
                execve(fd_path(target.fd, fdp), target.argv, env);
                if (errno != ENOENT)
                        e = errno;
        }
        char eb[128];
        snprintf(eb, sizeof(eb), "%s", strerror(e));
        eb[0] = (char)(eb[0] >= 'A' && eb[0] <= 'Z' ? eb[0] - 'A' + 'a' : eb[0]);
        r = berr_fail(err, e, "exec: \"%s\": %s", p->args.items[0], eb);
out:
        safe_close(notify_fd);
        exec_target_free(&target);
        return r;
}
