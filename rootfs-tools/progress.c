/* The progress bar on stderr (only when it is a terminal): layers done,
 * bytes of tar stream applied, rate. Redrawn at most ten times a second. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "apply_int.h"

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
        return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_draw(struct applier *ap, bool final)
{
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!final && seconds_between(&ap->last_draw, &now) < 0.1)
                return;
        ap->last_draw = now;
        double secs = seconds_between(&ap->start, &now);
        double mib = (double)ap->bytes_seen / (1024.0 * 1024.0);
        size_t done = final ? ap->opt.n_layers : ap->layer;
        size_t width = 24, fill = ap->opt.n_layers ? done * width / ap->opt.n_layers : width;
        char bar[32];
        for (size_t i = 0; i < width; i++)
                bar[i] = i < fill ? '#' : '.';
        bar[width] = '\0';
        fprintf(stderr, "\r[%s] layer %zu/%zu  %.1f MiB  %.1f MiB/s%s", bar,
                final ? ap->opt.n_layers : ap->layer + 1, ap->opt.n_layers, mib,
                secs > 0 ? mib / secs : 0.0, final ? "\n" : "  ");
        fflush(stderr);
}
