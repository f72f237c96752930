/* Finding and opening the container's executable, and the /proc/self/exe
 * guard (runc CVE-2019-5736). berth never re-executes itself, so until
 * execve the child's /proc/self/exe is berth's own binary: running it (as
 * the entrypoint, or as a #! interpreter) would let the container reopen
 * the host binary. So the target is resolved inside the root without magic
 * links, its device and inode are compared with berth's own binary
 * (captured at start-up, before any namespace change), #! interpreters are
 * followed by berth itself (up to 4 levels, each one checked), and execveat
 * runs the very file that was checked. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "process.h"
#include "process_steps.h"
#include "safepath.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_INTERP_DEPTH 4
#define SHEBANG_MAX 256

static struct stat self_exe;
static bool self_exe_known;

__attribute__((constructor)) static void capture_self_exe(void)
{
        self_exe_known = stat("/proc/self/exe", &self_exe) == 0;
}

static bool is_self_exe(const struct stat *st)
{
        return self_exe_known && st->st_dev == self_exe.st_dev && st->st_ino == self_exe.st_ino;
}

/* Open PATH the way execve would see it: absolute from the root, relative
 * from the working directory; never through a magic link. */
static int open_in_root(const char *path, int flags, struct berr *err)
{
        if (path[0] == '/') {
                _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root < 0)
                        return berr_sys(err, "open /");
                return safe_openat(root, path, flags, 0, err);
        }
        _cleanup_close_ int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cwd < 0)
                return berr_sys(err, "open the working directory");
        return safe_openat(cwd, path, flags, 0, err);
}

/* strerror as Go (and so runc) words it: "no such file or directory".
 * podman and docker match these words to answer 127/126. */
static const char *go_strerror(int errnum, char *buf, size_t size)
{
        snprintf(buf, size, "%s", strerror(errnum));
        if (buf[0] >= 'A' && buf[0] <= 'Z')
                buf[0] = (char)(buf[0] - 'A' + 'a');
        return buf;
}

static const char *env_path(char *const *env)
{
        for (char *const *e = env; e && *e; e++)
                if (strncmp(*e, "PATH=", 5) == 0)
                        return *e + 5;
        return DEFAULT_PATH;
}

static bool is_executable_file(const char *path)
{
        struct berr err;
        struct stat st;

        _cleanup_close_ int fd = open_in_root(path, O_PATH, &err);
        return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

int process_find_executable(const char *argv0, char *const *env, char *out, struct berr *err)
{
        if (!argv0 || !*argv0)
                return berr_fail(err, ENOENT, "exec: \"\": executable file not found in $PATH");
        if (strchr(argv0, '/')) {
                char eb[128];
                struct stat st;
                if (strlen(argv0) >= PATH_MAX)
                        return berr_fail(err, ENAMETOOLONG, "exec: \"%s\": name too long", argv0);
                strcpy(out, argv0);
                /* runc's words: exec: "/x": stat /x: no such file or directory */
                int fd = open_in_root(argv0, O_PATH, err);
                if (fd < 0 && err->status != -ELOOP)
                        return berr_fail(err, err->status, "exec: \"%s\": stat %s: %s", argv0,
                                         argv0, go_strerror(-err->status, eb, sizeof(eb)));
                if (fd >= 0) {
                        int r = fstat(fd, &st);
                        close(fd);
                        if (r == 0 && (S_ISDIR(st.st_mode) || !(st.st_mode & 0111)))
                                return berr_fail(err, EACCES, "exec: \"%s\": permission denied",
                                                 argv0);
                }
                berr_clear(err);
                return 0;
        }
        const char *p = env_path(env);
        while (p) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t)(colon - p) : strlen(p);
                int n = len == 0 ? snprintf(out, PATH_MAX, "./%s", argv0)
                                 : snprintf(out, PATH_MAX, "%.*s/%s", (int)len, p, argv0);
                if (n > 0 && n < PATH_MAX && is_executable_file(out))
                        return 0;
                p = colon ? colon + 1 : NULL;
        }
        return berr_fail(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", argv0);
}

/* Check FD (opened from PATH) and read its #! line into INTERP/ARG when it
 * is a script. Returns 1 for a script, 0 for anything else. */
