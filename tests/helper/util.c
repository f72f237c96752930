/* Shared by the applets: print a whole file to stdout. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int print_file(const char *path, const char *prefix)
{
        char buf[4096];
        FILE *f = fopen(path, "r");

        if (!f) {
                perror(path);
                return 1;
        }
        while (fgets(buf, sizeof(buf), f))
                if (!prefix || strncmp(buf, prefix, strlen(prefix)) == 0)
                        fputs(buf, stdout);
        fclose(f);
        return 0;
}
