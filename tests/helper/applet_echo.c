/* echo ARGS: the arguments separated by spaces. */
#include <stdio.h>

int applet_echo(int argc, char **argv)
{
        for (int i = 1; i < argc; i++)
                printf("%s%s", i > 1 ? " " : "", argv[i]);
        printf("\n");
        return 0;
}
