/* See unsupported.h. */
#include "unsupported.h"

#include <errno.h>

#define NO_APPARMOR "AppArmor is not supported by this berth"
#define NO_SELINUX "SELinux is not supported by this berth"

static bool given(const char *s)
{
        return s && *s;
}

int refuse_unsupported_process(const struct oci_process *p, const char *where, struct berr *err)
{
        if (given(p->apparmor_profile))
                return berr_fail(err, EINVAL, "%s.apparmorProfile: " NO_APPARMOR, where);
        if (given(p->selinux_label))
                return berr_fail(err, EINVAL, "%s.selinuxLabel: " NO_SELINUX, where);
        return 0;
}

int refuse_unsupported_config(const struct oci_config *cfg, struct berr *err)
{
        if (cfg->process &&
            refuse_unsupported_process(cfg->process, "config.json: .process", err) < 0)
                return err->status;
        if (given(cfg->lnx.mount_label))
                return berr_fail(err, EINVAL, "config.json: .linux.mountLabel: " NO_SELINUX);
        if (cfg->lnx.intel_rdt.set)
                return berr_fail(err, EINVAL,
                                 "config.json: .linux.intelRdt: Intel RDT is not supported by "
                                 "this berth");
        return 0;
}

int refuse_unsupported_exec_flags(const char *apparmor, const char *process_label, struct berr *err)
{
        if (given(apparmor))
                return berr_fail(err, EINVAL, "--apparmor: " NO_APPARMOR);
        if (given(process_label))
                return berr_fail(err, EINVAL, "--process-label: " NO_SELINUX);
        return 0;
}
