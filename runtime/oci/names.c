/* Name <-> value tables of the OCI config (see names.h and config.h). */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "names.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const ns_names[OCI_NS_COUNT] = {
    [OCI_NS_PID] = "pid",       [OCI_NS_NETWORK] = "network", [OCI_NS_MOUNT] = "mount",
    [OCI_NS_IPC] = "ipc",       [OCI_NS_UTS] = "uts",         [OCI_NS_USER] = "user",
    [OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
};

static const int ns_flags[OCI_NS_COUNT] = {
    [OCI_NS_PID] = CLONE_NEWPID,       [OCI_NS_NETWORK] = CLONE_NEWNET,
    [OCI_NS_MOUNT] = CLONE_NEWNS,      [OCI_NS_IPC] = CLONE_NEWIPC,
    [OCI_NS_UTS] = CLONE_NEWUTS,       [OCI_NS_USER] = CLONE_NEWUSER,
    [OCI_NS_CGROUP] = CLONE_NEWCGROUP, [OCI_NS_TIME] = CLONE_NEWTIME,
};

static const char *const hook_names[OCI_HOOK_COUNT] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_ns_name(enum oci_ns_type t)
{
        return (unsigned)t < OCI_NS_COUNT ? ns_names[t] : "unknown";
}

int oci_ns_clone_flag(enum oci_ns_type t)
{
        return (unsigned)t < OCI_NS_COUNT ? ns_flags[t] : 0;
}

const char *oci_hook_name(enum oci_hook_kind k)
{
        return (unsigned)k < OCI_HOOK_COUNT ? hook_names[k] : "unknown";
}

int oci_ns_from_name(const char *name)
{
        for (int i = 0; i < OCI_NS_COUNT; i++)
                if (strcmp(ns_names[i], name) == 0)
                        return i;
        return -1;
}

const struct oci_namespace *oci_config_namespace(const struct oci_config *cfg,
                                                 enum oci_ns_type type)
{
        for (size_t i = 0; i < cfg->lnx.n_namespaces; i++)
                if (cfg->lnx.namespaces[i].type == type)
                        return &cfg->lnx.namespaces[i];
        return NULL;
}

static const struct oci_name_value rlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

long oci_name_lookup(const struct oci_name_value *table, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(table[i].name, name) == 0)
                        return table[i].value;
        return -1;
}

int oci_rlimit_from_name(const char *name)
{
        return (int)oci_name_lookup(rlimits, N_ELEMS(rlimits), name);
}

int oci_cap_from_name(const char *name)
{
        cap_value_t cap;

        /* libcap also takes numbers and lower case; the config spells
         * capabilities "CAP_NAME" only. */
        if (strncmp(name, "CAP_", 4) != 0 || !name[4])
                return -1;
        for (const char *p = name + 4; *p; p++)
                if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
                        return -1;
        if (cap_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
                return -1;
        return cap;
}

static const struct oci_name_value signals[] = {
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

static int parse_small_int(const char *s, int max)
{
        char *end;

        if (!isdigit((unsigned char)*s))
                return -1;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || v > max)
                return -1;
        return (int)v;
}

int oci_signal_from_name(const char *name)
{
        if (isdigit((unsigned char)name[0])) {
                int n = parse_small_int(name, SIGRTMAX);
                return n >= 1 ? n : -1;
        }
        if (strncasecmp(name, "SIG", 3) == 0)
                name += 3;
        if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
                bool min = strncasecmp(name, "RTMIN", 5) == 0;
                const char *rest = name + 5;
                int off = 0;
                if (*rest == '+' || *rest == '-') {
                        off = parse_small_int(rest + 1, SIGRTMAX);
                        if (off < 0)
                                return -1;
                        if (*rest == '-')
                                off = -off;
                } else if (*rest) {
                        return -1;
                }
                int sig = (min ? SIGRTMIN : SIGRTMAX) + off;
                return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
        }
        for (size_t i = 0; i < N_ELEMS(signals); i++)
                if (strcasecmp(signals[i].name, name) == 0)
                        return (int)signals[i].value;
        return -1;
}

const struct oci_name_value oci_seccomp_actions[] = {
    {"SCMP_ACT_KILL", OCI_SECCOMP_KILL},
    {"SCMP_ACT_KILL_PROCESS", OCI_SECCOMP_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", OCI_SECCOMP_KILL_THREAD},
    {"SCMP_ACT_TRAP", OCI_SECCOMP_TRAP},
    {"SCMP_ACT_ERRNO", OCI_SECCOMP_ERRNO},
    {"SCMP_ACT_TRACE", OCI_SECCOMP_TRACE},
    {"SCMP_ACT_ALLOW", OCI_SECCOMP_ALLOW},
    {"SCMP_ACT_LOG", OCI_SECCOMP_LOG},
    {"SCMP_ACT_NOTIFY", OCI_SECCOMP_NOTIFY},
};
const size_t oci_n_seccomp_actions = N_ELEMS(oci_seccomp_actions);

const struct oci_name_value oci_seccomp_ops[] = {
    {"SCMP_CMP_NE", OCI_SECCOMP_OP_NE},
    {"SCMP_CMP_LT", OCI_SECCOMP_OP_LT},
    {"SCMP_CMP_LE", OCI_SECCOMP_OP_LE},
    {"SCMP_CMP_EQ", OCI_SECCOMP_OP_EQ},
    {"SCMP_CMP_GE", OCI_SECCOMP_OP_GE},
    {"SCMP_CMP_GT", OCI_SECCOMP_OP_GT},
    {"SCMP_CMP_MASKED_EQ", OCI_SECCOMP_OP_MASKED_EQ},
};
const size_t oci_n_seccomp_ops = N_ELEMS(oci_seccomp_ops);

const struct oci_name_value oci_seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", OCI_SECCOMP_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", OCI_SECCOMP_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", OCI_SECCOMP_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", OCI_SECCOMP_FLAG_WAIT_KILLABLE_RECV},
};
const size_t oci_n_seccomp_flags = N_ELEMS(oci_seccomp_flags);

const char *const oci_seccomp_archs[] = {
    "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",        "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",    "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64",     "SCMP_ARCH_SH",
    "SCMP_ARCH_SHEB",    "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
};
const size_t oci_n_seccomp_archs = N_ELEMS(oci_seccomp_archs);
