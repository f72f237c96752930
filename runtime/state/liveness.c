/* Is the container's init still the process we started? A pid alone can be
 * recycled: berth records the start time (field 22 of /proc/PID/stat) and
 * compares it before reporting "running" or sending a signal. Also the OCI
 * state JSON that `state` prints and hooks read on stdin. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "version.h"

int proc_stat_start_time(pid_t pid, uint64_t *start_time, char *state_letter)
{
        char path[64], buf[1024];
        _cleanup_close_ int fd = -1;
        ssize_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ESRCH : -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return -ESRCH;
        buf[n] = '\0';
        /* comm may hold spaces and parentheses: fields start after the last ')'. */
        char *p = strrchr(buf, ')');
        if (!p || p[1] != ' ')
                return -EINVAL;
        p += 2;
        if (state_letter)
                *state_letter = *p;
        /* p is field 3; the start time is field 22. */
        for (int field = 3; field < 22; field++) {
                p = strchr(p, ' ');
                if (!p)
                        return -EINVAL;
                p++;
        }
        *start_time = strtoull(p, NULL, 10);
        return 0;
}

bool state_init_alive(const struct container_state *st)
{
        uint64_t start;
        char letter = '?';

        if (st->pid <= 0)
                return false;
        if (proc_stat_start_time(st->pid, &start, &letter) < 0)
                return false;
        if (start != st->start_time)
                return false;
        return letter != 'Z' && letter != 'X' && letter != 'x';
}

int state_open_init_pidfd(const struct container_state *st, struct berr *err)
{
        int fd;

        if (st->pid <= 0)
                return berr_fail(err, ESRCH, "container not running");
        fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
        if (fd < 0) {
                if (errno == ESRCH)
                        return berr_fail(err, ESRCH, "container not running");
                return berr_sys(err, "pidfd_open %d", (int)st->pid);
        }
        /* Checked after the pidfd exists: if it matches now, the pidfd
         * names our init, even if the pid is recycled later. */
        if (!state_init_alive(st)) {
                close(fd);
                return berr_fail(err, ESRCH, "container not running");
        }
        return fd;
}

enum container_status state_live_status(const struct state_dir *sd,
                                        const struct container_state *st)
{
        if (st->status == CONTAINER_CREATING)
                return state_is_locked_by_other(sd) ? CONTAINER_CREATING : CONTAINER_STOPPED;
        if (st->status == CONTAINER_STOPPED)
                return CONTAINER_STOPPED;
        return state_init_alive(st) ? st->status : CONTAINER_STOPPED;
}

static void put(FILE *f, bool indent, const char *key, const char *val, bool last)
{
        size_t n = strlen(val) * 6 + 1;
        char *buf = malloc(n);

        if (!buf)
                return;
        json_escape(buf, n, val);
        fprintf(f, "%s\"%s\":%s\"%s\"%s", indent ? "  " : "", key, indent ? " " : "", buf,
                last ? "" : (indent ? ",\n" : ","));
        free(buf);
}

char *state_to_oci_json(const struct container_state *st, enum container_status status, bool indent)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        pid_t pid = status == CONTAINER_STOPPED ? 0 : st->pid;

        if (!f)
                return NULL;
        fputs(indent ? "{\n" : "{", f);
        put(f, indent, "ociVersion", BERTH_OCI_SPEC_VERSION, false);
        put(f, indent, "id", st->id, false);
        fprintf(f, "%s\"pid\":%s%d%s", indent ? "  " : "", indent ? " " : "", (int)pid,
                indent ? ",\n" : ",");
        put(f, indent, "status", container_status_name(status), false);
        put(f, indent, "bundle", st->bundle, false);
        put(f, indent, "rootfs", st->rootfs, false);
        put(f, indent, "created", st->created, false);
        put(f, indent, "owner", st->owner, !st->annotations);
        if (st->annotations)
                fprintf(f, "%s\"annotations\":%s%s", indent ? "  " : "", indent ? " " : "",
                        st->annotations);
        fputs(indent ? "\n}" : "}", f);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

void state_now_rfc3339(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;
        char base[32];

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, size, "%s.%09ldZ", base, ts.tv_nsec);
}
