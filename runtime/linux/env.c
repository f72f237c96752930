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
                struct passwd_entry pw;
                passwd_by_uid(p->user.uid, &pw);
                if (asprintf(&v[n], "HOME=%s", pw.found && pw.home[0] ? pw.home : "/") < 0) {
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
