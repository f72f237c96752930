/* The environment the container process gets: process.env, plus HOME taken
 * from the container's /etc/passwd (by uid; "/" when absent) when the config
 * sets none, as runc does. /etc/passwd is read inside the root with
 * lib/safepath. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "process_steps.h"
#include "safepath.h"

static bool env_has(char *const *env, const char *name)
{
        size_t n = strlen(name);

        for (char *const *e = env; e && *e; e++)
                if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
                        return true;
        return false;
}

/* HOME of UID in the container's /etc/passwd, or "/" (into BUF). */
static void passwd_home(uint32_t uid, char *buf, size_t size)
{
        struct berr err;
        char *line = NULL;
        size_t cap = 0;

        snprintf(buf, size, "/");
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return;
        int fd = safe_openat(root, "/etc/passwd", O_RDONLY, 0, &err);
        if (fd < 0)
                return;
        _cleanup_fclose_ FILE *f = fdopen(fd, "re");
        if (!f) {
                close(fd);
                return;
        }
        while (getline(&line, &cap, f) > 0) {
                /* name:passwd:uid:gid:gecos:home:shell */
                char *fields[7] = {0};
                char *p = line;
                int n = 0;
                for (char *c = p; n < 7; c++) {
                        if (*c == ':' || *c == '\n' || *c == '\0') {
                                char end = *c;
                                *c = '\0';
                                fields[n++] = p;
                                p = c + 1;
                                if (end != ':')
                                        break;
                        }
                }
                if (n < 6 || !*fields[2])
                        continue;
                char *endp;
                unsigned long u = strtoul(fields[2], &endp, 10);
                if (*endp == '\0' && u == uid && *fields[5]) {
                        snprintf(buf, size, "%s", fields[5]);
                        break;
                }
        }
        free(line);
}

int process_env_build(const struct oci_process *p, char ***out, struct berr *err)
{
        size_t n = p->env.len;
        bool add_home = !env_has(p->env.items, "HOME");
        char **v = calloc(n + 2, sizeof(char *));

        if (!v)
                return berr_fail(err, ENOMEM, "process.env");
        for (size_t i = 0; i < n; i++)
                if (!(v[i] = strdup(p->env.items[i])))
                        goto nomem;
        if (add_home) {
                char home[4096];
                passwd_home(p->user.uid, home, sizeof(home));
                if (asprintf(&v[n], "HOME=%s", home) < 0) {
                        v[n] = NULL;
                        goto nomem;
                }
        }
        *out = v;
        return 0;
nomem:
        strv_free(v);
        return berr_fail(err, ENOMEM, "process.env");
}
