/* hostname: "hostname NAME" and "domainname NAME" from uname(2). */
#include <stdio.h>
#include <sys/utsname.h>

int applet_hostname(int argc, char **argv)
{
        struct utsname u;

        (void)argc;
        (void)argv;
        if (uname(&u) < 0) {
                perror("uname");
                return 1;
        }
        printf("hostname %s\ndomainname %s\n", u.nodename, u.domainname);
        return 0;
}
