/* Placeholders until rootfs/process lands: each refuses clearly instead of
 * pretending. The owner deletes this file when the real functions exist. */
#include <errno.h>

#include "process.h"

__attribute__((weak)) int process_exec(const struct process_exec_opts *o, struct berr *err)
{
        (void)o;
        return berr_fail(err, ENOSYS, "process_exec: not implemented yet in this berth");
}

__attribute__((weak)) int process_find_executable(const char *argv0, char *const *env, char *out,
                                                  struct berr *err)
{
        (void)env;
        (void)out;
        return berr_fail(err, ENOSYS, "exec: \"%s\": lookup not implemented yet", argv0);
}
