/* Cross-field checks on a parsed config, as runc makes them: fields that
 * only make sense with a namespace (hostname, id mappings, time offsets,
 * namespaced sysctls) need that namespace. Single-field checks live with
 * their parsers. */
#include <errno.h>
#include <string.h>

#include "parse.h"

static bool has_ns(const struct oci_config *cfg, enum oci_ns_type t)
{
        return oci_config_namespace(cfg, t) != NULL;
}

/* runc's rule: a sysctl is allowed when the namespace that owns it is
 * the container's own; anything else would change the host. */
static int check_sysctl(const struct oci_config *cfg, const char *key, struct berr *err)
{
        static const char *const ipc_keys[] = {
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
        char dotted[256];
        size_t i;

        /* "net/ipv4/ip_forward" is the same as "net.ipv4.ip_forward". */
        for (i = 0; key[i] && i < sizeof(dotted) - 1; i++)
                dotted[i] = key[i] == '/' ? '.' : key[i];
        dotted[i] = '\0';

        for (i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
                if (strcmp(dotted, ipc_keys[i]) == 0)
                        goto ipc;
        if (strncmp(dotted, "fs.mqueue.", 10) == 0)
                goto ipc;
        if (strncmp(dotted, "net.", 4) == 0) {
                if (!has_ns(cfg, OCI_NS_NETWORK))
                        return berr_fail(err, EINVAL,
                                         ".linux.sysctl[\"%s\"]: needs a network namespace", key);
                return 0;
        }
        if (strcmp(dotted, "kernel.hostname") == 0 || strcmp(dotted, "kernel.domainname") == 0) {
                if (!has_ns(cfg, OCI_NS_UTS))
                        return berr_fail(err, EINVAL,
                                         ".linux.sysctl[\"%s\"]: needs a UTS namespace", key);
                return 0;
        }
        return berr_fail(err, EINVAL,
                         ".linux.sysctl[\"%s\"]: not a namespaced sysctl; setting it would change "
                         "the host",
                         key);
ipc:
        if (!has_ns(cfg, OCI_NS_IPC))
                return berr_fail(err, EINVAL, ".linux.sysctl[\"%s\"]: needs an IPC namespace", key);
        return 0;
}

int oci_validate_config(const struct oci_config *cfg, struct berr *err)
{
        const struct oci_linux *l = &cfg->lnx;
        const struct oci_namespace *user = oci_config_namespace(cfg, OCI_NS_USER);

        if ((cfg->hostname && cfg->hostname[0]) && !has_ns(cfg, OCI_NS_UTS))
                return berr_fail(err, EINVAL,
                                 ".hostname: needs a UTS namespace in .linux.namespaces");
        if ((cfg->domainname && cfg->domainname[0]) && !has_ns(cfg, OCI_NS_UTS))
                return berr_fail(err, EINVAL,
                                 ".domainname: needs a UTS namespace in .linux.namespaces");
        if ((l->uid_mappings.len || l->gid_mappings.len) && !user)
                return berr_fail(err, EINVAL,
                                 ".linux.uidMappings: id mappings need a user namespace in "
                                 ".linux.namespaces");
        if (user && !user->path && (!l->uid_mappings.len || !l->gid_mappings.len))
                return berr_fail(err, EINVAL,
                                 ".linux.namespaces: a new user namespace needs .linux.uidMappings "
                                 "and .linux.gidMappings");
        if ((l->time_monotonic.set || l->time_boottime.set)) {
                const struct oci_namespace *t = oci_config_namespace(cfg, OCI_NS_TIME);
                if (!t || t->path)
                        return berr_fail(err, EINVAL,
                                         ".linux.timeOffsets: needs a new time namespace in "
                                         ".linux.namespaces");
        }
        for (size_t i = 0; i < l->sysctl.len; i++)
                if (check_sysctl(cfg, l->sysctl.items[i].key, err) < 0)
                        return err->status;
        return 0;
}
