/* Signal names and numbers as `kill` accepts them: "TERM", "SIGTERM",
 * "term", "15", and the real-time "RTMIN+3". */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "container.h"

static const struct {
        const char *name;
        int sig;
} signals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

int parse_signal(const char *s, struct berr *err)
{
        const char *name = s;
        char *end;

        if (*s >= '0' && *s <= '9') {
                long n = strtol(s, &end, 10);
                if (*end || n <= 0 || n >= NSIG)
                        return berr_fail(err, EINVAL, "invalid signal: %s", s);
                return (int)n;
        }
        if (strncasecmp(name, "SIG", 3) == 0)
                name += 3;
        for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
                if (strcasecmp(name, signals[i].name) == 0)
                        return signals[i].sig;
        if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
                bool min = strncasecmp(name, "RTMIN", 5) == 0;
                long off = 0;
                if (name[5]) {
                        off = strtol(name + 5, &end, 10);
                        if (*end)
                                return berr_fail(err, EINVAL, "invalid signal: %s", s);
                }
                long n = min ? SIGRTMIN + off : SIGRTMAX + off;
                if (n >= SIGRTMIN && n <= SIGRTMAX)
                        return (int)n;
        }
        return berr_fail(err, EINVAL, "invalid signal: %s", s);
}
