/* User and group resolution for the generated config.json: see user.h. */
#include "user.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "unpack_limits.h"
#include "safepath.h"

#define MAX_GROUPS 256

static bool parse_id(const char *s, long *out)
{
        char *end;
        if (!*s || *s == '-' || *s == '+')
                return false;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || v < 0 || v >= (long)UINT32_MAX)
                return false;
        *out = v;
        return true;
}

/* Split LINE (modified) on ':' into at most N fields. */
static size_t split_fields(char *line, char **f, size_t n)
{
        size_t k = 0;
        f[k++] = line;
        for (char *p = line; *p && k < n; p++) {
                if (*p == ':') {
                        *p = '\0';
                        f[k++] = p + 1;
                }
        }
        return k;
}

/* Call FN for every line of TEXT split into fields; stop when it returns 1. */
static int each_line(const char *text, size_t nf, int (*fn)(char **f, size_t n, void *), void *arg)
{
        const char *p = text;
        while (*p) {
                const char *nl = strchrnul(p, '\n');
                size_t len = (size_t)(nl - p);
                char line[4096];
                if (len < sizeof(line) && len > 0 && p[0] != '#') {
                        memcpy(line, p, len);
                        line[len] = '\0';
                        char *f[8];
                        size_t n = split_fields(line, f, nf);
                        int r = fn(f, n, arg);
                        if (r)
                                return r;
                }
                p = *nl ? nl + 1 : nl;
        }
        return 0;
}

struct lookup {
        const char *name;
        long id;
        long a, b;
};

static int passwd_line(char **f, size_t n, void *arg)
{
        struct lookup *l = arg;
        long uid, gid;
        if (n < 4 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
                return 0;
        if (l->name ? strcmp(f[0], l->name) == 0 : uid == l->id) {
                l->a = uid;
                l->b = gid;
                return 1;
        }
        return 0;
}

int passwd_lookup(const char *text, const char *name, long id, uid_t *uid, gid_t *gid)
{
        struct lookup l = {.name = name, .id = id};
        if (!text || each_line(text, 7, passwd_line, &l) != 1)
                return -ENOENT;
        *uid = (uid_t)l.a;
        *gid = (gid_t)l.b;
        return 0;
}

static int group_line(char **f, size_t n, void *arg)
{
        struct lookup *l = arg;
        long gid;
        if (n < 3 || !parse_id(f[2], &gid))
                return 0;
        if (l->name ? strcmp(f[0], l->name) == 0 : gid == l->id) {
                l->a = gid;
                return 1;
        }
        return 0;
}

int group_lookup(const char *text, const char *name, long id, gid_t *gid)
{
        struct lookup l = {.name = name, .id = id};
        if (!text || each_line(text, 4, group_line, &l) != 1)
                return -ENOENT;
        *gid = (gid_t)l.a;
        return 0;
}

struct members {
        const char *user;
        gid_t primary;
        struct resolved_user *out;
};

static int member_line(char **f, size_t n, void *arg)
{
        struct members *m = arg;
        long gid;
        if (n < 4 || !parse_id(f[2], &gid) || (gid_t)gid == m->primary)
                return 0;
        for (char *p = f[3]; *p;) {
                char *end = strchrnul(p, ',');
                size_t len = (size_t)(end - p);
                if (len == strlen(m->user) && strncmp(p, m->user, len) == 0) {
                        if (m->out->n_additional < MAX_GROUPS)
                                m->out->additional[m->out->n_additional++] = (gid_t)gid;
                        break;
                }
                p = *end ? end + 1 : end;
        }
        return 0;
}

static char *read_etc(int rootfd, const char *path)
{
        struct berr err;
        _cleanup_close_ int fd = safe_openat(rootfd, path, O_RDONLY, 0, &err);
        char *buf = NULL;
        size_t len;
        if (fd < 0 || read_fd_limited(fd, UNPACK_PASSWD_MAX, &buf, &len, &err) < 0)
                return NULL;
        return buf;
}

int user_resolve(int rootfd, const char *user, struct resolved_user *out, struct berr *err)
{
        memset(out, 0, sizeof(*out));
        if (!user || !*user)
                return 0;
        _cleanup_free_ char *spec = strdup(user);
        if (!spec)
                return berr_fail(err, ENOMEM, "out of memory");
        char *grp = strchr(spec, ':');
        if (grp)
                *grp++ = '\0';
        _cleanup_free_ char *passwd = read_etc(rootfd, "/etc/passwd");
        _cleanup_free_ char *group = read_etc(rootfd, "/etc/group");
        long id;
        char uname_buf[256] = "";
        bool have_gid = false;

        if (parse_id(spec, &id)) {
                out->uid = (uid_t)id;
                if (passwd_lookup(passwd, NULL, id, &out->uid, &out->gid) == 0)
                        have_gid = true;
        } else {
                if (passwd_lookup(passwd, spec, 0, &out->uid, &out->gid) < 0)
                        return berr_fail(err, ENOENT,
                                         "image user \"%s\": no user %s in the image's /etc/passwd",
                                         user, spec);
                have_gid = true;
        }
        (void)have_gid;
        if (grp) {
                if (parse_id(grp, &id)) {
                        out->gid = (gid_t)id;
                } else if (group_lookup(group, grp, 0, &out->gid) < 0) {
                        return berr_fail(err, ENOENT,
                                         "image user \"%s\": no group %s in the image's /etc/group",
                                         user, grp);
                }
                return 0; /* an explicit group: no supplementary groups */
        }
        /* Supplementary groups: those of /etc/group listing the user's name. */
        if (!parse_id(spec, &id))
                snprintf(uname_buf, sizeof(uname_buf), "%s", spec);
        else if (passwd) {
                /* find the name of the uid */
                const char *p = passwd;
                while (*p) {
                        const char *nl = strchrnul(p, '\n');
                        const char *c1 = memchr(p, ':', (size_t)(nl - p));
                        if (c1) {
                                const char *c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1));
                                const char *c3 =
                                    c2 ? memchr(c2 + 1, ':', (size_t)(nl - c2 - 1)) : NULL;
                                if (c3 && (size_t)(c3 - c2 - 1) < 16) {
                                        char num[16];
                                        snprintf(num, sizeof(num), "%.*s", (int)(c3 - c2 - 1),
                                                 c2 + 1);
                                        long u;
                                        if (parse_id(num, &u) && u == id &&
                                            (size_t)(c1 - p) < sizeof(uname_buf)) {
                                                snprintf(uname_buf, sizeof(uname_buf), "%.*s",
                                                         (int)(c1 - p), p);
                                                break;
                                        }
                                }
                        }
                        p = *nl ? nl + 1 : nl;
                }
        }
        if (uname_buf[0] && group) {
                out->additional = calloc(MAX_GROUPS, sizeof(gid_t));
                if (!out->additional)
                        return berr_fail(err, ENOMEM, "out of memory");
                struct members m = {.user = uname_buf, .primary = out->gid, .out = out};
                each_line(group, 4, member_line, &m);
        }
        return 0;
}

void resolved_user_free(struct resolved_user *u)
{
        free(u->additional);
        u->additional = NULL;
        u->n_additional = 0;
}
