/* Tar entry names made safe before use: see entry_path.h. */
#include "entry_path.h"

#include <errno.h>
#include <string.h>

#include "unpack_limits.h"

int entry_path_clean(const char *name, char *out, size_t out_size, struct berr *err)
{
        size_t len = strnlen(name, UNPACK_PATH_MAX);
        size_t o = 0;

        if (len >= UNPACK_PATH_MAX)
                return berr_fail(err, ENAMETOOLONG, "entry %.64s...: name longer than %d bytes",
                                 name, UNPACK_PATH_MAX - 1);
        if (len == 0)
                return berr_fail(err, EINVAL, "entry with an empty name");
        for (const char *p = name; *p;) {
                while (*p == '/')
                        p++;
                if (*p == '\0')
                        break;
                const char *end = strchrnul(p, '/');
                size_t n = (size_t)(end - p);
                if (n == 1 && p[0] == '.') {
                        p = end;
                        continue;
                }
                if (n == 2 && p[0] == '.' && p[1] == '.')
                        return berr_fail(err, EINVAL, "entry %s: \"..\" in a name refused", name);
                if (n > UNPACK_NAME_MAX)
                        return berr_fail(err, ENAMETOOLONG,
                                         "entry %.64s...: a component is longer than %d bytes",
                                         name, UNPACK_NAME_MAX);
                if (o + n + 2 > out_size)
                        return berr_fail(err, ENAMETOOLONG, "entry %.64s...: name too long", name);
                if (o)
                        out[o++] = '/';
                memcpy(out + o, p, n);
                o += n;
                p = end;
        }
        out[o] = '\0';
        /* "/" alone names the root, as some tools write it; any other
         * absolute name is refused. */
        if (name[0] == '/' && o > 0)
                return berr_fail(err, EINVAL, "entry %s: absolute name refused", name);
        return 0;
}

size_t entry_dir_len(const char *path)
{
        const char *slash = strrchr(path, '/');
        return slash ? (size_t)(slash - path) : 0;
}

const char *entry_base(const char *path)
{
        const char *slash = strrchr(path, '/');
        return slash ? slash + 1 : path;
}

int entry_whiteout(const char *path, enum whiteout_kind *kind, struct berr *err)
{
        const char *base = entry_base(path);

        *kind = WHITEOUT_NONE;
        if (strncmp(base, ".wh.", 4) != 0)
                return 0;
        if (strcmp(base, ".wh..wh..opq") == 0) {
                *kind = WHITEOUT_OPAQUE;
                return 0;
        }
        if (strncmp(base, ".wh..wh.", 8) == 0) {
                *kind = WHITEOUT_META;
                return 0;
        }
        const char *target = base + 4;
        if (target[0] == '\0' || strcmp(target, ".") == 0 || strcmp(target, "..") == 0)
                return berr_fail(err, EINVAL, "entry %s: whiteout of \"%s\" refused", path, target);
        *kind = WHITEOUT_FILE;
        return 0;
}
