/* caps: the Cap* lines of /proc/self/status (CapInh, CapPrm, CapEff, CapBnd, CapAmb). */
#include "util.h"

int applet_caps(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        return print_file("/proc/self/status", "Cap");
}
