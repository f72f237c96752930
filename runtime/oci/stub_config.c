/* Placeholders until the config parser lands. The owner deletes this file. */
#include <errno.h>
#include <stdlib.h>

#include "config.h"

__attribute__((weak)) int oci_config_load(const char *path, struct oci_config **out,
                                          struct berr *err)
{
        (void)out;
        return berr_fail(err, ENOSYS, "%s: config parser not implemented yet", path);
}

__attribute__((weak)) void oci_config_free(struct oci_config *cfg)
{
        free(cfg);
}

__attribute__((weak)) int oci_process_load(const char *path, struct oci_process **out,
                                           struct berr *err)
{
        (void)out;
        return berr_fail(err, ENOSYS, "%s: process parser not implemented yet", path);
}

__attribute__((weak)) void oci_process_free(struct oci_process *p)
{
        free(p);
}

__attribute__((weak)) const struct oci_namespace *oci_config_namespace(const struct oci_config *cfg,
                                                                       enum oci_ns_type type)
{
        (void)cfg;
        (void)type;
        return NULL;
}
