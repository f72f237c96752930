/* Lookups in the container's /etc/passwd and /etc/group, read inside the
 * root with lib/safepath, as runc does for a numeric user: the home
 * directory, and the supplementary groups that list the user's name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "process_steps.h"
#include "safepath.h"

static FILE *open_in_container(const char *path)
{
        struct berr err;

        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return NULL;
        int fd = safe_openat(root, path, O_RDONLY, 0, &err);
        if (fd < 0)
                return NULL;
        FILE *f = fdopen(fd, "re");
        if (!f)
                close(fd);
        return f;
}

/* Split LINE at ':' into at most MAX fields (the newline ends the last). */
static int split_fields(char *line, char **fields, int max)
{
        int n = 0;
        char *p = line;

        for (char *c = line; n < max; c++) {
                if (*c == ':' || *c == '\n' || *c == '\0') {
                        char end = *c;
                        *c = '\0';
                        fields[n++] = p;
                        p = c + 1;
                        if (end != ':')
                                break;
                }
        }
        return n;
}

static bool parse_id(const char *s, unsigned long *out)
{
        char *end;

        if (!*s)
                return false;
        errno = 0;
        *out = strtoul(s, &end, 10);
        return *end == '\0' && errno == 0;
}

void passwd_by_uid(uint32_t uid, struct passwd_entry *out)
{
        _cleanup_fclose_ FILE *f = open_in_container("/etc/passwd");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;

        memset(out, 0, sizeof(*out));
        while (f && getline(&line, &cap, f) > 0) {
                /* name:passwd:uid:gid:gecos:home:shell */
                char *fl[7];
                unsigned long u;
                if (split_fields(line, fl, 7) < 6 || !parse_id(fl[2], &u) || u != uid)
                        continue;
                out->found = true;
                snprintf(out->name, sizeof(out->name), "%s", fl[0]);
                snprintf(out->home, sizeof(out->home), "%s", fl[5]);
                return;
        }
}

size_t group_memberships(const char *name, uint32_t *gids, size_t max)
{
        _cleanup_fclose_ FILE *f = open_in_container("/etc/group");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0, n = 0;

        while (f && n < max && getline(&line, &cap, f) > 0) {
                /* name:passwd:gid:member,member */
                char *fl[4];
                unsigned long g;
                if (split_fields(line, fl, 4) < 4 || !parse_id(fl[2], &g))
                        continue;
                for (char *save = NULL, *m = strtok_r(fl[3], ",", &save); m;
                     m = strtok_r(NULL, ",", &save)) {
                        if (strcmp(m, name) == 0) {
                                gids[n++] = (uint32_t)g;
                                break;
                        }
                }
        }
        return n;
}
