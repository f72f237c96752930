/* Logging to stderr or a --log file, as text or as one JSON object a line
 * ({"level","msg","time"}): containerd shows the msg of the last error line. */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* path NULL means stderr. Returns < 0 when the log file cannot be opened. */
int log_init(const char *path, enum log_format format, bool debug, struct berr *err);
void log_set_program(const char *name);
bool log_debug_enabled(void);
/* The fd log lines go to, or -1 for stderr (so a forked child can keep it). */
int log_fd(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)                                                         \
        do {                                                                   \
                if (log_debug_enabled())                                       \
                        log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__);                 \
        } while (0)

/* Print a final error: to the log (if any) and always to stderr as text. */
void log_berr(const struct berr *err);

/* Write s as a JSON string body (escaped, without quotes) into buf. */
size_t json_escape(char *buf, size_t size, const char *s);

#endif
