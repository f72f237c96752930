/* Weak fallbacks for commands that are not written yet: each says so
 * clearly instead of pretending. A real cmd_NAME.c overrides its entry. */
#include <errno.h>

#include "commands.h"

#define X(name, help)                                                                      \
        __attribute__((weak)) int cmd_##name(const struct global_opts *g, int argc,       \
                                             char **argv, struct berr *err)                \
        {                                                                                  \
                (void)g;                                                                   \
                (void)argc;                                                                \
                (void)argv;                                                                \
                return berr_fail(err, ENOSYS, "%s: not implemented yet in this berth",     \
                                 #name);                                                   \
        }
BERTH_COMMANDS(X)
#undef X
