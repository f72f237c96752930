/* env: the environment, one VAR=VALUE a line. */
#include <stdio.h>

extern char **environ;

int applet_env(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        for (char **e = environ; *e; e++)
                printf("%s\n", *e);
        return 0;
}
