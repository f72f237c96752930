/* cwd: the working directory. */
#include <stdio.h>
#include <unistd.h>

int applet_cwd(int argc, char **argv)
{
        char buf[4096];

        (void)argc;
        (void)argv;
        if (!getcwd(buf, sizeof(buf))) {
                perror("getcwd");
                return 1;
        }
        printf("%s\n", buf);
        return 0;
}
