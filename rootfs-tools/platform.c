/* Platform names and matching: see platform.h. */
#include "platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "json.h"

static char *dup_or_null(const char *s)
{
        return s ? strdup(s) : NULL;
}

static const char *default_variant(const char *arch)
{
        if (strcmp(arch, "arm64") == 0)
                return "v8";
        if (strcmp(arch, "arm") == 0)
                return "v7";
        return NULL;
}

int platform_host(struct platform *p, struct berr *err)
{
        struct utsname u;
        const char *arch, *variant = NULL;

        memset(p, 0, sizeof(*p));
        if (uname(&u) < 0)
                return berr_sys(err, "uname");
        if (strcmp(u.machine, "x86_64") == 0)
                arch = "amd64";
        else if (strcmp(u.machine, "aarch64") == 0)
                arch = "arm64", variant = "v8";
        else if (strncmp(u.machine, "armv7", 5) == 0)
                arch = "arm", variant = "v7";
        else if (strncmp(u.machine, "armv6", 5) == 0)
                arch = "arm", variant = "v6";
        else if (strcmp(u.machine, "i686") == 0 || strcmp(u.machine, "i386") == 0)
                arch = "386";
        else if (strcmp(u.machine, "ppc64le") == 0)
                arch = "ppc64le";
        else if (strcmp(u.machine, "s390x") == 0)
                arch = "s390x";
        else if (strcmp(u.machine, "riscv64") == 0)
                arch = "riscv64";
        else
                arch = u.machine;
        p->os = strdup("linux");
        p->arch = strdup(arch);
        p->variant = dup_or_null(variant);
        if (!p->os || !p->arch || (variant && !p->variant))
                return berr_fail(err, ENOMEM, "out of memory");
        return 0;
}

int platform_parse(const char *s, struct platform *p, struct berr *err)
{
        char buf[128];
        memset(p, 0, sizeof(*p));
        if (strlen(s) >= sizeof(buf))
                return berr_fail(err, EINVAL, "--platform %.64s...: too long", s);
        strcpy(buf, s);
        char *arch = strchr(buf, '/');
        if (!arch || arch == buf || arch[1] == '\0')
                return berr_fail(err, EINVAL, "--platform %s: expected os/arch[/variant]", s);
        *arch++ = '\0';
        char *variant = strchr(arch, '/');
        if (variant) {
                *variant++ = '\0';
                if (*variant == '\0' || strchr(variant, '/'))
                        return berr_fail(err, EINVAL, "--platform %s: expected os/arch[/variant]",
                                         s);
        }
        p->os = strdup(buf);
        p->arch = strdup(arch);
        p->variant = dup_or_null(variant);
        if (!p->os || !p->arch || (variant && !p->variant))
                return berr_fail(err, ENOMEM, "out of memory");
        return 0;
}

int platform_match(const struct platform *want, const struct platform *have)
{
        if (!have->os || !have->arch || strcmp(want->os, have->os) != 0 ||
            strcmp(want->arch, have->arch) != 0)
                return 0;
        const char *wv = want->variant ? want->variant : default_variant(want->arch);
        const char *hv = have->variant ? have->variant : default_variant(have->arch);
        if (!wv || !hv)
                return 1;
        return strcmp(wv, hv) == 0 ? 2 : 0;
}

const char *platform_str(const struct platform *p, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s%s%s", p->os ? p->os : "?", p->arch ? p->arch : "?",
                 p->variant ? "/" : "", p->variant ? p->variant : "");
        return buf;
}

int platform_check_config(yajl_val config, const struct platform *want, struct berr *err)
{
        yajl_val os = json_get(config, "os"), arch = json_get(config, "architecture");
        yajl_val variant = json_get(config, "variant");
        char ws[128], hs[128];

        if (!os || !arch || !YAJL_IS_STRING(os) || !YAJL_IS_STRING(arch))
                return 0; /* nothing to compare */
        struct platform have = {
            .os = os->u.string,
            .arch = arch->u.string,
            .variant = variant && YAJL_IS_STRING(variant) ? variant->u.string : NULL,
        };
        if (platform_match(want, &have))
                return 0;
        return berr_fail(err, ENOENT, "the image is for %s, not for --platform %s",
                         platform_str(&have, hs, sizeof(hs)), platform_str(want, ws, sizeof(ws)));
}
