/* Entry points of the config parser: read config.json / process.json with
 * a size limit, parse the tree, fill struct oci_config section by section
 * (ociVersion, root, hostname, annotations here; the rest in parse_*.c),
 * then run the cross-field checks. Errors start with the file's name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define HOSTNAME_MAX 64

/* "1.0.0" ... "1.2.x", with an optional "-rc.1"/"+dev" suffix. */
static int check_version(const char *v, struct berr *err)
{
        unsigned major, minor, patch;
        int n = 0;

        if (sscanf(v, "%u.%u.%u%n", &major, &minor, &patch, &n) != 3 || n == 0 ||
            (v[n] != '\0' && v[n] != '-' && v[n] != '+') || v[0] < '0' || v[0] > '9')
                return berr_fail(err, EINVAL, ".ociVersion: \"%.64s\" is not a version like \"%s\"",
                                 v, OCI_VERSION_MAX);
        if (major != 1 || minor > 2)
                return berr_fail(err, ENOTSUP,
                                 ".ociVersion: version %.64s is not supported (berth supports %s "
                                 "to 1.2.x)",
                                 v, OCI_VERSION_MIN);
        return 0;
}

static int parse_root(yajl_val tree, struct oci_config *cfg, struct berr *err)
{
        yajl_val root;

        if (jp_object(tree, "root", "", &root, err) < 0)
                return err->status;
        if (!root)
                return berr_fail(err, EINVAL, ".root: required field is missing");
        if (jp_string_req(root, "path", ".root", &cfg->root.path, err) < 0 ||
            jp_bool(root, "readonly", ".root", &cfg->root.readonly, err) < 0)
                return err->status;
        if (!cfg->root.path[0])
                return berr_fail(err, EINVAL, ".root.path: must not be empty");
        cfg->has_root = true;
        return jp_check_path_len(cfg->root.path, ".root.path", err);
}

static int parse_names(yajl_val tree, struct oci_config *cfg, struct berr *err)
{
        if (jp_string(tree, "hostname", "", &cfg->hostname, err) < 0 ||
            jp_string(tree, "domainname", "", &cfg->domainname, err) < 0)
                return err->status;
        if (cfg->hostname && strlen(cfg->hostname) > HOSTNAME_MAX)
                return berr_fail(err, EINVAL, ".hostname: longer than %d bytes", HOSTNAME_MAX);
        if (cfg->domainname && strlen(cfg->domainname) > HOSTNAME_MAX)
                return berr_fail(err, EINVAL, ".domainname: longer than %d bytes", HOSTNAME_MAX);
        return 0;
}

static int parse_config_tree(yajl_val tree, struct oci_config *cfg, struct berr *err)
{
        yajl_val proc, lnx;

        if (json_expect_object(tree, ".", err) < 0)
                return err->status;
        if (jp_string_req(tree, "ociVersion", "", &cfg->oci_version, err) < 0 ||
            check_version(cfg->oci_version, err) < 0 || parse_root(tree, cfg, err) < 0 ||
            parse_names(tree, cfg, err) < 0 || oci_parse_mounts(tree, cfg, err) < 0 ||
            oci_parse_hooks(tree, cfg, err) < 0 ||
            jp_kv_map(tree, "annotations", "", &cfg->annotations, err) < 0)
                return err->status;
        for (size_t i = 0; i < cfg->annotations.len; i++)
                if (!cfg->annotations.items[i].key[0])
                        return berr_fail(err, EINVAL, ".annotations: a key is empty");

        if (jp_object(tree, "process", "", &proc, err) < 0)
                return err->status;
        if (proc) {
                cfg->process = jp_calloc(1, sizeof(*cfg->process), err);
                if (!cfg->process || oci_parse_process(proc, ".process", cfg->process, err) < 0)
                        return err->status;
        }
        if (jp_object(tree, "linux", "", &lnx, err) < 0)
                return err->status;
        if (lnx) {
                cfg->has_linux = true;
                if (oci_parse_linux(lnx, ".linux", &cfg->lnx, err) < 0)
                        return err->status;
        }
        return oci_validate_config(cfg, err);
}

static int parse_config_buf(const char *buf, size_t len, struct oci_config **out, struct berr *err)
{
        yajl_val tree = NULL;
        struct oci_config *cfg;
        int r;

        *out = NULL;
        if (len > OCI_CONFIG_MAX_BYTES)
                return berr_fail(err, EFBIG, "larger than %u bytes", OCI_CONFIG_MAX_BYTES);
        if (json_parse(buf, len, &tree, err) < 0)
                return err->status;
        cfg = jp_calloc(1, sizeof(*cfg), err);
        if (!cfg) {
                yajl_tree_free(tree);
                return err->status;
        }
        r = parse_config_tree(tree, cfg, err);
        yajl_tree_free(tree);
        if (r < 0) {
                oci_config_free(cfg);
                return r;
        }
        *out = cfg;
        return 0;
}

int oci_config_parse(const char *buf, size_t len, struct oci_config **out, struct berr *err)
{
        if (parse_config_buf(buf, len, out, err) < 0)
                return berr_wrap(err, "config.json");
        return 0;
}

static int read_file(const char *path, char **buf, size_t *len, struct berr *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return berr_sys(err, "open");
        return read_fd_limited(fd, OCI_CONFIG_MAX_BYTES, buf, len, err);
}

int oci_config_load(const char *path, struct oci_config **out, struct berr *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        *out = NULL;
        if (read_file(path, &buf, &len, err) < 0 || parse_config_buf(buf, len, out, err) < 0)
                return berr_wrap(err, "%s", path);
        return 0;
}

static int parse_process_buf(const char *buf, size_t len, struct oci_process **out,
                             struct berr *err)
{
        yajl_val tree = NULL;
        struct oci_process *p;
        int r;

        *out = NULL;
        if (len > OCI_CONFIG_MAX_BYTES)
                return berr_fail(err, EFBIG, "larger than %u bytes", OCI_CONFIG_MAX_BYTES);
        if (json_parse(buf, len, &tree, err) < 0)
                return err->status;
        p = jp_calloc(1, sizeof(*p), err);
        if (!p) {
                yajl_tree_free(tree);
                return err->status;
        }
        r = oci_parse_process(tree, "", p, err);
        yajl_tree_free(tree);
        if (r < 0) {
                oci_process_free(p);
                return r;
        }
        *out = p;
        return 0;
}

int oci_process_parse(const char *buf, size_t len, struct oci_process **out, struct berr *err)
{
        if (parse_process_buf(buf, len, out, err) < 0)
                return berr_wrap(err, "process.json");
        return 0;
}

int oci_process_load(const char *path, struct oci_process **out, struct berr *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        *out = NULL;
        if (read_file(path, &buf, &len, err) < 0 || parse_process_buf(buf, len, out, err) < 0)
                return berr_wrap(err, "%s", path);
        return 0;
}
