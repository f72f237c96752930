/* dropcap N PROG [ARG...] (host side): run PROG without capability N in the
 * bounding and inheritable sets, so a root PROG does not get it back at
 * execve. For tests that need a capability this machine lacks elsewhere
 * (CAP_SYS_RESOURCE is 24). */
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int applet_dropcap(int argc, char **argv)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct d[2];

        if (argc < 3) {
                fprintf(stderr, "usage: dropcap N PROG [ARG...]\n");
                return 2;
        }
        int cap = atoi(argv[1]);
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                perror("dropcap: PR_CAPBSET_DROP");
                return 1;
        }
        memset(d, 0, sizeof(d));
        if (syscall(SYS_capget, &h, d) < 0) {
                perror("dropcap: capget");
                return 1;
        }
        d[cap / 32].inheritable &= ~(1u << (cap % 32));
        if (syscall(SYS_capset, &h, d) < 0 ||
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
                perror("dropcap: capset");
                return 1;
        }
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
}
