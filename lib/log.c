/* Logging implementation: one write(2) per line so concurrent writers
 * (parent, child, hooks) never interleave within a line. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_target = -1; /* -1: stderr */
static enum log_format log_fmt = LOG_FORMAT_TEXT;
static bool log_debug_on;
static const char *log_program = "berth";

static const char *const level_names[] = {"error", "warning", "info", "debug"};

int log_init(const char *path, enum log_format format, bool debug, struct berr *err)
{
        log_fmt = format;
        log_debug_on = debug;
        if (path && *path) {
                int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0)
                        return berr_sys(err, "open log file %s", path);
                log_target = fd;
        }
        return 0;
}

void log_set_program(const char *name)
{
        log_program = name;
}

bool log_debug_enabled(void)
{
        return log_debug_on;
}

int log_fd(void)
{
        return log_target;
}

size_t json_escape(char *buf, size_t size, const char *s)
{
        size_t n = 0;

        if (size == 0)
                return 0;
        for (; *s && n + 7 < size; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\') {
                        buf[n++] = '\\';
                        buf[n++] = (char)c;
                } else if (c == '\n') {
                        buf[n++] = '\\';
                        buf[n++] = 'n';
                } else if (c == '\t') {
                        buf[n++] = '\\';
                        buf[n++] = 't';
                } else if (c < 0x20) {
                        n += (size_t)snprintf(buf + n, size - n, "\\u%04x", c);
                } else {
                        buf[n++] = (char)c;
                }
        }
        buf[n] = '\0';
        return n;
}

static void write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t w = write(fd, buf, len);
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                buf += w;
                len -= (size_t)w;
        }
}

static void rfc3339_now(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + n, size - n, ".%09ldZ", ts.tv_nsec);
}

static void emit(int fd, enum log_format format, enum log_level level, const char *msg)
{
        char line[BERR_MSG_MAX * 2 + 256];
        int n;

        if (format == LOG_FORMAT_JSON) {
                char esc[BERR_MSG_MAX * 2];
                char when[64];
                json_escape(esc, sizeof(esc), msg);
                rfc3339_now(when, sizeof(when));
                n = snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
                             level_names[level], esc, when);
        } else if (level == LOG_LEVEL_ERROR) {
                n = snprintf(line, sizeof(line), "%s: %s\n", log_program, msg);
        } else {
                n = snprintf(line, sizeof(line), "%s: %s: %s\n", log_program, level_names[level], msg);
        }
        if (n < 0)
                return;
        if ((size_t)n >= sizeof(line)) {
                n = sizeof(line) - 1;
                line[n - 1] = '\n';
        }
        write_all(fd, line, (size_t)n);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
        char msg[BERR_MSG_MAX];
        va_list ap;
        int saved = errno;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (log_target >= 0)
                emit(log_target, log_fmt, level, msg);
        else
                emit(STDERR_FILENO, log_fmt, level, msg);
        errno = saved;
}

void log_berr(const struct berr *err)
{
        const char *msg = err->msg[0] ? err->msg : strerror(-err->status);

        if (log_target < 0) {
                emit(STDERR_FILENO, log_fmt, LOG_LEVEL_ERROR, msg);
                return;
        }
        /* The log file is for the client; a person at the terminal still
         * sees the error on stderr, as with runc. */
        emit(log_target, log_fmt, LOG_LEVEL_ERROR, msg);
        emit(STDERR_FILENO, LOG_FORMAT_TEXT, LOG_LEVEL_ERROR, msg);
}
