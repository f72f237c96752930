/* Signal names and numbers as `kill` accepts them: "TERM", "SIGTERM",
 * "term", "15", and the real-time "RTMIN+3". The table lives in
 * oci/names.c; this only adds the error message. */
#include <errno.h>

#include "container.h"
#include "names.h"

int parse_signal(const char *s, struct berr *err)
{
        int sig = oci_signal_from_name(s);

        if (sig < 0)
                return berr_fail(err, EINVAL, "invalid signal: %s", s);
        return sig;
}
