/* config.json generation: see spec.h. */
#include "spec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "json.h"
#include "log.h"
#include "spec_defaults.h"
#include "user.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define S(g, s) yajl_gen_string((g), (const unsigned char *)(s), strlen(s))

/* The strings of an optional array of strings in the image config. */
static int strings_of(yajl_val cfg, const char *key, const char ***out, size_t *n, struct berr *err)
{
        yajl_val v = json_get(cfg, key);
        char path[64];

        *out = NULL;
        *n = 0;
        if (!v || YAJL_IS_NULL(v))
                return 0;
        snprintf(path, sizeof(path), ".config.%s", key);
        int r = json_expect_array(v, path, err);
        if (r < 0)
                return r;
        *out = calloc(v->u.array.len + 1, sizeof(char *));
        if (!*out)
                return berr_fail(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < v->u.array.len; i++) {
                snprintf(path, sizeof(path), ".config.%s[%zu]", key, i);
                if ((r = json_expect_string(v->u.array.values[i], path, &(*out)[i], err)) < 0)
                        return r;
        }
        *n = v->u.array.len;
        return 0;
}

static const char *string_of(yajl_val obj, const char *key, const char *path, struct berr *err,
                             int *r)
{
        yajl_val v = json_get(obj, key);
        const char *s = NULL;
        *r = 0;
        if (!v || YAJL_IS_NULL(v))
                return NULL;
        *r = json_expect_string(v, path, &s, err);
        return s;
}

/* Annotations from the image: labels, then the conversion-rule keys. */
static int gen_annotations(yajl_gen g, yajl_val image, yajl_val cfg, struct berr *err)
{
        int r;
        S(g, "annotations");
        yajl_gen_map_open(g);
        yajl_val labels = json_get(cfg, "Labels");
        if (labels && !YAJL_IS_NULL(labels)) {
                if ((r = json_expect_object(labels, ".config.Labels", err)) < 0)
                        return r;
                for (size_t i = 0; i < labels->u.object.len; i++) {
                        const char *k = labels->u.object.keys[i];
                        const char *v;
                        char p[128];
                        snprintf(p, sizeof(p), ".config.Labels.%.64s", k);
                        if ((r = json_expect_string(labels->u.object.values[i], p, &v, err)) < 0)
                                return r;
                        if (strncmp(k, "org.opencontainers.image.", 25) == 0 &&
                            (strcmp(k + 25, "os") == 0 || strcmp(k + 25, "architecture") == 0 ||
                             strcmp(k + 25, "stopSignal") == 0 || strcmp(k + 25, "author") == 0 ||
                             strcmp(k + 25, "created") == 0 || strcmp(k + 25, "exposedPorts") == 0))
                                continue; /* the image's own fields win */
                        S(g, k);
                        S(g, v);
                }
        }
        static const struct {
                const char *field, *key;
        } top[] = {
            {"os", "org.opencontainers.image.os"},
            {"architecture", "org.opencontainers.image.architecture"},
            {"variant", "org.opencontainers.image.variant"},
            {"os.version", "org.opencontainers.image.os.version"},
            {"author", "org.opencontainers.image.author"},
            {"created", "org.opencontainers.image.created"},
        };
        for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
                char p[64];
                snprintf(p, sizeof(p), ".%s", top[i].field);
                const char *v = string_of(image, top[i].field, p, err, &r);
                if (r < 0)
                        return r;
                if (v) {
                        S(g, top[i].key);
                        S(g, v);
                }
        }
        const char *stop = string_of(cfg, "StopSignal", ".config.StopSignal", err, &r);
        if (r < 0)
                return r;
        if (stop) {
                S(g, "org.opencontainers.image.stopSignal");
                S(g, stop);
        }
        yajl_val ports = json_get(cfg, "ExposedPorts");
        if (ports && YAJL_IS_OBJECT(ports) && ports->u.object.len) {
                size_t total = 1;
                for (size_t i = 0; i < ports->u.object.len; i++)
                        total += strlen(ports->u.object.keys[i]) + 1;
                char *list = calloc(total, 1);
                if (!list)
                        return berr_fail(err, ENOMEM, "out of memory");
                for (size_t i = 0; i < ports->u.object.len; i++) {
                        if (i)
                                strcat(list, ",");
                        strcat(list, ports->u.object.keys[i]);
                }
                S(g, "org.opencontainers.image.exposedPorts");
                S(g, list);
                free(list);
        }
        yajl_gen_map_close(g);
        return 0;
}

