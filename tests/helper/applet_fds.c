/* fds: each open fd as "N TARGET" (the fd reading the directory is skipped). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int applet_fds(int argc, char **argv)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;

        (void)argc;
        (void)argv;
        if (!d) {
                perror("/proc/self/fd");
                return 1;
        }
        while ((de = readdir(d))) {
                char path[300], target[4096];
                if (de->d_name[0] == '.')
                        continue;
                int fd = atoi(de->d_name);
                if (fd == dirfd(d))
                        continue;
                snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
                ssize_t n = readlink(path, target, sizeof(target) - 1);
                target[n < 0 ? 0 : n] = '\0';
                printf("%d %s\n", fd, target);
        }
        closedir(d);
        return 0;
}
