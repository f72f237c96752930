/* berth-unpack: expand an image (OCI layout directory, OCI archive, docker
 * save archive) into an OCI bundle: BUNDLE/rootfs and BUNDLE/config.json.
 * This file reads the command line and runs the steps; the work is in the
 * other files of rootfs-tools/. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "bundle.h"
#include "cleanup.h"
#include "unpack_limits.h"
#include "log.h"
#include "pipeline.h"
#include "plan.h"
#include "platform.h"
#include "source.h"
#include "spec.h"

#define UNPACK_VERSION "0.1.0"

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: berth-unpack [OPTIONS] IMAGE[:TAG|@DIGEST] BUNDLE\n"
                "\n"
                "Expand an image into an OCI bundle: BUNDLE/rootfs and BUNDLE/config.json.\n"
                "IMAGE is an OCI image layout directory, an OCI layout as a tar archive, or a\n"
                "`docker save` archive (told apart by content).\n"
                "\n"
                "Options:\n"
                "  --platform OS/ARCH[/VARIANT]  the platform to pick from an index\n"
                "                                (default: the host's)\n"
                "  --max-size SIZE               cap on the unpacked bytes (K, M, G, T suffixes;\n"
                "                                default %d times the compressed size, at least\n"
                "                                1G, at most 64G)\n"
                "  --all-xattrs                  also keep trusted.* and security.selinux xattrs\n"
                "  --no-progress                 no progress bar even on a terminal\n"
                "  --debug                       debug messages\n"
                "  -h, --help                    this help\n"
                "  -v, --version                 the version\n",
                UNPACK_SIZE_RATIO);
}

static int parse_size(const char *s, uint64_t *out, struct berr *err)
{
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || s[0] == '-')
                return berr_fail(err, EINVAL, "--max-size %s: not a size", s);
        unsigned shift = 0;
        switch (*end) {
        case 'k':
        case 'K':
                shift = 10;
                break;
        case 'm':
        case 'M':
                shift = 20;
                break;
        case 'g':
        case 'G':
                shift = 30;
                break;
        case 't':
        case 'T':
                shift = 40;
                break;
        case '\0':
                break;
        default:
                return berr_fail(err, EINVAL, "--max-size %s: not a size", s);
        }
        if (*end && end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
                return berr_fail(err, EINVAL, "--max-size %s: not a size", s);
        if (shift && v > (UINT64_MAX >> shift))
                return berr_fail(err, ERANGE, "--max-size %s: too large", s);
        *out = (uint64_t)v << shift;
        if (*out == 0)
                return berr_fail(err, EINVAL, "--max-size %s: must be more than 0", s);
        return 0;
}

static volatile int got_signal;

static void on_signal(int sig)
{
        got_signal = sig;
}

struct options {
        const char *platform;
        uint64_t max_size;
        bool all_xattrs, no_progress;
};

static int unpack(char *image_arg, const char *bundle_path, const struct options *o,
                  struct berr *err)
{
        struct image_ref ref;
        struct image_source src = {.fd = -1};
        struct platform want = {0};
        struct image_plan plan = {0};
        struct bundle b = {.fd = -1, .rootfd = -1};
        struct pipeline *p = NULL;
        struct applier *ap = NULL;
        _cleanup_free_ char *config = NULL;
        size_t config_len = 0;
        int r;

        if ((r = image_ref_parse(image_arg, &ref, err)) < 0)
                goto out;
        if ((r = source_open(ref.path, &src, err)) < 0)
                goto out;
        log_debug("image %s: %s", ref.path, source_format_name(src.format));
        r = o->platform ? platform_parse(o->platform, &want, err) : platform_host(&want, err);
        if (r < 0)
                goto out;
        if ((r = plan_build(&src, &ref, &want, &plan, err)) < 0)
                goto out;
        if (o->platform && (r = platform_check_config(plan.config, &want, err)) < 0)
                goto out;
        uint64_t max = o->max_size;
        if (!max) {
                max = plan.compressed_total * UNPACK_SIZE_RATIO;
                if (plan.compressed_total && max / UNPACK_SIZE_RATIO != plan.compressed_total)
                        max = UNPACK_MAX_DEFAULT_MAX;
                if (max < UNPACK_MIN_DEFAULT_MAX)
                        max = UNPACK_MIN_DEFAULT_MAX;
                if (max > UNPACK_MAX_DEFAULT_MAX)
                        max = UNPACK_MAX_DEFAULT_MAX;
        }
        if ((r = bundle_prepare(bundle_path, &b, err)) < 0)
                goto out;
        struct apply_options ao = {
            .max_size = max,
            .all_xattrs = o->all_xattrs,
            .show_progress = !o->no_progress && isatty(STDERR_FILENO),
            .total_bytes = plan.compressed_total,
            .n_layers = plan.n,
        };
        if ((r = applier_new(b.rootfd, &ao, &ap, err)) < 0)
                goto out;
        if ((r = pipeline_start(&src, &plan, max, &p, err)) < 0)
                goto out;
        for (size_t i = 0; i < plan.n; i++) {
                if (got_signal) {
                        r = berr_fail(err, EINTR, "interrupted by signal %d", (int)got_signal);
                        goto out;
                }
                if ((r = apply_layer(ap, p, i, layer_name(&plan.layers[i]), err)) < 0)
                        goto out;
        }
        pipeline_stop(p);
        p = NULL;
        if ((r = spec_generate(plan.config, b.rootfd, &config, &config_len, err)) < 0)
                goto out;
        if (got_signal) {
                r = berr_fail(err, EINTR, "interrupted by signal %d", (int)got_signal);
                goto out;
        }
        r = bundle_commit(&b, config, config_len, err);
out:
        pipeline_stop(p);
        applier_free(ap);
        if (r < 0)
                bundle_abort(&b);
        else {
                safe_close(b.rootfd);
                safe_close(b.fd);
        }
        plan_free(&plan);
        platform_free(&want);
        if (src.path)
                source_close(&src);
        else
                safe_close(src.fd);
        return r;
}

int main(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"platform", required_argument, NULL, 'p'}, {"max-size", required_argument, NULL, 'm'},
            {"all-xattrs", no_argument, NULL, 'x'},     {"no-progress", no_argument, NULL, 'n'},
            {"debug", no_argument, NULL, 'd'},          {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, 'v'},        {NULL, 0, NULL, 0},
        };
        struct options o = {0};
        struct berr err = {0};
        bool debug = false;
        int c;

        setlocale(LC_CTYPE, "C.UTF-8");
        log_set_program("berth-unpack");
        while ((c = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
                switch (c) {
                case 'p':
                        o.platform = optarg;
                        break;
                case 'm':
                        if (parse_size(optarg, &o.max_size, &err) < 0) {
                                log_berr(&err);
                                return 1;
                        }
                        break;
                case 'x':
                        o.all_xattrs = true;
                        break;
                case 'n':
                        o.no_progress = true;
                        break;
                case 'd':
                        debug = true;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'v':
                        printf("berth-unpack version %s\n", UNPACK_VERSION);
                        return 0;
                default:
                        usage(stderr);
                        return 1;
                }
        }
        if (argc - optind != 2) {
                usage(stderr);
                return 1;
        }
        if (log_init(NULL, LOG_FORMAT_TEXT, debug, &err) < 0) {
                log_berr(&err);
                return 1;
        }
        struct sigaction sa = {.sa_handler = on_signal};
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        umask(0);
        if (unpack(argv[optind], argv[optind + 1], &o, &err) < 0) {
                log_berr(&err);
                return 1;
        }
        return 0;
}
