/* Config fields berth parses but cannot honour (AppArmor, SELinux labels,
 * Intel RDT; `berth features` says so): create, run and exec refuse them
 * with an error naming the field, before anything touches the system,
 * rather than run the container without the confinement asked for. The
 * parser itself accepts them. */
#ifndef BERTH_UNSUPPORTED_H
#define BERTH_UNSUPPORTED_H

#include "config.h"
#include "error.h"

/* A non-empty process.apparmorProfile or process.selinuxLabel. WHERE names
 * the process object in the error: "config.json: .process", or
 * "process.json: " for exec's --process file. */
int refuse_unsupported_process(const struct oci_process *p, const char *where, struct berr *err);

/* The process fields above, linux.mountLabel and linux.intelRdt. */
int refuse_unsupported_config(const struct oci_config *cfg, struct berr *err);

/* exec's --apparmor and --process-label (NULL or "" when not given). */
int refuse_unsupported_exec_flags(const char *apparmor, const char *process_label,
                                  struct berr *err);

#endif
