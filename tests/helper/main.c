/* berth-testhelper: a small static multi-call program copied into test
 * rootfs images; it reports what a process sees inside the container.
 * Called as `berth-testhelper APPLET ARGS...` or through a link named APPLET. */
#include <stdio.h>
#include <string.h>

#include "applets.h"

struct applet {
        const char *name;
        const char *usage;
        int (*fn)(int argc, char **argv);
};

static const struct applet applets[] = {
#define X(n, u) {#n, u, applet_##n},
    HELPER_APPLETS(X)
#undef X
};

static int usage(void)
{
        fprintf(stderr, "usage: berth-testhelper APPLET [ARGS...]\n");
        for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++)
                fprintf(stderr, "  %-10s %s\n", applets[i].name, applets[i].usage);
        return 2;
}

int main(int argc, char **argv)
{
        const char *self = strrchr(argv[0], '/');
        self = self ? self + 1 : argv[0];

        for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++)
                        if (strcmp(applets[i].name, self) == 0)
                                return applets[i].fn(argc, argv);
                if (argc < 2)
                        return usage();
                argv++;
                argc--;
                self = argv[0];
        }
        return usage();
}
