/* The one error type of berth: a negative errno status plus a message that
 * grows context on its way up ("create c1: mount proc on /proc: EPERM").
 * Fallible functions take `struct berr *err` last and return < 0. */
#ifndef BERTH_ERROR_H
#define BERTH_ERROR_H

#include <stdbool.h>

#define BERR_MSG_MAX 4096

struct berr {
        int status; /* negative errno, 0 when no error was set */
        char msg[BERR_MSG_MAX];
};

/* Set an error with status -abs(errnum) and a formatted message; returns
 * the (negative) status so callers can `return berr_fail(...)`. */
int berr_fail(struct berr *err, int errnum, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Like berr_fail with the current errno; appends ": strerror(errno)". */
int berr_sys(struct berr *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Prefix the message with "context: "; returns err->status. */
int berr_wrap(struct berr *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static inline bool berr_is_set(const struct berr *err)
{
        return err->status < 0;
}

static inline void berr_clear(struct berr *err)
{
        err->status = 0;
        err->msg[0] = '\0';
}

#endif
