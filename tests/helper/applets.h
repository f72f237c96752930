/* berth-testhelper: the applet list. To add an applet NAME, write
 * applet_NAME.c with `int applet_NAME(int argc, char **argv)` and add one
 * X(NAME, "usage") line here. argv[0] is the applet name. */
#ifndef BERTH_TESTHELPER_APPLETS_H
#define BERTH_TESTHELPER_APPLETS_H

#define HELPER_APPLETS(X)                                                                          \
        X(id, "print uid, gid, euid, egid and groups")                                             \
        X(caps, "print the Cap* lines of /proc/self/status")                                       \
        X(mountinfo, "print /proc/self/mountinfo")                                                 \
        X(hostname, "print hostname and domainname")                                               \
        X(fds, "print the open fds (from /proc/self/fd) and their targets")                        \
        X(cwd, "print the working directory")                                                      \
        X(rlimits, "print every rlimit as NAME SOFT HARD")                                         \
        X(ns, "print NAME INODE for each /proc/self/ns entry")                                     \
        X(trap, "trap [N]: wait for a signal, print its number, exit N (default 0)")               \
        X(exit, "exit N")                                                                          \
        X(cat, "cat FILE...: print files")                                                         \
        X(sleep, "sleep SECONDS")                                                                  \
        X(isatty, "print for fds 0-2 whether they are terminals, and the window size")             \
        X(env, "print the environment")                                                            \
        X(echo, "echo ARGS: print the arguments")                                                  \
        X(recvtty, "recvtty SOCKET OUT: receive a pty master on a unix socket (host side)")        \
        X(syscall, "syscall NAME|NR [ARG...]: one raw syscall, print ok RET or errno N NAME")      \
        X(seccompagent, "seccompagent SOCKET OUT VALUE: take a notify fd, answer one syscall")    \
        X(dropcap, "dropcap N PROG [ARG...]: run PROG without capability N (host side)")

#define X(name, usage) int applet_##name(int argc, char **argv);
HELPER_APPLETS(X)
#undef X

#endif
