/* The container's cgroup v2: creation (mkdir -p under the cgroup2 mount, or a
 * systemd scope), controllers enabled in the ancestors, the directory fd for
 * clone3(CLONE_INTO_CGROUP), freeze/thaw, cgroup.kill, process listing and
 * removal. Resources and devices live in cgroup_resources.c/cgroup_devices.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "json.h"
#include "log.h"

#define CG_FREEZE_TIMEOUT_MS 10000
#define CG_DESTROY_TIMEOUT_MS 10000

static struct berth_cgroup *cg_new(void)
{
        struct berth_cgroup *cg = calloc(1, sizeof(*cg));

        if (cg)
                cg->dirfd = -1;
        return cg;
}

void cgroup_free(struct berth_cgroup *cg)
{
        if (!cg)
                return;
        safe_close(cg->dirfd);
        free(cg->fs_path);
        free(cg->rel_path);
        free(cg->mount);
        free(cg);
}

static void cgroup_freep(struct berth_cgroup **cg)
{
        cgroup_free(*cg);
}
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

static int cg_disabled(struct berth_cgroup **out, struct berr *err)
{
        struct berth_cgroup *cg = cg_new();

        if (!cg || !(cg->fs_path = strdup("")) || !(cg->rel_path = strdup("")) ||
            !(cg->mount = strdup(""))) {
                cgroup_free(cg);
                return berr_fail(err, ENOMEM, "cgroup: out of memory");
        }
        *out = cg;
        return 0;
}

int cgroup_dirfd(const struct berth_cgroup *cg)
{
        return cg ? cg->dirfd : -1;
}

const char *cgroup_fs_path(const struct berth_cgroup *cg)
{
        return cg && cg->fs_path ? cg->fs_path : "";
}

const char *cgroup_rel_path(const struct berth_cgroup *cg)
{
        return cg && cg->rel_path ? cg->rel_path : "";
}

static bool is_disabled(const struct berth_cgroup *cg)
{
        return !cg || cg->dirfd < 0;
}

/* Wait up to MS for cgroup.events to change (the kernel signals POLLPRI
 * when "populated" flips), so an emptied cgroup is removed at once instead
 * of after a sleep. (life: speeds up run/delete.) */
static void wait_events_change(int dirfd, long ms)
{
        _cleanup_close_ int fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
        struct pollfd p = {.fd = fd, .events = POLLPRI};
        char buf[256];

        if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
                struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
                nanosleep(&ts, NULL);
                return;
        }
        poll(&p, 1, (int)ms);
}

static void sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int own_cgroup(char **out, struct berr *err)
{
        _cleanup_close_ int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (fd < 0)
                return berr_sys(err, "cgroup: open /proc/self/cgroup");
        if (read_fd_limited(fd, 1u << 20, &buf, &len, err) < 0)
                return berr_wrap(err, "cgroup: read /proc/self/cgroup");
        return cgroup_parse_proc_cgroup(buf, out, err);
}

/* Remove the directories mkdir_p created (deepest first). */
static void rmdir_created(const char *fs_path, size_t created_from)
{
        char path[4096];

        if (created_from == 0 || strlen(fs_path) >= sizeof(path))
                return;
        strcpy(path, fs_path);
        while (strlen(path) >= created_from) {
                if (rmdir(path) < 0)
                        return;
                char *slash = strrchr(path, '/');
                if (!slash || (size_t)(slash - path) < created_from)
                        return;
                *slash = '\0';
        }
}

/* mkdir -p of REL below MOUNT; *created_from is the length of the path
 * prefix that existed before (0 when nothing was created). */
