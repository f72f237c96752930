/* libFuzzer harness for berth-unpack's layer apply: arbitrary bytes as a
 * layer tar, applied into a fresh root inside a scratch directory. Whatever
 * the input, nothing may appear beside the root (the harness aborts if the
 * scratch directory holds anything but the root afterwards). */
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "remove_tree.h"

static char scratch[64];
static int scratch_fd = -1;

static void check_nothing_beside_root(void)
{
        int fd = openat(scratch_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fdopendir(fd);
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                    strcmp(de->d_name, "root")) {
                        fprintf(stderr, "written outside the root: %s\n", de->d_name);
                        abort();
                }
        closedir(d);
}

static void remove_scratch(void)
{
        rmdir(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct berr err = {0};

        if (scratch_fd < 0) {
                snprintf(scratch, sizeof(scratch), "/tmp/berth-fuzz-apply.XXXXXX");
                if (!mkdtemp(scratch))
                        abort();
                scratch_fd = open(scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
                atexit(remove_scratch);
        }
        if (mkdirat(scratch_fd, "root", 0755) < 0)
                abort();
        int rootfd = openat(scratch_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int fd = memfd_create("layer", MFD_CLOEXEC);
        if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0) {
                struct apply_options o = {.max_size = 1 << 24, .n_layers = 1};
                struct applier *ap = NULL;
                if (applier_new(rootfd, &o, &ap, &err) == 0)
                        apply_tar_fd(ap, fd, "fuzz", &err);
                applier_free(ap);
        }
        close(fd);
        close(rootfd);
        check_nothing_beside_root();
        if (remove_tree_at(scratch_fd, "root", &err) < 0)
                abort();
        return 0;
}
