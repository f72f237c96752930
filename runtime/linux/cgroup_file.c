/* Reading and writing the small control files of a cgroup through the
 * cgroup's directory fd; a write the kernel refuses names the file and value. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "json.h"

static bool valid_file_name(const char *file)
{
        return *file && !strchr(file, '/') && strcmp(file, ".") != 0 && strcmp(file, "..") != 0;
}

int cgroup_write(int dirfd, const char *file, const char *value, struct berr *err)
{
        _cleanup_close_ int fd = -1;
        size_t len = strlen(value);
        ssize_t n;

        if (!valid_file_name(file))
                return berr_fail(err, EINVAL, "cgroup: invalid file name %s", file);
        fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return berr_sys(err, "cgroup: open %s", file);
        do
                n = write(fd, value, len);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return berr_sys(err, "cgroup: write \"%s\" to %s", value, file);
        if ((size_t)n != len)
                return berr_fail(err, EIO, "cgroup: short write of \"%s\" to %s", value, file);
        return 0;
}

int cgroup_read(int dirfd, const char *file, char **out, struct berr *err)
{
        _cleanup_close_ int fd = -1;
        size_t len;

        if (!valid_file_name(file))
                return berr_fail(err, EINVAL, "cgroup: invalid file name %s", file);
        fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return berr_sys(err, "cgroup: open %s", file);
        if (read_fd_limited(fd, 1u << 20, out, &len, err) < 0)
                return berr_wrap(err, "cgroup: read %s", file);
        return 0;
}

int cgroup_read_key(int dirfd, const char *file, const char *key, uint64_t *out, struct berr *err)
{
        _cleanup_free_ char *text = NULL;
        size_t klen = strlen(key);

        if (cgroup_read(dirfd, file, &text, err) < 0)
                return err->status;
        for (char *line = text; line && *line;) {
                char *eol = strchr(line, '\n');
                if (eol)
                        *eol = '\0';
                if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
                        char *end;
                        errno = 0;
                        unsigned long long v = strtoull(line + klen + 1, &end, 10);
                        if (errno || end == line + klen + 1)
                                return berr_fail(err, EINVAL, "cgroup: %s: bad value for %s", file,
                                                 key);
                        *out = v;
                        return 0;
                }
                line = eol ? eol + 1 : NULL;
        }
        return berr_fail(err, ENOENT, "cgroup: %s has no %s", file, key);
}

bool cgroup_has_file(int dirfd, const char *file)
{
        return dirfd >= 0 && valid_file_name(file) &&
               faccessat(dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

bool cgroup_list_has(const char *text, const char *controller)
{
        size_t clen = strlen(controller);

        for (const char *p = text; p && *p;) {
                while (*p == ' ' || *p == '\n' || *p == '\t')
                        p++;
                const char *s = p;
                while (*p && *p != ' ' && *p != '\n' && *p != '\t')
                        p++;
                if ((size_t)(p - s) == clen && memcmp(s, controller, clen) == 0)
                        return true;
        }
        return false;
}