static int mkdir_p(const char *mount, const char *rel, char *fs_path, size_t size,
                   size_t *created_from, bool *existed, struct berr *err)
{
        size_t mlen = strlen(mount);
        int n = snprintf(fs_path, size, "%s%s", mount, rel);

        *created_from = 0;
        *existed = false;
        if (n < 0 || (size_t)n >= size)
                return berr_fail(err, ENAMETOOLONG, "cgroup: path %s%s too long", mount, rel);
        for (char *p = fs_path + mlen + 1;; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char c = *p;
                *p = '\0';
                if (mkdir(fs_path, 0755) == 0) {
                        if (*created_from == 0)
                                *created_from = (size_t)(p - fs_path);
                } else if (errno != EEXIST) {
                        int e = errno;
                        char failed[4096];
                        snprintf(failed, sizeof(failed), "%s", fs_path);
                        *p = c;
                        rmdir_created(fs_path, *created_from);
                        errno = e;
                        return berr_sys(err, "cgroup: mkdir %s", failed);
                } else if (c == '\0') {
                        *existed = true;
                }
                *p = c;
                if (c == '\0')
                        break;
        }
        return 0;
}

/* Enable the controllers in NEEDED in cgroup.subtree_control of every
 * ancestor of REL, from the root down; a failure is an error. With EXTRAS,
 * also (as runc) every other controller an ancestor below the root already
 * offers, so later updates and stats find their files; those writes are
 * best effort, and the hierarchy root is only written for NEEDED. */
int cgroup_enable_controllers(const char *mount, const char *rel, unsigned needed, bool extras,
                              struct berr *err)
{
        char path[4096];
        const char *p = rel;
        bool is_root = true;

        if (!needed && !extras)
                return 0;
        snprintf(path, sizeof(path), "%s", mount);
        for (;;) {
                _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                _cleanup_free_ char *enabled = NULL, *avail = NULL;
                if (fd < 0)
                        return berr_sys(err, "cgroup: open %s", path);
                if (cgroup_read(fd, "cgroup.subtree_control", &enabled, err) < 0 ||
                    cgroup_read(fd, "cgroup.controllers", &avail, err) < 0)
                        return berr_wrap(err, "%s", path);
                for (int c = 0; c < CG_NONE; c++) {
                        const char *name = cgroup_ctrl_name(c);
                        bool need = needed & (1u << c);
                        char val[64];
                        if (cgroup_list_has(enabled, name))
                                continue;
                        if (!need && (!extras || is_root || !cgroup_list_has(avail, name)))
                                continue;
                        snprintf(val, sizeof(val), "+%s", name);
                        if (cgroup_write(fd, "cgroup.subtree_control", val, err) == 0)
                                continue;
                        if (need)
                                return berr_wrap(err, "enable the %s controller in %s", name, path);
                        log_debug("cgroup: enable %s in %s: %s", name, path, err->msg);
                        berr_clear(err);
                }
                is_root = false;
                /* next component; stop before the container's own cgroup */
                while (*p == '/')
                        p++;
                const char *s = p;
                while (*p && *p != '/')
                        p++;
                const char *rest = p;
                while (*rest == '/')
                        rest++;
                if (!*rest)
                        return 0;
                size_t used = strlen(path);
                if (used + 1 + (size_t)(p - s) >= sizeof(path))
                        return berr_fail(err, ENAMETOOLONG, "cgroup: path too long");
                snprintf(path + used, sizeof(path) - used, "/%.*s", (int)(p - s), s);
        }
}

static bool has_limits(const struct oci_resources *res)
{
        return res && (res->has_memory || res->has_cpu || res->has_pids || res->has_block_io ||
                       res->n_hugepage_limits || res->n_rdma || res->unified.len);
}

int cgroup_create(const struct cgroup_opts *o, const struct oci_resources *res,
                  struct berth_cgroup **out, struct berr *err)
{
        _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
        _cleanup_free_ char *own = NULL, *rel = NULL;
        struct cgroup_plan plan = {0};
        struct cgroup_hier h;
        char fs_path[4096];
        size_t created_from = 0;
        bool existed = false;
        int r;

