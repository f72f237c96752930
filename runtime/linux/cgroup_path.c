/* Where a container's cgroup goes: linux.cgroupsPath (absolute, or relative
 * to berth's own cgroup, as runc), the default /berth/ID, and systemd's
 * "slice:prefix:name" form (a-b.slice -> /a.slice/a-b.slice, prefix-name.scope).
 * Pure string work: nothing here touches the system. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"

#define CG_PATH_MAX 4096

/* Append "/COMP" to buf, refusing what could leave the hierarchy. */
static int append_components(char *buf, size_t size, const char *path, const char *what,
                             struct berr *err)
{
        const char *p = path;

        while (*p) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                const char *s = p;
                while (*p && *p != '/')
                        p++;
                size_t len = (size_t)(p - s);
                if (len == 1 && s[0] == '.')
                        continue;
                if (len == 2 && s[0] == '.' && s[1] == '.')
                        return berr_fail(err, EINVAL, "cgroup: %s %s: \"..\" is not allowed", what,
                                         path);
                size_t used = strlen(buf);
                if (used + 1 + len + 1 > size)
                        return berr_fail(err, ENAMETOOLONG, "cgroup: %s %s: too long", what, path);
                buf[used] = '/';
                memcpy(buf + used + 1, s, len);
                buf[used + 1 + len] = '\0';
        }
        return 0;
}

int cgroup_expand_slice(const char *slice, char *buf, size_t size, struct berr *err)
{
        size_t len = strlen(slice);
        const size_t sfx = strlen(".slice");

        buf[0] = '\0';
        if (len <= sfx || strcmp(slice + len - sfx, ".slice") != 0 || strchr(slice, '/'))
                return berr_fail(err, EINVAL,
                                 "cgroup: invalid systemd slice %s (expected NAME.slice)", slice);
        if (strcmp(slice, "-.slice") == 0)
                return 0; /* the root slice */
        size_t name_len = len - sfx;
        if (slice[0] == '-' || slice[name_len - 1] == '-' || strstr(slice, "--"))
                return berr_fail(err, EINVAL, "cgroup: invalid systemd slice %s", slice);
        for (size_t i = 0; i <= name_len; i++) {
                if (i < name_len && slice[i] != '-')
                        continue;
                size_t used = strlen(buf);
                if (used + 1 + i + sfx + 1 > size)
                        return berr_fail(err, ENAMETOOLONG, "cgroup: slice %s: too long", slice);
                snprintf(buf + used, size - used, "/%.*s.slice", (int)i, slice);
        }
        return 0;
}

int cgroup_systemd_unit(const char *cgroups_path, const char *id, char *slice, size_t slice_size,
                        char *unit, size_t unit_size, struct berr *err)
{
        const char *s = "system.slice", *prefix = "berth", *name = id;
        char copy[CG_PATH_MAX];

        if (cgroups_path && *cgroups_path) {
                if (strlen(cgroups_path) >= sizeof(copy))
                        return berr_fail(err, ENAMETOOLONG, "cgroup: cgroupsPath too long");
                strcpy(copy, cgroups_path);
                char *c1 = strchr(copy, ':');
                char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (!c1 || !c2 || strchr(c2 + 1, ':'))
                        return berr_fail(err, EINVAL,
                                         "cgroup: cgroupsPath %s: expected \"slice:prefix:name\" "
                                         "with the systemd cgroup manager",
                                         cgroups_path);
                *c1 = *c2 = '\0';
                s = copy[0] ? copy : "system.slice";
                prefix = c1 + 1;
                name = c2 + 1;
        }
        if (!name || !*name || strchr(name, '/') || strchr(prefix, '/'))
                return berr_fail(err, EINVAL, "cgroup: cgroupsPath %s: invalid unit name",
                                 cgroups_path ? cgroups_path : "");
        size_t nlen = strlen(name);
        int n;
        if (nlen > 6 && strcmp(name + nlen - 6, ".slice") == 0)
                n = snprintf(unit, unit_size, "%s", name);
        else if (*prefix)
                n = snprintf(unit, unit_size, "%s-%s.scope", prefix, name);
        else if (nlen > 6 && strcmp(name + nlen - 6, ".scope") == 0)
                n = snprintf(unit, unit_size, "%s", name);
        else
                n = snprintf(unit, unit_size, "%s.scope", name);
        if (n < 0 || (size_t)n >= unit_size || strlen(s) >= slice_size)
                return berr_fail(err, ENAMETOOLONG, "cgroup: systemd unit name too long");
        strcpy(slice, s);
        return 0;
}

static int check_id(const char *id, struct berr *err)
{
        if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return berr_fail(err, EINVAL, "cgroup: invalid container id %s", id ? id : "");
        return 0;
}

int cgroup_resolve_path(const char *manager, const char *cgroups_path, const char *id,
                        const char *own, char **out, struct berr *err)
{
        char buf[CG_PATH_MAX] = "";
        int r;

        if (check_id(id, err) < 0)
                return err->status;
        if (manager && strcmp(manager, "systemd") == 0) {
                char slice[256], unit[512], spath[CG_PATH_MAX];
                r = cgroup_systemd_unit(cgroups_path, id, slice, sizeof(slice), unit, sizeof(unit),
                                        err);
                if (r < 0)
                        return r;
                r = cgroup_expand_slice(slice, spath, sizeof(spath), err);
                if (r < 0)
                        return r;
                if (append_components(buf, sizeof(buf), spath, "slice", err) < 0 ||
                    append_components(buf, sizeof(buf), unit, "unit", err) < 0)
                        return err->status;
        } else if (!cgroups_path || !*cgroups_path) {
                if (append_components(buf, sizeof(buf), "berth", "cgroupsPath", err) < 0 ||
                    append_components(buf, sizeof(buf), id, "container id", err) < 0)
                        return err->status;
        } else {
                if (cgroups_path[0] != '/' &&
                    append_components(buf, sizeof(buf), own ? own : "/", "own cgroup", err) < 0)
                        return err->status;
                if (append_components(buf, sizeof(buf), cgroups_path, "cgroupsPath", err) < 0)
                        return err->status;
        }
        if (!buf[0])
                return berr_fail(err, EINVAL,
                                 "cgroup: cgroupsPath %s names the root of the cgroup hierarchy",
                                 cgroups_path ? cgroups_path : "");
        *out = strdup(buf);
        if (!*out)
                return berr_fail(err, ENOMEM, "cgroup: out of memory");
        return 0;
}
