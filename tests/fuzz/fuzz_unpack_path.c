/* libFuzzer harness for berth-unpack's tar entry checks: entry name
 * cleaning and whiteout classification must never accept a name that
 * climbs out ("..", absolute) and must never overrun their buffers; then
 * the same bytes as an outer image archive for the tar index. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "entry_path.h"
#include "tar_index.h"
#include "unpack_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct berr err = {0};
        char name[UNPACK_PATH_MAX + 16];
        char out[UNPACK_PATH_MAX];
        size_t n = size < UNPACK_PATH_MAX + 8 ? size : UNPACK_PATH_MAX + 8;

        memcpy(name, data, n);
        name[n] = '\0';
        if (entry_path_clean(name, out, sizeof(out), &err) == 0) {
                /* The invariants the applier relies on. */
                if (out[0] == '/' || strstr(out, "//"))
                        abort();
                for (const char *p = out; *p;) {
                        const char *e = strchrnul(p, '/');
                        if ((e - p == 2 && p[0] == '.' && p[1] == '.') ||
                            (e - p == 1 && p[0] == '.') || e == p || e - p > UNPACK_NAME_MAX)
                                abort();
                        p = *e ? e + 1 : e;
                }
                enum whiteout_kind k;
                if (entry_whiteout(out, &k, &err) == 0 && k == WHITEOUT_FILE) {
                        const char *t = entry_base(out) + 4;
                        if (!*t || strcmp(t, "..") == 0 || strcmp(t, ".") == 0)
                                abort();
                }
        }
        int fd = memfd_create("fuzz", MFD_CLOEXEC);
        if (fd < 0)
                return 0;
        if (write(fd, data, size) == (ssize_t)size) {
                struct tar_index idx;
                if (tar_index_build(fd, size, &idx, &err) == 0)
                        tar_index_find(&idx, "index.json");
                tar_index_free(&idx);
        }
        close(fd);
        return 0;
}
