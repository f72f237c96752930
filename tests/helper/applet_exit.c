/* exit N: exit with status N. */
#include <stdlib.h>

int applet_exit(int argc, char **argv)
{
        return argc > 1 ? atoi(argv[1]) : 0;
}
