/* See hooks.h. The state JSON is written into the stdin pipe before the
 * hook starts (it fits in the pipe buffer), so a hook that never reads its
 * stdin can neither block berth nor kill it with SIGPIPE. */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

static int run_one(const struct oci_hook *h, const char *kind, const char *state_json,
                   struct berr *err)
{
        int pipefd[2];
        size_t len = strlen(state_json);
        static char *const empty_env[] = {NULL};
        char *argv0[] = {h->path, NULL};
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return berr_sys(err, "%s hook %s: pipe", kind, h->path);
        if (len > 0 && fcntl(pipefd[1], F_SETPIPE_SZ, (int)(len + 1 > 4096 ? len + 1 : 4096)) < 0 &&
            len >= 65536) {
                close(pipefd[0]);
                close(pipefd[1]);
                return berr_sys(err, "%s hook %s: state too large for a pipe", kind, h->path);
        }
        if (write(pipefd[1], state_json, len) != (ssize_t)len) {
                close(pipefd[0]);
                close(pipefd[1]);
                return berr_sys(err, "%s hook %s: write state", kind, h->path);
        }
        close(pipefd[1]);

        pid = fork();
        if (pid < 0) {
                close(pipefd[0]);
                return berr_sys(err, "%s hook %s: fork", kind, h->path);
        }
        if (pid == 0) {
                /* stdin: the state; stdout joins stderr so a hook never
                 * writes into the output of `berth state` and friends. */
                dup2(pipefd[0], 0);
                dup2(2, 1);
                setpgid(0, 0); /* a timeout kills the hook with its children */
                sigset_t none;
                sigemptyset(&none);
                sigprocmask(SIG_SETMASK, &none, NULL);
                execve(h->path, h->args.len ? h->args.items : argv0,
                       h->env.len ? h->env.items : empty_env);
                dprintf(2, "berth: %s hook %s: %s\n", kind, h->path, strerror(errno));
                _exit(127);
        }
        close(pipefd[0]);
        setpgid(pid, pid); /* also here: no race with a timeout */

        int status = 0;
        if (h->timeout.set && h->timeout.value > 0) {
                int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
                struct pollfd p = {.fd = pidfd, .events = POLLIN};
                int64_t ms = h->timeout.value * 1000;
                int r;
                do
                        r = poll(&p, 1, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
                while (r < 0 && errno == EINTR);
                safe_close(pidfd);
                if (r == 0) {
                        kill(-pid, SIGKILL);
                        kill(pid, SIGKILL);
                        waitpid(pid, NULL, 0);
                        return berr_fail(err, ETIMEDOUT, "%s hook %s: timed out after %lld s", kind,
                                         h->path, (long long)h->timeout.value);
                }
        }
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR)
                        return berr_sys(err, "%s hook %s: wait", kind, h->path);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        if (WIFEXITED(status))
                return berr_fail(err, EIO, "%s hook %s: exit status %d", kind, h->path,
                                 WEXITSTATUS(status));
        return berr_fail(err, EIO, "%s hook %s: killed by signal %d", kind, h->path,
                         WTERMSIG(status));
}

int hooks_run(const struct oci_config *cfg, enum oci_hook_kind kind, const char *state_json,
              struct berr *err)
{
        const struct oci_hook_list *l;

        if (!hooks_present(cfg, kind))
                return 0;
        l = &cfg->hooks[kind];
        for (size_t i = 0; i < l->len; i++) {
                log_debug("running %s hook %s", oci_hook_name(kind), l->items[i].path);
                if (run_one(&l->items[i], oci_hook_name(kind), state_json ? state_json : "{}",
                            err) < 0) {
                        if (kind != OCI_HOOK_POSTSTART && kind != OCI_HOOK_POSTSTOP)
                                return err->status;
                        /* The spec: a failing poststart or poststop hook is a
                         * warning and the remaining hooks still run. */
                        log_warn("%s", err->msg);
                        berr_clear(err);
                }
        }
        return 0;
}