        if (o->manager && strcmp(o->manager, "disabled") == 0) {
                if (has_limits(res) || (res && res->n_devices))
                        log_warn("cgroup manager disabled: linux.resources not enforced");
                return cg_disabled(out, err);
        }
        if (cgroup_hier_find(&h, err) < 0)
                return err->status;
        if (own_cgroup(&own, err) < 0)
                return err->status;
        if (cgroup_resolve_path(o->manager, o->cgroups_path, o->id, own, &rel, err) < 0)
                return err->status;
        /* Validate everything and check controllers before creating anything. */
        if (res && cgroup_plan_resources(res, -1, &plan, err) < 0)
                return err->status;
        r = cgroup_check_controllers(h.mount, h.hybrid, &plan, err);
        unsigned needed = plan.needed;
        cgroup_plan_free(&plan);
        if (r < 0)
                return r;

        if (o->manager && strcmp(o->manager, "systemd") == 0 && cgroup_systemd_running()) {
                char slice[256], unit[512];
                if (cgroup_systemd_unit(o->cgroups_path, o->id, slice, sizeof(slice), unit,
                                        sizeof(unit), err) < 0)
                        return err->status;
                if (cgroup_systemd_start_scope(slice, unit, err) < 0)
                        return err->status;
                snprintf(fs_path, sizeof(fs_path), "%s%s", h.mount, rel);
                existed = true; /* systemd owns it; it goes away with the scope */
                for (int i = 0; i < 500 && access(fs_path, F_OK) < 0; i++)
                        sleep_ms(10); /* the job creates it asynchronously */
        } else if (mkdir_p(h.mount, rel, fs_path, sizeof(fs_path), &created_from, &existed, err) <
                   0) {
                return err->status;
        }

        cg = cg_new();
        if (!cg || !(cg->fs_path = strdup(fs_path)) || !(cg->rel_path = strdup(rel)) ||
            !(cg->mount = strdup(h.mount))) {
                rmdir_created(fs_path, created_from);
                return berr_fail(err, ENOMEM, "cgroup: out of memory");
        }
        cg->hybrid = h.hybrid;
        cg->dirfd = open(fs_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->dirfd < 0) {
                r = berr_sys(err, "cgroup: open %s", fs_path);
                rmdir_created(fs_path, created_from);
                return r;
        }
        if (existed) {
                uint64_t populated = 0;
                if (cgroup_read_key(cg->dirfd, "cgroup.events", "populated", &populated, err) ==
                        0 &&
                    populated)
                        return berr_fail(err, EBUSY, "cgroup: %s already exists and has processes",
                                         fs_path);
                berr_clear(err);
        }
        if (cgroup_enable_controllers(h.mount, rel, needed, true, err) < 0 ||
            cgroup_apply_limits(cg, res, true, err) < 0) {
                r = err->status;
                cg->dirfd = safe_close(cg->dirfd);
                rmdir_created(fs_path, created_from);
                return r;
        }
        log_debug("cgroup: %s", fs_path);
        *out = steal_ptr(&cg);
        return 0;
}

static bool has_dot_component(const char *path)
{
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                const char *s = p;
                while (*p && *p != '/')
                        p++;
                size_t len = (size_t)(p - s);
                if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
                        return true;
        }
        return false;
}

int cgroup_open(const char *fs_path, struct berth_cgroup **out, struct berr *err)
{
        _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
        struct cgroup_hier h;
        struct statfs sfs;
        size_t mlen;

        if (!fs_path || !*fs_path)
                return cg_disabled(out, err);
        if (fs_path[0] != '/' || has_dot_component(fs_path))
                return berr_fail(err, EINVAL, "cgroup: invalid cgroup path %s", fs_path);
        if (cgroup_hier_find(&h, err) < 0)
                return err->status;
        mlen = strlen(h.mount);
        if (strncmp(fs_path, h.mount, mlen) != 0 || fs_path[mlen] != '/')
                return berr_fail(err, EINVAL, "cgroup: %s is not below the cgroup2 mount %s",
                                 fs_path, h.mount);
        cg = cg_new();
        if (!cg || !(cg->fs_path = strdup(fs_path)) || !(cg->rel_path = strdup(fs_path + mlen)) ||
            !(cg->mount = strdup(h.mount)))
                return berr_fail(err, ENOMEM, "cgroup: out of memory");
        cg->hybrid = h.hybrid;
        cg->dirfd = open(fs_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->dirfd < 0)
                return berr_sys(err, "cgroup: open %s", fs_path);
        if (fstatfs(cg->dirfd, &sfs) < 0)
                return berr_sys(err, "cgroup: statfs %s", fs_path);
        if (sfs.f_type != CGROUP2_SUPER_MAGIC)
                return berr_fail(err, EINVAL, "cgroup: %s is not on a cgroup2 filesystem", fs_path);
        *out = steal_ptr(&cg);
        return 0;
}

