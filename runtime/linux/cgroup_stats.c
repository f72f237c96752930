/* runc-compatible statistics from a cgroup v2 directory: cpu.stat,
 * memory.current/max/peak/stat/events, memory.swap.*, pids.current/max,
 * io.stat and hugetlb.*. Files of controllers that are not enabled are just
 * left out, as runc does. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "cgroup_stats.h"
#include "cleanup.h"
#include "log.h"

/* A single number file; "max" reads as UINT64_MAX. false when absent. */
static bool read_u64(int dirfd, const char *file, uint64_t *out)
{
        struct berr ignored = {0};
        _cleanup_free_ char *text = NULL;

        if (!cgroup_has_file(dirfd, file) || cgroup_read(dirfd, file, &text, &ignored) < 0)
                return false;
        if (strncmp(text, "max", 3) == 0) {
                *out = UINT64_MAX;
                return true;
        }
        char *end;
        errno = 0;
        *out = strtoull(text, &end, 10);
        return errno == 0 && end != text;
}

static uint64_t key_or_zero(int dirfd, const char *file, const char *key)
{
        struct berr ignored = {0};
        uint64_t v = 0;

        if (cgroup_has_file(dirfd, file))
                cgroup_read_key(dirfd, file, key, &v, &ignored);
        return v;
}

static void cpu_json(FILE *f, int dirfd)
{
        uint64_t usage = key_or_zero(dirfd, "cpu.stat", "usage_usec");
        uint64_t user = key_or_zero(dirfd, "cpu.stat", "user_usec");
        uint64_t sys = key_or_zero(dirfd, "cpu.stat", "system_usec");
        uint64_t periods = key_or_zero(dirfd, "cpu.stat", "nr_periods");
        uint64_t thr = key_or_zero(dirfd, "cpu.stat", "nr_throttled");
        uint64_t thr_us = key_or_zero(dirfd, "cpu.stat", "throttled_usec");

        fprintf(f,
                "\"cpu\":{\"usage\":{\"total\":%" PRIu64 ",\"kernel\":%" PRIu64 ",\"user\":%" PRIu64
                "},\"throttling\":{\"periods\":%" PRIu64 ",\"throttledPeriods\":%" PRIu64
                ",\"throttledTime\":%" PRIu64 "}}",
                usage * 1000, sys * 1000, user * 1000, periods, thr, thr_us * 1000);
}

static void raw_stat_json(FILE *f, int dirfd, const char *file)
{
        struct berr ignored = {0};
        _cleanup_free_ char *text = NULL;
        bool first = true;

        fputs("\"raw\":{", f);
        if (cgroup_read(dirfd, file, &text, &ignored) == 0) {
                for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                        char key[128];
                        unsigned long long v;
                        if (sscanf(line, "%127s %llu", key, &v) != 2)
                                continue;
                        fprintf(f, "%s\"%s\":%llu", first ? "" : ",", key, v);
                        first = false;
                }
        }
        fputc('}', f);
}

static bool memory_json(FILE *f, int dirfd)
{
        uint64_t cur, max = UINT64_MAX, peak = 0, scur = 0, smax = UINT64_MAX;

        if (!read_u64(dirfd, "memory.current", &cur))
                return false;
        read_u64(dirfd, "memory.max", &max);
        read_u64(dirfd, "memory.peak", &peak);
        bool swap = read_u64(dirfd, "memory.swap.current", &scur);
        read_u64(dirfd, "memory.swap.max", &smax);
        uint64_t failcnt = key_or_zero(dirfd, "memory.events", "max");
        uint64_t cache = key_or_zero(dirfd, "memory.stat", "file");
        /* runc reports swap as memory+swap, like cgroup v1 */
        uint64_t swap_limit = (max == UINT64_MAX || smax == UINT64_MAX) ? UINT64_MAX : max + smax;

        fprintf(f,
                ",\"memory\":{\"cache\":%" PRIu64 ",\"usage\":{\"limit\":%" PRIu64
                ",\"usage\":%" PRIu64 ",\"max\":%" PRIu64 ",\"failcnt\":%" PRIu64 "}",
                cache, max, cur, peak, failcnt);
        if (swap)
                fprintf(f, ",\"swap\":{\"limit\":%" PRIu64 ",\"usage\":%" PRIu64 ",\"failcnt\":0}",
                        swap_limit, cur + scur);
        fputc(',', f);
        raw_stat_json(f, dirfd, "memory.stat");
        fputc('}', f);
        return true;
}

static void pids_json(FILE *f, int dirfd)
{
        uint64_t cur, max = 0;

        if (!read_u64(dirfd, "pids.current", &cur))
                return;
        read_u64(dirfd, "pids.max", &max);
        if (max == UINT64_MAX)
                max = 0; /* runc: 0 = unlimited */
        fprintf(f, ",\"pids\":{\"current\":%" PRIu64 ",\"limit\":%" PRIu64 "}", cur, max);
}

