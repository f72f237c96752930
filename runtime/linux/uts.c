/* hostname and domainname, set inside the container's UTS namespace. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rootfs.h"

static bool has_new_uts(const struct oci_config *cfg)
{
        for (size_t i = 0; i < cfg->lnx.n_namespaces; i++)
                if (cfg->lnx.namespaces[i].type == OCI_NS_UTS)
                        return true;
        return false;
}

int linux_set_uts_names(const struct oci_config *cfg, struct berr *err)
{
        if (!cfg->hostname && !cfg->domainname)
                return 0;
        if (!has_new_uts(cfg))
                return berr_fail(err, EINVAL,
                                 "hostname/domainname need a UTS namespace (linux.namespaces)");
        if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
                return berr_sys(err, "set hostname %s", cfg->hostname);
        if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
                return berr_sys(err, "set domainname %s", cfg->domainname);
        return 0;
}
