/* Building and wrapping berth's error messages. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int negative(int errnum)
{
        if (errnum == 0)
                return -EIO;
        return errnum < 0 ? errnum : -errnum;
}

int berr_fail(struct berr *err, int errnum, const char *fmt, ...)
{
        va_list ap;

        err->status = negative(errnum);
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        return err->status;
}

int berr_sys(struct berr *err, const char *fmt, ...)
{
        int saved = errno;
        va_list ap;
        int n;

        err->status = negative(saved);
        va_start(ap, fmt);
        n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < sizeof(err->msg))
                snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(saved));
        errno = saved;
        return err->status;
}

int berr_wrap(struct berr *err, const char *fmt, ...)
{
        char prefix[BERR_MSG_MAX];
        char old[BERR_MSG_MAX];
        va_list ap;

        if (err->status == 0)
                err->status = -EIO;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        memcpy(old, err->msg, sizeof(old));
        snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
        return err->status;
}