static void blkio_json(FILE *f, int dirfd)
{
        struct berr ignored = {0};
        _cleanup_free_ char *text = NULL;
        static const struct {
                const char *key, *list, *op;
        } map[] = {
            {"rbytes", "bytes", "Read"},
            {"wbytes", "bytes", "Write"},
            {"rios", "ios", "Read"},
            {"wios", "ios", "Write"},
        };
        char *bytes = NULL, *ios = NULL;
        size_t bl = 0, il = 0;

        if (!cgroup_has_file(dirfd, "io.stat") ||
            cgroup_read(dirfd, "io.stat", &text, &ignored) < 0)
                return;
        FILE *b = open_memstream(&bytes, &bl), *s = open_memstream(&ios, &il);
        if (!b || !s) {
                if (b)
                        fclose(b);
                if (s)
                        fclose(s);
                free(bytes);
                free(ios);
                return;
        }
        bool bfirst = true, sfirst = true;
        for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
                unsigned major, minor;
                int off = 0;
                if (sscanf(line, "%u:%u %n", &major, &minor, &off) != 2)
                        continue;
                for (char *save2 = NULL, *tok = strtok_r(line + off, " ", &save2); tok;
                     tok = strtok_r(NULL, " ", &save2)) {
                        char *eq = strchr(tok, '=');
                        if (!eq)
                                continue;
                        *eq = '\0';
                        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                                if (strcmp(tok, map[i].key) != 0)
                                        continue;
                                bool isbytes = map[i].list[0] == 'b';
                                FILE *o = isbytes ? b : s;
                                bool *first = isbytes ? &bfirst : &sfirst;
                                fprintf(o,
                                        "%s{\"major\":%u,\"minor\":%u,\"op\":\"%s\",\"value\":%s}",
                                        *first ? "" : ",", major, minor, map[i].op, eq + 1);
                                *first = false;
                        }
                }
        }
        fclose(b);
        fclose(s);
        fprintf(f, ",\"blkio\":{\"ioServiceBytesRecursive\":[%s],\"ioServicedRecursive\":[%s]}",
                bytes ? bytes : "", ios ? ios : "");
        free(bytes);
        free(ios);
}

static void hugetlb_json(FILE *f, int dirfd)
{
        _cleanup_close_ int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        bool first = true;

        if (fd < 0 || !(d = fdopendir(fd)))
                return;
        fd = -1; /* the DIR owns it */
        fputs(",\"hugetlb\":{", f);
        while ((de = readdir(d))) {
                char size[64], file[128];
                const char *n = de->d_name;
                size_t len = strlen(n);
                /* hugetlb.SIZE.current, not hugetlb.SIZE.rsvd.current */
                if (strncmp(n, "hugetlb.", 8) != 0 || len < 16 ||
                    strcmp(n + len - 8, ".current") != 0 || strstr(n, ".rsvd."))
                        continue;
                snprintf(size, sizeof(size), "%.*s", (int)(len - 16), n + 8);
                uint64_t usage = 0, max = 0;
                read_u64(dirfd, n, &usage);
                snprintf(file, sizeof(file), "hugetlb.%s.max", size);
                read_u64(dirfd, file, &max);
                snprintf(file, sizeof(file), "hugetlb.%s.events", size);
                uint64_t failcnt = key_or_zero(dirfd, file, "max");
                fprintf(f,
                        "%s\"%s\":{\"usage\":%" PRIu64 ",\"max\":%" PRIu64 ",\"failcnt\":%" PRIu64
                        "}",
                        first ? "" : ",", size, usage, max, failcnt);
                first = false;
        }
        fputc('}', f);
}

int cgroup_stats_json(const struct berth_cgroup *cg, char **out, struct berr *err)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        if (cg->dirfd < 0)
                return berr_fail(err, ENOTSUP,
                                 "cgroup: no statistics without a cgroup "
                                 "(cgroup manager disabled)");
        if (!cgroup_has_file(cg->dirfd, "cgroup.procs"))
                return berr_fail(err, ENOENT, "cgroup: %s is gone", cg->fs_path);
        f = open_memstream(&buf, &len);
        if (!f)
                return berr_sys(err, "cgroup: open_memstream");
        fputc('{', f);
        cpu_json(f, cg->dirfd);
        memory_json(f, cg->dirfd);
        pids_json(f, cg->dirfd);
        blkio_json(f, cg->dirfd);
        hugetlb_json(f, cg->dirfd);
        fputc('}', f);
        if (fclose(f) != 0) {
                free(buf);
                return berr_fail(err, ENOMEM, "cgroup: out of memory");
        }
        *out = buf;
        return 0;
}

int cgroup_oom_kills(const struct berth_cgroup *cg, uint64_t *count, struct berr *err)
{
        if (cg->dirfd < 0 || !cgroup_has_file(cg->dirfd, "memory.events"))
                return berr_fail(err, ENOENT, "cgroup: no memory.events");
        return cgroup_read_key(cg->dirfd, "memory.events", "oom_kill", count, err);
}
