/* A minimal reader of tar headers (ustar, GNU long names, pax path/size)
 * for the outer archive of an image; the layers inside are read by
 * libarchive. See tar_index.h. */
#include "tar_index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "entry_path.h"
#include "unpack_limits.h"

#define TAR_MEMBERS_MAX 100000
#define TAR_META_MAX (1u << 20)

static uint64_t parse_octal(const unsigned char *p, size_t n, bool *ok)
{
        uint64_t v = 0;
        size_t i = 0;

        if (p[0] & 0x80) { /* base-256 */
                v = p[0] & 0x7f;
                for (i = 1; i < n; i++) {
                        if (v >> 55) {
                                *ok = false;
                                return 0;
                        }
                        v = (v << 8) | p[i];
                }
                return v;
        }
        while (i < n && (p[i] == ' ' || p[i] == '\0'))
                i++;
        for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
                if (v >> 60) {
                        *ok = false;
                        return 0;
                }
                v = v * 8 + (uint64_t)(p[i] - '0');
        }
        for (; i < n; i++)
                if (p[i] != ' ' && p[i] != '\0')
                        *ok = false;
        return v;
}

bool tar_header_valid(const unsigned char block[512])
{
        bool ok = true;
        uint64_t want = parse_octal(block + 148, 8, &ok);
        uint64_t sum = 0;

        if (!ok)
                return false;
        for (int i = 0; i < 512; i++)
                sum += (i >= 148 && i < 156) ? ' ' : block[i];
        return sum == want;
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
        size_t done = 0;
        while (done < len) {
                ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;
                done += (size_t)n;
        }
        return 0;
}

/* Take "path" and "linkpath" from pax records. */
static void pax_parse(char *buf, size_t len, char **path, char **link)
{
        size_t pos = 0;
        while (pos < len) {
                char *end;
                unsigned long rl = strtoul(buf + pos, &end, 10);
                if (rl == 0 || rl > len - pos || *end != ' ')
                        return;
                char *kv = end + 1;
                char *rec_end = buf + pos + rl - 1; /* the '\n' */
                char *eq = memchr(kv, '=', (size_t)(rec_end - kv));
                if (eq && *rec_end == '\n') {
                        *rec_end = '\0';
                        *eq = '\0';
                        if (strcmp(kv, "path") == 0) {
                                free(*path);
                                *path = strdup(eq + 1);
                        } else if (strcmp(kv, "linkpath") == 0) {
                                free(*link);
                                *link = strdup(eq + 1);
                        }
                }
                pos += rl;
        }
}

static int add_member(struct tar_index *idx, const char *raw_name, const char *link, char type,
                      uint64_t off, uint64_t size, struct berr *err)
{
        char name[UNPACK_PATH_MAX];
        int r = entry_path_clean(raw_name, name, sizeof(name), err);
        if (r < 0)
                return berr_wrap(err, "image archive");
        if (idx->n == idx->cap) {
                size_t ncap = idx->cap ? idx->cap * 2 : 64;
                struct tar_member *nv = realloc(idx->v, ncap * sizeof(*nv));
                if (!nv)
                        return berr_fail(err, ENOMEM, "image archive: out of memory");
                idx->v = nv;
                idx->cap = ncap;
        }
        struct tar_member *m = &idx->v[idx->n];
        memset(m, 0, sizeof(*m));
        m->name = strdup(name);
        m->offset = off;
        m->size = size;
        switch (type) {
        case '0':
        case '\0':
        case '7':
                m->type = TAR_MEMBER_FILE;
                break;
        case '5':
                m->type = TAR_MEMBER_DIR;
                break;
        case '2':
                m->type = TAR_MEMBER_SYMLINK;
                m->link = strdup(link);
                break;
        default:
                m->type = TAR_MEMBER_OTHER;
        }
        if (!m->name || (type == '2' && !m->link))
                return berr_fail(err, ENOMEM, "image archive: out of memory");
        idx->n++;
        return 0;
}

static int read_meta(int fd, uint64_t off, uint64_t size, char **out, struct berr *err)
{
        if (size > TAR_META_MAX)
                return berr_fail(err, E2BIG, "image archive: header record too large");
        char *buf = malloc(size + 1);
        if (!buf)
                return berr_fail(err, ENOMEM, "image archive: out of memory");
        int r = pread_full(fd, buf, size, off);
        if (r < 0) {
                free(buf);
                errno = -r;
                return berr_sys(err, "image archive: read");
        }
        buf[size] = '\0';
        *out = buf;
        return 0;
}

