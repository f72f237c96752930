/* rlimits: "RLIMIT_NAME SOFT HARD" for every resource ("unlimited" for infinity). */
#include <stdio.h>
#include <sys/resource.h>

static const struct {
        int res;
        const char *name;
} limits[] = {
    {RLIMIT_CPU, "RLIMIT_CPU"},           {RLIMIT_FSIZE, "RLIMIT_FSIZE"},
    {RLIMIT_DATA, "RLIMIT_DATA"},         {RLIMIT_STACK, "RLIMIT_STACK"},
    {RLIMIT_CORE, "RLIMIT_CORE"},         {RLIMIT_RSS, "RLIMIT_RSS"},
    {RLIMIT_NPROC, "RLIMIT_NPROC"},       {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
    {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},   {RLIMIT_AS, "RLIMIT_AS"},
    {RLIMIT_LOCKS, "RLIMIT_LOCKS"},       {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"}, {RLIMIT_NICE, "RLIMIT_NICE"},
    {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},     {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
};

static void put(rlim_t v)
{
        if (v == RLIM_INFINITY)
                printf(" unlimited");
        else
                printf(" %llu", (unsigned long long)v);
}

int applet_rlimits(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
                struct rlimit rl;
                if (getrlimit(limits[i].res, &rl) < 0)
                        continue;
                printf("%s", limits[i].name);
                put(rl.rlim_cur);
                put(rl.rlim_max);
                printf("\n");
        }
        return 0;
}
