/* Mount options of a config mount -> struct oci_mount_flags: mount(2)
 * flags to set and clear, propagation, recursive mount_setattr(2)
 * attributes (the r* forms), the berth/podman extras (tmpcopyup, idmap,
 * ridmap), and everything else joined as filesystem data. */
#include <errno.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cleanup.h"
#include "names.h"
#include "parse.h"

#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif

enum opt_kind {
        OPT_FLAG,     /* set FLAG in flags, drop it from clear */
        OPT_CLEAR,    /* set FLAG in clear, drop it from flags */
        OPT_PROP,     /* propagation = FLAG */
        OPT_ATTR_SET, /* recursive: attr_set |= FLAG, attr_clr &= ~FLAG */
        OPT_ATTR_CLR, /* recursive: attr_clr |= FLAG, attr_set &= ~FLAG */
        OPT_ATIME,    /* recursive atime mode FLAG (attr_clr gets the whole mask) */
        OPT_BIND,
        OPT_RBIND,
        OPT_TMPCOPYUP,
        OPT_IDMAP,
        OPT_RIDMAP,
        OPT_NONE, /* "defaults" */
};

struct mount_opt {
        const char *name;
        enum opt_kind kind;
        unsigned long flag;
};

static const struct mount_opt opts[] = {
    {"defaults", OPT_NONE, 0},
    {"ro", OPT_FLAG, MS_RDONLY},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"nosuid", OPT_FLAG, MS_NOSUID},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"nodev", OPT_FLAG, MS_NODEV},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"noexec", OPT_FLAG, MS_NOEXEC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"sync", OPT_FLAG, MS_SYNCHRONOUS},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"dirsync", OPT_FLAG, MS_DIRSYNC},
    {"remount", OPT_FLAG, MS_REMOUNT},
    {"mand", OPT_FLAG, MS_MANDLOCK},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"noatime", OPT_FLAG, MS_NOATIME},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"nodiratime", OPT_FLAG, MS_NODIRATIME},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"relatime", OPT_FLAG, MS_RELATIME},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"strictatime", OPT_FLAG, MS_STRICTATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"lazytime", OPT_FLAG, MS_LAZYTIME},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"silent", OPT_FLAG, MS_SILENT},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"nosymfollow", OPT_FLAG, MS_NOSYMFOLLOW},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    {"iversion", OPT_FLAG, MS_I_VERSION},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"bind", OPT_BIND, 0},
    {"rbind", OPT_RBIND, 0},
    {"private", OPT_PROP, MS_PRIVATE},
    {"rprivate", OPT_PROP, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROP, MS_SHARED},
    {"rshared", OPT_PROP, MS_SHARED | MS_REC},
    {"slave", OPT_PROP, MS_SLAVE},
    {"rslave", OPT_PROP, MS_SLAVE | MS_REC},
    {"unbindable", OPT_PROP, MS_UNBINDABLE},
    {"runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC},
    {"rro", OPT_ATTR_SET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_ATTR_CLR, MOUNT_ATTR_RDONLY},
    {"rnosuid", OPT_ATTR_SET, MOUNT_ATTR_NOSUID},
    {"rsuid", OPT_ATTR_CLR, MOUNT_ATTR_NOSUID},
    {"rnodev", OPT_ATTR_SET, MOUNT_ATTR_NODEV},
    {"rdev", OPT_ATTR_CLR, MOUNT_ATTR_NODEV},
    {"rnoexec", OPT_ATTR_SET, MOUNT_ATTR_NOEXEC},
    {"rexec", OPT_ATTR_CLR, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", OPT_ATTR_SET, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", OPT_ATTR_CLR, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", OPT_ATTR_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", OPT_ATTR_CLR, MOUNT_ATTR_NOSYMFOLLOW},
    {"rnoatime", OPT_ATIME, MOUNT_ATTR_NOATIME},
    {"rrelatime", OPT_ATIME, MOUNT_ATTR_RELATIME},
    {"rstrictatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME},
    /* Undoing an atime mode means the default mode, relatime. */
    {"ratime", OPT_ATIME, MOUNT_ATTR_RELATIME},
    {"rnorelatime", OPT_ATIME, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OPT_ATIME, MOUNT_ATTR_RELATIME},
    {"tmpcopyup", OPT_TMPCOPYUP, 0},
    {"idmap", OPT_IDMAP, 0},
    {"ridmap", OPT_RIDMAP, 0},
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

const char *const oci_mount_option_names[] = {
    "defaults",   "ro",           "rw",         "nosuid",       "suid",           "nodev",
    "dev",        "noexec",       "exec",       "sync",         "async",          "dirsync",
    "remount",    "mand",         "nomand",     "noatime",      "atime",          "nodiratime",
    "diratime",   "relatime",     "norelatime", "strictatime",  "nostrictatime",  "lazytime",
    "nolazytime", "silent",       "loud",       "nosymfollow",  "symfollow",      "iversion",
    "noiversion", "bind",         "rbind",      "private",      "rprivate",       "shared",
    "rshared",    "slave",        "rslave",     "unbindable",   "runbindable",    "rro",
    "rrw",        "rnosuid",      "rsuid",      "rnodev",       "rdev",           "rnoexec",
    "rexec",      "rnodiratime",  "rdiratime",  "rnosymfollow", "rsymfollow",     "rnoatime",
    "rrelatime",  "rstrictatime", "ratime",     "rnorelatime",  "rnostrictatime", "tmpcopyup",
    "idmap",      "ridmap",
};
const size_t oci_n_mount_option_names =
    sizeof(oci_mount_option_names) / sizeof(oci_mount_option_names[0]);

_Static_assert(sizeof(oci_mount_option_names) / sizeof(oci_mount_option_names[0]) == N_OPTS,
               "every mount option is listed for features");

static const struct mount_opt *find_opt(const char *name)
{
        for (size_t i = 0; i < N_OPTS; i++)
                if (strcmp(opts[i].name, name) == 0)
                        return &opts[i];
        return NULL;
}

static void apply_opt(const struct mount_opt *o, struct oci_mount_flags *f)
{
        switch (o->kind) {
        case OPT_FLAG:
                f->flags |= o->flag;
                f->clear &= ~o->flag;
                break;
        case OPT_CLEAR:
                f->clear |= o->flag;
                f->flags &= ~o->flag;
                break;
        case OPT_PROP:
                f->propagation = o->flag;
                break;
        case OPT_ATTR_SET:
                f->attr_set |= o->flag;
                f->attr_clr &= ~(uint64_t)o->flag;
                if (o->flag == MOUNT_ATTR_RDONLY)
                        f->recursive_ro = true;
                break;
        case OPT_ATTR_CLR:
                f->attr_clr |= o->flag;
                f->attr_set &= ~(uint64_t)o->flag;
                if (o->flag == MOUNT_ATTR_RDONLY)
                        f->recursive_ro = false;
                break;
        case OPT_ATIME:
                f->attr_set = (f->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | o->flag;
                f->attr_clr |= MOUNT_ATTR__ATIME;
                break;
        case OPT_BIND:
                f->bind = true;
                break;
        case OPT_RBIND:
                f->bind = true;
                f->recursive = true;
                break;
        case OPT_TMPCOPYUP:
                f->tmpcopyup = true;
                break;
        case OPT_IDMAP:
                f->idmap = true;
                break;
        case OPT_RIDMAP:
                f->idmap = true;
                f->idmap_recursive = true;
                break;
        case OPT_NONE:
                break;
        }
}

static int append_data(char **data, size_t *len, const char *opt, struct berr *err)
{
        size_t ol = strlen(opt);
        char *nd = realloc(*data, *len + ol + 2);

        if (!nd)
                return berr_fail(err, ENOMEM, "out of memory");
        if (*len)
                nd[(*len)++] = ',';
        memcpy(nd + *len, opt, ol + 1);
        *len += ol;
        *data = nd;
        return 0;
}

int oci_mount_options_parse(const struct oci_strv *options, const char *type,
                            struct oci_mount_flags *f, const char *path, struct berr *err)
{
        char ipath[OCI_PATH_MAX];
        _cleanup_free_ char *data = NULL;
        size_t data_len = 0;

        free(f->data);
        *f = (struct oci_mount_flags){0};
        if (type && strcmp(type, "bind") == 0)
                f->bind = true;
        for (size_t i = 0; i < options->len; i++) {
                const char *o = options->items[i];
                const struct mount_opt *known = find_opt(o);
                if (known) {
                        apply_opt(known, f);
                        continue;
                }
                jp_idx(ipath, path, i);
                if (o[0] == '\0' || o[0] == ',' || o[0] == '=')
                        return berr_fail(err, EINVAL, "%s: bad mount option \"%s\"", ipath, o);
                if (strlen(o) + data_len >= 4096)
                        return berr_fail(err, E2BIG,
                                         "%s: filesystem options longer than a page (4096 bytes)",
                                         ipath);
                if (append_data(&data, &data_len, o, err) < 0)
                        return err->status;
        }
        if (f->tmpcopyup && (!type || strcmp(type, "tmpfs") != 0))
                return berr_fail(err, EINVAL, "%s: tmpcopyup needs a tmpfs mount", path);
        f->data = steal_ptr(&data);
        return 0;
}
