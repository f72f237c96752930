/* berth ps [--format table|json] ID [PS-ARGS...]: the processes of the
 * container's cgroup. json prints their pids; table runs ps(1) with the
 * arguments (default -ef) and keeps the header and the container's lines. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "commands.h"
#include "container/container.h"

static int container_pids(const struct global_opts *g, const char *id, pid_t **pids, size_t *n,
                          struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        struct berth_cgroup *cg = NULL;
        int r;

        *pids = NULL;
        *n = 0;
        if (state_open(g->root, id, STATE_LOCK_NONE, &sd, err) < 0)
                return err->status;
        r = state_read(&sd, &st, err);
        state_close(&sd);
        if (r < 0)
                return r;
        if (!st.cgroup_path[0]) {
                /* No cgroup (manager disabled): the init alone, when alive. */
                state_clear(&st);
                if (!state_init_alive(&st))
                        return 0;
                *pids = malloc(sizeof(pid_t));
                if (!*pids)
                        return berr_fail(err, ENOMEM, "out of memory");
                (*pids)[0] = st.pid;
                *n = 1;
                return 0;
        }
        r = container_cgroup_open(&st, &cg, err);
        state_clear(&st);
        if (r < 0) {
                if (err->status == -ENOENT) {
                        berr_clear(err);
                        return 0;
                }
                return r;
        }
        r = cgroup_pids(cg, pids, n, err);
        cgroup_free(cg);
        return r;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
        for (size_t i = 0; i < n; i++)
                if (pids[i] == pid)
                        return true;
        return false;
}

/* Run ps ARGS and keep the header and the lines whose PID column is ours. */
static int ps_table(char **ps_args, int n_args, const pid_t *pids, size_t n, struct berr *err)
{
        int fds[2], status, pid_col = -1;
        char **argv = calloc((size_t)n_args + 3, sizeof(char *));
        char line[8192];
        FILE *f;
        pid_t child;

        if (!argv)
                return berr_fail(err, ENOMEM, "out of memory");
        argv[0] = "ps";
        if (n_args == 0)
                argv[1] = "-ef";
        for (int i = 0; i < n_args; i++)
                argv[i + 1] = ps_args[i];
        if (pipe2(fds, O_CLOEXEC) < 0) {
                free(argv);
                return berr_sys(err, "ps: pipe");
        }
        child = fork();
        if (child == 0) {
                dup2(fds[1], 1);
                execvp("ps", argv);
                dprintf(2, "berth: ps: %s\n", strerror(errno));
                _exit(127);
        }
        free(argv);
        close(fds[1]);
        if (child < 0) {
                close(fds[0]);
                return berr_sys(err, "ps: fork");
        }
        f = fdopen(fds[0], "r");
        bool header = true;
        while (f && fgets(line, sizeof(line), f)) {
                if (header) {
                        char copy[sizeof(line)], *save = NULL, *tok;
                        int col = 0;
                        snprintf(copy, sizeof(copy), "%s", line);
                        for (tok = strtok_r(copy, " \t\n", &save); tok;
                             tok = strtok_r(NULL, " \t\n", &save), col++)
                                if (strcmp(tok, "PID") == 0)
                                        pid_col = col;
                        fputs(line, stdout);
                        header = false;
                        continue;
                }
                if (pid_col < 0)
                        continue;
                char copy[sizeof(line)], *save = NULL, *tok;
                int col = 0;
                snprintf(copy, sizeof(copy), "%s", line);
                for (tok = strtok_r(copy, " \t\n", &save); tok && col < pid_col;
                     tok = strtok_r(NULL, " \t\n", &save))
                        col++;
                if (tok && has_pid(pids, n, strtol(tok, NULL, 10)))
                        fputs(line, stdout);
        }
        if (f)
                fclose(f);
        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
                ;
        if (pid_col < 0)
                return berr_fail(err, EINVAL, "ps: no PID column in the output of ps");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return berr_fail(err, EIO, "ps: ps failed");
        return 0;
}

int cmd_ps(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {0}};
        const char *format = "table";
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        int c;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "+f:", opts, NULL)) != -1) {
                if (c == 'f')
                        format = optarg;
                else
                        return berr_fail(err, EINVAL, "ps: unknown option %s", argv[optind - 1]);
        }
        if (optind >= argc)
                return berr_fail(err, EINVAL, "ps: requires at least 1 argument: the container id");
        const char *id = argv[optind++];
        if (optind < argc && strcmp(argv[optind], "--") == 0)
                optind++;
        if (strcmp(format, "table") && strcmp(format, "json"))
                return berr_fail(err, EINVAL, "ps: invalid format %s (table or json)", format);
        if (container_pids(g, id, &pids, &n, err) < 0)
                return err->status;
        if (strcmp(format, "json") == 0) {
                printf("[");
                for (size_t i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", (int)pids[i]);
                printf("]\n");
                return 0;
        }
        return ps_table(argv + optind, argc - optind, pids, n, err);
}
