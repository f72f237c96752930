/* trap [N]: print "ready", wait for any catchable signal, print
 * "signal NUM" and exit N (default 0). Lets tests check signal forwarding. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int applet_trap(int argc, char **argv)
{
        sigset_t all;
        int sig = 0;

        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        printf("ready\n");
        fflush(stdout);
        if (sigwait(&all, &sig) != 0)
                return 1;
        printf("signal %d\n", sig);
        fflush(stdout);
        return argc > 1 ? atoi(argv[1]) : 0;
}
