/* syscall NAME|NR [ARG...]: make one raw syscall (numeric args, base 0) and
 * print "ok RET" or "errno N NAME": what a seccomp profile answered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
        const char *name;
        long nr;
} known[] = {
    {"getpid", SYS_getpid},
    {"getppid", SYS_getppid},
    {"getpgid", SYS_getpgid},
    {"keyctl", SYS_keyctl},
    {"add_key", SYS_add_key},
    {"request_key", SYS_request_key},
    {"unshare", SYS_unshare},
    {"ptrace", SYS_ptrace},
    {"personality", SYS_personality},
    {"userfaultfd", SYS_userfaultfd},
    {"io_uring_setup", 425},
    {"clone3", 435},
    {"fchmodat2", 452},
    {"mseal", 462},
    {"mount", SYS_mount},
    {"chroot", SYS_chroot},
    {"socket", SYS_socket},
    {"setns", SYS_setns},
    {"bpf", SYS_bpf},
    {"init_module", SYS_init_module},
};

int applet_syscall(int argc, char **argv)
{
        long args[6] = {0};
        long nr = -1, ret;

        if (argc < 2) {
                fprintf(stderr, "usage: syscall NAME|NR [ARG...]\n");
                return 2;
        }
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
                if (strcmp(argv[1], known[i].name) == 0)
                        nr = known[i].nr;
        if (nr < 0) {
                char *end;

                nr = strtol(argv[1], &end, 0);
                if (*end || nr < 0) {
                        fprintf(stderr, "syscall: unknown name %s\n", argv[1]);
                        return 2;
                }
        }
        for (int i = 2; i < argc && i < 8; i++)
                args[i - 2] = (long)strtoull(argv[i], NULL, 0);
        errno = 0;
        ret = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
        if (ret < 0 && errno)
                printf("errno %d %s\n", errno,
                       strerrorname_np(errno) ? strerrorname_np(errno) : "?");
        else
                printf("ok %ld\n", ret);
        return 0;
}