static int inspect(int fd, const char *path, char *interp, char **arg, struct berr *err)
{
        char buf[SHEBANG_MAX + 1];
        struct stat st;

        if (fstat(fd, &st) < 0)
                return berr_sys(err, "exec: \"%s\"", path);
        if (is_self_exe(&st))
                return berr_fail(err, EPERM,
                                 "exec: \"%s\": refusing to execute the berth binary itself "
                                 "inside a container (CVE-2019-5736)",
                                 path);
        if (!S_ISREG(st.st_mode))
                return berr_fail(err, EACCES, "exec: \"%s\": permission denied", path);
        ssize_t n = pread(fd, buf, SHEBANG_MAX, 0);
        if (n < 0)
                return berr_sys(err, "exec: \"%s\": read", path);
        buf[n] = '\0';
        if (n < 2 || buf[0] != '#' || buf[1] != '!')
                return 0;
        /* As the kernel: the interpreter runs to the first blank, the rest of
         * the line (trimmed) is one optional argument. */
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl)
                *nl = '\0';
        char *s = buf + 2;
        while (*s == ' ' || *s == '\t')
                s++;
        char *e = s;
        while (*e && *e != ' ' && *e != '\t')
                e++;
        if (e == s)
                return berr_fail(err, ENOEXEC, "exec: \"%s\": empty #! line", path);
        char *rest = *e ? e + 1 : e;
        *e = '\0';
        snprintf(interp, PATH_MAX, "%s", s);
        while (*rest == ' ' || *rest == '\t')
                rest++;
        char *end = rest + strlen(rest);
        while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
                *--end = '\0';
        *arg = *rest ? strdup(rest) : NULL;
        if (*rest && !*arg)
                return berr_fail(err, ENOMEM, "exec: \"%s\"", path);
        return 1;
}

static size_t strv_len(char *const *v)
{
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

/* argv for interpreter INTERP (+ARG) running SCRIPT with the old argv[1..]. */
static char **shebang_argv(const char *interp, const char *arg, const char *script, char **old)
{
        size_t n = strv_len(old);
        char **v = calloc(n + 3, sizeof(char *));
        size_t k = 0;

        if (!v)
                return NULL;
        v[k++] = strdup(interp);
        if (arg)
                v[k++] = strdup(arg);
        v[k++] = strdup(script);
        for (size_t i = 1; i < n; i++)
                v[k++] = strdup(old[i]);
        for (size_t i = 0; i < k; i++)
                if (!v[i]) {
                        strv_free(v);
                        return NULL;
                }
        return v;
}

void exec_target_free(struct exec_target *t)
{
        t->fd = safe_close(t->fd);
        strv_free(t->argv);
        t->argv = NULL;
}

/* Open and check one level of the chain. Returns 1 when PATH is a script
 * (t->argv rewritten, INTERP the next level), 0 for the final file (t->fd). */
static int open_level(const char *path, char *interp, int min_fd, int depth, struct exec_target *t,
                      struct berr *err)
{
        int fd = open_in_root(path, O_RDONLY, err);
        if (fd < 0 && err->status == -ELOOP)
                return berr_fail(err, ELOOP,
                                 "exec: \"%s\": refusing a path through a magic link "
                                 "(such as /proc/self/exe) or a symlink loop",
                                 path);
        if (fd < 0) {
                char eb[128];
                return berr_fail(err, err->status, "exec: \"%s\": %s", path,
                                 go_strerror(-err->status, eb, sizeof(eb)));
        }
        /* Keep it clear of the preserved fds, which lose O_CLOEXEC. */
        t->fd = fcntl(fd, F_DUPFD_CLOEXEC, min_fd);
        close(fd);
        if (t->fd < 0)
                return berr_sys(err, "exec: \"%s\"", path);
        _cleanup_free_ char *arg = NULL;
        int r = inspect(t->fd, path, interp, &arg, err);
        if (r <= 0)
                return r;
        if (depth == MAX_INTERP_DEPTH)
                return berr_fail(err, ELOOP, "more than %d levels of #! interpreters",
                                 MAX_INTERP_DEPTH);
        char **nv = shebang_argv(interp, arg, path, t->argv);
        if (!nv)
                return berr_fail(err, ENOMEM, "exec");
        strv_free(t->argv);
        t->argv = nv;
        t->fd = safe_close(t->fd);
        return 1;
}

int exec_target_open(char *const *argv, char *const *env, int min_fd, struct exec_target *t,
                     struct berr *err)
{
        char path[PATH_MAX], interp[PATH_MAX];
        size_t n = strv_len(argv);

        t->fd = -1;
        t->argv = calloc(n + 1, sizeof(char *));
        if (!t->argv)
                return berr_fail(err, ENOMEM, "exec");
        for (size_t i = 0; i < n; i++)
                if (!(t->argv[i] = strdup(argv[i])))
                        return berr_fail(err, ENOMEM, "exec");
        int r = process_find_executable(n ? argv[0] : NULL, env, path, err);
        if (r < 0)
                return r;

        for (int depth = 0;; depth++) {
                r = open_level(path, interp, min_fd, depth, t, err);
                if (r < 0 && depth > 0)
                        return berr_wrap(err, "exec: \"%s\" (through #! interpreters)", argv[0]);
                if (r <= 0)
                        return r;
                snprintf(path, sizeof(path), "%s", interp);
        }
}