/* Older kernels (< 5.14) have no cgroup.kill: freeze, SIGKILL every member, thaw. */
static int kill_by_pids(const struct berth_cgroup *cg, struct berr *err)
{
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;

        (void)cgroup_freeze(cg, true, err);
        berr_clear(err);
        if (cgroup_pids(cg, &pids, &n, err) < 0)
                return err->status;
        for (size_t i = 0; i < n; i++)
                kill(pids[i], SIGKILL);
        return cgroup_freeze(cg, false, err);
}

int cgroup_kill_all(const struct berth_cgroup *cg, struct berr *err)
{
        if (is_disabled(cg))
                return berr_fail(err, ENOTSUP, "cgroup: no cgroup (cgroup manager disabled)");
        if (!cgroup_has_file(cg->dirfd, "cgroup.kill"))
                return kill_by_pids(cg, err);
        if (cgroup_write(cg->dirfd, "cgroup.kill", "1", err) < 0)
                return berr_wrap(err, "%s", cg->fs_path);
        return 0;
}

int cgroup_freeze(const struct berth_cgroup *cg, bool frozen, struct berr *err)
{
        long deadline = now_ms() + CG_FREEZE_TIMEOUT_MS;
        long delay = 1;

        if (is_disabled(cg))
                return berr_fail(err, ENOTSUP,
                                 "cgroup: cannot %s without a cgroup (cgroup manager disabled)",
                                 frozen ? "freeze" : "thaw");
        if (cgroup_write(cg->dirfd, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
                return berr_wrap(err, "%s", cg->fs_path);
        for (;;) {
                uint64_t state;
                if (cgroup_read_key(cg->dirfd, "cgroup.events", "frozen", &state, err) < 0)
                        return berr_wrap(err, "%s", cg->fs_path);
                if ((state != 0) == frozen)
                        return 0;
                if (now_ms() > deadline)
                        break;
                sleep_ms(delay);
                if (delay < 50)
                        delay *= 2;
        }
        if (frozen) {
                struct berr ignored = {0};
                cgroup_write(cg->dirfd, "cgroup.freeze", "0", &ignored);
        }
        return berr_fail(err, ETIMEDOUT, "cgroup: %s: not %s after %d ms", cg->fs_path,
                         frozen ? "frozen" : "thawed", CG_FREEZE_TIMEOUT_MS);
}

int cgroup_is_frozen(const struct berth_cgroup *cg, bool *frozen, struct berr *err)
{
        _cleanup_free_ char *text = NULL;

        *frozen = false;
        if (is_disabled(cg))
                return 0;
        if (cgroup_read(cg->dirfd, "cgroup.freeze", &text, err) < 0)
                return berr_wrap(err, "%s", cg->fs_path);
        *frozen = text[0] == '1';
        return 0;
}

static int collect_pids(int dirfd, const char *where, pid_t **pids, size_t *n, size_t *cap,
                        int depth, struct berr *err)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        if (depth > 64)
                return berr_fail(err, ELOOP, "cgroup: %s: nested too deep", where);
        if (cgroup_read(dirfd, "cgroup.procs", &text, err) < 0)
                return berr_wrap(err, "%s", where);
        for (char *p = text; *p;) {
                char *end;
                long v = strtol(p, &end, 10);
                if (end == p)
                        break;
                if (*n == *cap) {
                        size_t nc = *cap ? *cap * 2 : 64;
                        pid_t *np = realloc(*pids, nc * sizeof(**pids));
                        if (!np)
                                return berr_fail(err, ENOMEM, "cgroup: out of memory");
                        *pids = np;
                        *cap = nc;
                }
                (*pids)[(*n)++] = (pid_t)v;
                p = end;
                while (*p == '\n')
                        p++;
        }
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || !(d = fdopendir(fd))) {
                safe_close(fd);
                return berr_sys(err, "cgroup: open %s", where);
        }
        while ((de = readdir(d))) {
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                _cleanup_close_ int sub =
                    openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (sub < 0)
                        continue; /* removed meanwhile */
                if (collect_pids(sub, where, pids, n, cap, depth + 1, err) < 0)
                        return err->status;
        }
        return 0;
}