int tar_index_build(int fd, uint64_t file_size, struct tar_index *idx, struct berr *err)
{
        _cleanup_free_ char *long_name = NULL, *long_link = NULL;
        _cleanup_free_ char *pax_path = NULL, *pax_link = NULL;
        unsigned char h[512];
        uint64_t off = 0;
        int r;

        memset(idx, 0, sizeof(*idx));
        while (off + 512 <= file_size) {
                r = pread_full(fd, h, 512, off);
                if (r < 0) {
                        errno = -r;
                        return berr_sys(err, "image archive: read header at %llu",
                                        (unsigned long long)off);
                }
                bool zero = true;
                for (int i = 0; i < 512 && zero; i++)
                        zero = h[i] == 0;
                if (zero)
                        return 0;
                if (!tar_header_valid(h))
                        return berr_fail(err, EINVAL,
                                         "image archive: bad tar header at offset %llu",
                                         (unsigned long long)off);
                bool ok = true;
                uint64_t size = parse_octal(h + 124, 12, &ok);
                char type = (char)h[156];
                uint64_t data = off + 512;
                if (!ok || size > file_size || data + size > file_size)
                        return berr_fail(err, EINVAL,
                                         "image archive: member at offset %llu runs past the end",
                                         (unsigned long long)off);
                uint64_t next = data + ((size + 511) & ~(uint64_t)511);
                if (type == 'L' || type == 'K' || type == 'x') {
                        char *meta = NULL;
                        r = read_meta(fd, data, size, &meta, err);
                        if (r < 0)
                                return r;
                        if (type == 'L') {
                                free(long_name);
                                long_name = meta;
                        } else if (type == 'K') {
                                free(long_link);
                                long_link = meta;
                        } else {
                                pax_parse(meta, size, &pax_path, &pax_link);
                                free(meta);
                        }
                        off = next;
                        continue;
                }
                if (type == 'g') {
                        off = next;
                        continue;
                }
                char name[257], link[101];
                if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
                        snprintf(name, sizeof(name), "%.155s/%.100s", (char *)h + 345, (char *)h);
                } else {
                        snprintf(name, sizeof(name), "%.100s", (char *)h);
                }
                snprintf(link, sizeof(link), "%.100s", (char *)h + 157);
                const char *nm = pax_path ? pax_path : long_name ? long_name : name;
                const char *lk = pax_link ? pax_link : long_link ? long_link : link;
                if (idx->n >= TAR_MEMBERS_MAX)
                        return berr_fail(err, E2BIG, "image archive: more than %d members",
                                         TAR_MEMBERS_MAX);
                r = add_member(idx, nm, lk, type, data, size, err);
                if (r < 0)
                        return r;
                free(steal_ptr(&long_name));
                free(steal_ptr(&long_link));
                free(steal_ptr(&pax_path));
                free(steal_ptr(&pax_link));
                off = next;
        }
        if (off < file_size)
                return berr_fail(err, EINVAL, "image archive: truncated");
        return 0;
}

static const struct tar_member *find_exact(const struct tar_index *idx, const char *name)
{
        /* The last member of a name wins, as tar -x would leave it. */
        for (size_t i = idx->n; i-- > 0;)
                if (strcmp(idx->v[i].name, name) == 0)
                        return &idx->v[i];
        return NULL;
}

/* Resolve TARGET relative to the directory of FROM into OUT; ".." may not
 * climb above the archive's top. */
static int join_link(const char *from, const char *target, char *out, size_t size)
{
        char tmp[UNPACK_PATH_MAX * 2];
        size_t dl = target[0] == '/' ? 0 : entry_dir_len(from);
        snprintf(tmp, sizeof(tmp), "%.*s/%s", (int)dl, from, target);
        size_t o = 0;
        for (char *p = tmp; *p;) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                char *end = strchrnul(p, '/');
                size_t n = (size_t)(end - p);
                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        if (o == 0)
                                return -EINVAL;
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                } else if (!(n == 1 && p[0] == '.')) {
                        if (o + n + 2 > size)
                                return -ENAMETOOLONG;
                        if (o)
                                out[o++] = '/';
                        memcpy(out + o, p, n);
                        o += n;
                }
                p = end;
        }
        out[o] = '\0';
        return 0;
}

const struct tar_member *tar_index_find(const struct tar_index *idx, const char *name)
{
        char cur[UNPACK_PATH_MAX];
        char next[UNPACK_PATH_MAX];
        struct berr err;

        if (entry_path_clean(name, cur, sizeof(cur), &err) < 0)
                return NULL;
        for (int hops = 0; hops < 8; hops++) {
                const struct tar_member *m = find_exact(idx, cur);
                if (!m || m->type != TAR_MEMBER_SYMLINK)
                        return m;
                if (join_link(m->name, m->link, next, sizeof(next)) < 0)
                        return NULL;
                memcpy(cur, next, sizeof(cur));
        }
        return NULL;
}

void tar_index_free(struct tar_index *idx)
{
        for (size_t i = 0; i < idx->n; i++) {
                free(idx->v[i].name);
                free(idx->v[i].link);
        }
        free(idx->v);
        memset(idx, 0, sizeof(*idx));
}
