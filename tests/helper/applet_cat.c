/* cat FILE...: print each file (stdin when none). */
#include "util.h"

int applet_cat(int argc, char **argv)
{
        int r = 0;

        if (argc < 2)
                return print_file("/dev/stdin", 0);
        for (int i = 1; i < argc; i++)
                r |= print_file(argv[i], 0);
        return r;
}