int cgroup_pids(const struct berth_cgroup *cg, pid_t **pids, size_t *n, struct berr *err)
{
        pid_t *list = NULL;
        size_t count = 0, cap = 0;

        *pids = NULL;
        *n = 0;
        if (is_disabled(cg))
                return berr_fail(err, ENOTSUP, "cgroup: no cgroup (cgroup manager disabled)");
        if (collect_pids(cg->dirfd, cg->fs_path, &list, &count, &cap, 0, err) < 0) {
                free(list);
                return err->status;
        }
        *pids = list;
        *n = count;
        return 0;
}

/* rmdir every sub-cgroup of DIRFD (deepest first), then NAME in PARENT. */
static int rmdir_tree(int parent, const char *name, int depth, struct berr *err)
{
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        if (depth > 64)
                return berr_fail(err, ELOOP, "cgroup: nested too deep");
        fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOENT ? 0 : berr_sys(err, "cgroup: open %s", name);
        if (!(d = fdopendir(fd))) {
                safe_close(fd);
                return berr_sys(err, "cgroup: open %s", name);
        }
        while ((de = readdir(d))) {
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                if (rmdir_tree(dirfd(d), de->d_name, depth + 1, err) < 0)
                        return err->status;
        }
        for (int i = 0; i < 50; i++) {
                if (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
                        return 0;
                if (errno != EBUSY)
                        break;
                sleep_ms(10); /* the last exiting task may still be leaving */
        }
        return berr_sys(err, "cgroup: rmdir %s", name);
}

int cgroup_destroy(struct berth_cgroup *cg, struct berr *err)
{
        long deadline = now_ms() + CG_DESTROY_TIMEOUT_MS;
        long delay = 1;
        char parent[4096];
        char *slash;

        if (is_disabled(cg))
                return 0;
        for (;;) {
                uint64_t populated = 0;
                if (cgroup_read_key(cg->dirfd, "cgroup.events", "populated", &populated, err) < 0) {
                        if (err->status == -ENOENT || err->status == -ENODEV) {
                                berr_clear(err);
                                return 0; /* already gone */
                        }
                        return berr_wrap(err, "%s", cg->fs_path);
                }
                if (!populated)
                        break;
                if (now_ms() > deadline)
                        return berr_fail(err, EBUSY, "cgroup: %s still has processes after %d ms",
                                         cg->fs_path, CG_DESTROY_TIMEOUT_MS);
                wait_events_change(cg->dirfd, delay);
                if (delay < 50)
                        delay *= 2;
        }
        snprintf(parent, sizeof(parent), "%s", cg->fs_path);
        slash = strrchr(parent, '/');
        if (!slash || slash == parent)
                return berr_fail(err, EINVAL, "cgroup: bad path %s", cg->fs_path);
        *slash = '\0';
        _cleanup_close_ int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0)
                return errno == ENOENT ? 0 : berr_sys(err, "cgroup: open %s", parent);
        if (rmdir_tree(pfd, slash + 1, 0, err) < 0)
                return berr_wrap(err, "%s", cg->fs_path);
        cg->dirfd = safe_close(cg->dirfd);
        return 0;
}
