/* The mounts and hooks sections of config.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parse.h"

/* The kernel takes at most 340 lines in uid_map/gid_map. */
#define IDMAP_MAX 340

static int parse_mount(yajl_val m, const char *path, struct oci_mount *mnt, struct berr *err)
{
        char fpath[OCI_PATH_MAX];

        if (json_expect_object(m, path, err) < 0)
                return err->status;
        if (jp_string_req(m, "destination", path, &mnt->destination, err) < 0 ||
            jp_string(m, "type", path, &mnt->type, err) < 0 ||
            jp_string(m, "source", path, &mnt->source, err) < 0 ||
            jp_strv(m, "options", path, &mnt->options, err) < 0 ||
            jp_idmaps(m, "uidMappings", path, IDMAP_MAX, &mnt->uid_mappings, err) < 0 ||
            jp_idmaps(m, "gidMappings", path, IDMAP_MAX, &mnt->gid_mappings, err) < 0)
                return err->status;

        jp_key(fpath, path, "destination");
        if (mnt->destination[0] == '\0')
                return berr_fail(err, EINVAL, "%s: must not be empty", fpath);
        /* runtime-spec: a relative destination is deprecated and means
         * relative to "/". Keep it absolute from here on. */
        if (mnt->destination[0] != '/') {
                char *abs;
                if (asprintf(&abs, "/%s", mnt->destination) < 0)
                        return berr_fail(err, ENOMEM, "out of memory");
                free(mnt->destination);
                mnt->destination = abs;
        }
        if (jp_check_path_len(mnt->destination, fpath, err) < 0)
                return err->status;
        if (mnt->source && jp_check_path_len(mnt->source, jp_key(fpath, path, "source"), err) < 0)
                return err->status;
        if (oci_mount_options_parse(&mnt->options, mnt->type, &mnt->parsed,
                                    jp_key(fpath, path, "options"), err) < 0)
                return err->status;
        if (mnt->parsed.bind && (!mnt->source || !mnt->source[0]))
                return berr_fail(err, EINVAL, "%s.source: a bind mount needs a source", path);
        if (!mnt->uid_mappings.len != !mnt->gid_mappings.len)
                return berr_fail(err, EINVAL,
                                 "%s: uidMappings and gidMappings must be given together", path);
        if (mnt->uid_mappings.len) {
                if (!mnt->parsed.bind)
                        return berr_fail(err, EINVAL,
                                         "%s: uidMappings/gidMappings (idmapped mount) need a "
                                         "bind mount",
                                         path);
                /* Mappings imply an idmapped mount (runc does the same). */
                mnt->parsed.idmap = true;
        }
        return 0;
}

int oci_parse_mounts(yajl_val root, struct oci_config *cfg, struct berr *err)
{
        char ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(root, "mounts", "", &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        cfg->mounts = jp_calloc(n, sizeof(struct oci_mount), err);
        if (!cfg->mounts)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                cfg->n_mounts = i + 1;
                if (parse_mount(arr->u.array.values[i], jp_idx(ipath, ".mounts", i),
                                &cfg->mounts[i], err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_hook(yajl_val h, const char *path, struct oci_hook *hook, struct berr *err)
{
        char fpath[OCI_PATH_MAX];

        if (json_expect_object(h, path, err) < 0)
                return err->status;
        if (jp_string_req(h, "path", path, &hook->path, err) < 0 ||
            jp_strv(h, "args", path, &hook->args, err) < 0 ||
            jp_strv(h, "env", path, &hook->env, err) < 0 ||
            jp_opt_i64(h, "timeout", path, INT64_MIN, INT64_MAX, &hook->timeout, err) < 0)
                return err->status;
        if (jp_check_absolute(hook->path, jp_key(fpath, path, "path"), err) < 0)
                return err->status;
        if (hook->timeout.set && hook->timeout.value <= 0)
                return berr_fail(err, EINVAL, "%s.timeout: must be greater than zero", path);
        return 0;
}

int oci_parse_hooks(yajl_val root, struct oci_config *cfg, struct berr *err)
{
        char kpath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val hooks;

        if (jp_object(root, "hooks", "", &hooks, err) < 0)
                return err->status;
        if (!hooks)
                return 0;
        for (int k = 0; k < OCI_HOOK_COUNT; k++) {
                struct oci_hook_list *list = &cfg->hooks[k];
                yajl_val arr;
                size_t n;
                if (jp_array(hooks, oci_hook_name(k), ".hooks", &arr, &n, err) < 0)
                        return err->status;
                if (!arr)
                        continue;
                jp_key(kpath, ".hooks", oci_hook_name(k));
                list->items = jp_calloc(n, sizeof(struct oci_hook), err);
                if (!list->items)
                        return err->status;
                for (size_t i = 0; i < n; i++) {
                        list->len = i + 1;
                        if (parse_hook(arr->u.array.values[i], jp_idx(ipath, kpath, i),
                                       &list->items[i], err) < 0)
                                return err->status;
                }
        }
        return 0;
}