static int gen_process(yajl_gen g, yajl_val cfg, int rootfd, struct berr *err)
{
        const char **ep = NULL, **cmd = NULL, **env = NULL;
        size_t n_ep = 0, n_cmd = 0, n_env = 0;
        struct resolved_user u = {0};
        int r;

        if ((r = strings_of(cfg, "Entrypoint", &ep, &n_ep, err)) < 0 ||
            (r = strings_of(cfg, "Cmd", &cmd, &n_cmd, err)) < 0 ||
            (r = strings_of(cfg, "Env", &env, &n_env, err)) < 0)
                goto out;
        const char *cwd = string_of(cfg, "WorkingDir", ".config.WorkingDir", err, &r);
        if (r < 0)
                goto out;
        const char *user = string_of(cfg, "User", ".config.User", err, &r);
        if (r < 0)
                goto out;
        if ((r = user_resolve(rootfd, user, &u, err)) < 0)
                goto out;
        S(g, "process");
        yajl_gen_map_open(g);
        S(g, "terminal");
        yajl_gen_bool(g, 0);
        S(g, "user");
        yajl_gen_map_open(g);
        S(g, "uid");
        yajl_gen_integer(g, u.uid);
        S(g, "gid");
        yajl_gen_integer(g, u.gid);
        if (u.n_additional) {
                S(g, "additionalGids");
                yajl_gen_array_open(g);
                for (size_t i = 0; i < u.n_additional; i++)
                        yajl_gen_integer(g, u.additional[i]);
                yajl_gen_array_close(g);
        }
        yajl_gen_map_close(g);
        S(g, "args");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < n_ep; i++)
                S(g, ep[i]);
        for (size_t i = 0; i < n_cmd; i++)
                S(g, cmd[i]);
        if (n_ep + n_cmd == 0) {
                log_warn("the image has neither Entrypoint nor Cmd: config.json runs /bin/sh");
                S(g, "/bin/sh");
        }
        yajl_gen_array_close(g);
        S(g, "env");
        yajl_gen_array_open(g);
        bool have_path = false;
        for (size_t i = 0; i < n_env; i++) {
                S(g, env[i]);
                have_path = have_path || strncmp(env[i], "PATH=", 5) == 0;
        }
        if (!have_path)
                S(g, DEFAULT_PATH);
        yajl_gen_array_close(g);
        S(g, "cwd");
        S(g, cwd && cwd[0] == '/' ? cwd : "/");
        spec_gen_process_defaults(g);
        yajl_gen_map_close(g);
out:
        free(ep);
        free(cmd);
        free(env);
        resolved_user_free(&u);
        return r;
}

int spec_generate(yajl_val image, int rootfd, char **out, size_t *len, struct berr *err)
{
        yajl_gen g = spec_gen_alloc();
        int r;

        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        yajl_val cfg = json_get(image, "config");
        if (cfg && !YAJL_IS_NULL(cfg) && (r = json_expect_object(cfg, ".config", err)) < 0)
                goto out;
        if (cfg && YAJL_IS_NULL(cfg))
                cfg = NULL;
        yajl_gen_map_open(g);
        S(g, "ociVersion");
        S(g, "1.2.1");
        if ((r = gen_process(g, cfg, rootfd, err)) < 0)
                goto out;
        S(g, "root");
        yajl_gen_map_open(g);
        S(g, "path");
        S(g, "rootfs");
        S(g, "readonly");
        yajl_gen_bool(g, 0);
        yajl_gen_map_close(g);
        S(g, "hostname");
        S(g, "berth");
        spec_gen_mounts(g, false);
        spec_gen_linux(g, false, 0, 0);
        if ((r = gen_annotations(g, image, cfg, err)) < 0)
                goto out;
        yajl_gen_map_close(g);
        r = spec_gen_finish(g, out, len, err);
out:
        yajl_gen_free(g);
        if (r < 0)
                berr_wrap(err, "image config");
        return r;
}
