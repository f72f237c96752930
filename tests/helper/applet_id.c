/* id: uid, gid, euid, egid and supplementary groups, one line. */
#include <stdio.h>
#include <unistd.h>

int applet_id(int argc, char **argv)
{
        gid_t groups[256];
        int n = getgroups(256, groups);

        (void)argc;
        (void)argv;
        printf("uid=%u gid=%u euid=%u egid=%u groups=", getuid(), getgid(), geteuid(), getegid());
        for (int i = 0; i < n; i++)
                printf("%s%u", i ? "," : "", groups[i]);
        printf("\n");
        return 0;
}
