/* See default_spec.h. Written with yajl_gen so the output is always valid
 * JSON; the mounts, linux section and capability set come from
 * lib/spec_defaults.c, shared with berth-unpack. */
#include "default_spec.h"

#include <errno.h>
#include <string.h>

#include "spec_defaults.h"
#include "version.h"

static void gen_process(yajl_gen g)
{
        static const char *const args[] = {"sh", NULL};
        static const char *const env[] = {
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
            NULL};

        spec_str(g, "process");
        yajl_gen_map_open(g);
        spec_key_bool(g, "terminal", true);
        spec_str(g, "user");
        yajl_gen_map_open(g);
        spec_key_int(g, "uid", 0);
        spec_key_int(g, "gid", 0);
        yajl_gen_map_close(g);
        spec_key_strv(g, "args", args);
        spec_key_strv(g, "env", env);
        spec_key_str(g, "cwd", "/");
        spec_gen_process_defaults(g);
        yajl_gen_map_close(g);
}

int oci_default_spec(bool rootless, uid_t uid, gid_t gid, char **out, size_t *len, struct berr *err)
{
        yajl_gen g = spec_gen_alloc();
        int r;

        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        yajl_gen_map_open(g);
        spec_key_str(g, "ociVersion", BERTH_OCI_SPEC_VERSION);
        gen_process(g);
        spec_str(g, "root");
        yajl_gen_map_open(g);
        spec_key_str(g, "path", "rootfs");
        spec_key_bool(g, "readonly", true);
        yajl_gen_map_close(g);
        spec_key_str(g, "hostname", "berth");
        spec_gen_mounts(g, rootless);
        spec_gen_linux(g, rootless, uid, gid);
        yajl_gen_map_close(g);
        r = spec_gen_finish(g, out, len, err);
        if (r < 0)
                berr_wrap(err, "default spec");
        yajl_gen_free(g);
        return r;
}
