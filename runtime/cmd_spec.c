/* `berth spec [--rootless] [--bundle DIR]`: write a default config.json
 * into the bundle directory (default: the current one), never over an
 * existing file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "default_spec.h"

static int write_all(int fd, const char *buf, size_t len, struct berr *err)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(err, "write config.json");
                }
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

int cmd_spec(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {
            {"bundle", required_argument, NULL, 'b'},
            {"rootless", no_argument, NULL, 'r'},
            {0},
        };
        const char *bundle = ".";
        bool rootless = false;
        _cleanup_free_ char *json = NULL;
        _cleanup_close_ int dirfd = -1, fd = -1;
        size_t len;
        int c;

        (void)g;
        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "+b:", opts, NULL)) != -1) {
                switch (c) {
                case 'b':
                        bundle = optarg;
                        break;
                case 'r':
                        rootless = true;
                        break;
                default:
                        return berr_fail(err, EINVAL,
                                         "spec: unknown option %s (see berth spec --help)",
                                         argv[optind - 1]);
                }
        }
        if (optind < argc)
                return berr_fail(err, EINVAL, "spec: unexpected argument %s", argv[optind]);

        if (oci_default_spec(rootless, geteuid(), getegid(), &json, &len, err) < 0)
                return err->status;
        dirfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return berr_sys(err, "spec: bundle %s", bundle);
        fd = openat(dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0644);
        if (fd < 0 && errno == EEXIST)
                return berr_fail(err, EEXIST,
                                 "spec: %s/config.json already exists; remove it first", bundle);
        if (fd < 0)
                return berr_sys(err, "spec: create %s/config.json", bundle);
        if (write_all(fd, json, len, err) < 0 || fsync(fd) < 0) {
                int r = err->status < 0 ? err->status : berr_sys(err, "spec: write config.json");
                unlinkat(dirfd, "config.json", 0);
                return r;
        }
        return 0;
}
