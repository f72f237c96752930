/* The state directory ROOT/ID: atomic creation, flock locking, atomic
 * state.json writes and reads, removal, listing. */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "log.h"

#define STATE_MAX_BYTES (1u << 20)

static const char *const status_names[] = {
    [CONTAINER_CREATING] = "creating", [CONTAINER_CREATED] = "created",
    [CONTAINER_RUNNING] = "running",   [CONTAINER_PAUSED] = "paused",
    [CONTAINER_STOPPED] = "stopped",
};

const char *container_status_name(enum container_status s)
{
        if ((unsigned)s >= sizeof(status_names) / sizeof(status_names[0]))
                return "unknown";
        return status_names[s];
}

int state_validate_id(const char *id, struct berr *err)
{
        size_t n = strlen(id);

        if (n == 0)
                return berr_fail(err, EINVAL, "invalid container id: empty");
        if (n > STATE_ID_MAX)
                return berr_fail(err, EINVAL, "invalid container id: longer than %d bytes",
                                 STATE_ID_MAX);
        if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return berr_fail(err, EINVAL, "invalid container id: %s", id);
        for (const char *p = id; *p; p++) {
                char c = *p;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '.')
                        continue;
                return berr_fail(err, EINVAL, "invalid container id: %s", id);
        }
        return 0;
}

static int ensure_root(const char *root, struct berr *err)
{
        if (mkdir(root, 0711) == 0 || errno == EEXIST)
                return 0;
        if (errno == ENOENT) {
                /* mkdir -p for a root like /run/berth/sub */
                char buf[PATH_MAX];
                snprintf(buf, sizeof(buf), "%s", root);
                for (char *p = buf + 1; *p; p++) {
                        if (*p != '/')
                                continue;
                        *p = '\0';
                        if (mkdir(buf, 0711) < 0 && errno != EEXIST)
                                return berr_sys(err, "create state root %s", buf);
                        *p = '/';
                }
                if (mkdir(root, 0711) == 0 || errno == EEXIST)
                        return 0;
        }
        return berr_sys(err, "create state root %s", root);
}

static void remove_dir_contents(int dirfd)
{
        int fd = dup(dirfd);
        if (fd < 0)
                return;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (unlinkat(dirfd, de->d_name, 0) < 0 && errno == EISDIR)
                        unlinkat(dirfd, de->d_name, AT_REMOVEDIR);
        }
        closedir(d);
}

int state_create(const char *root, const struct container_state *st, struct state_dir *sd,
                 struct berr *err)
{
        char tmp[PATH_MAX], final[PATH_MAX];
        struct stat sb;
        int r;

        if (ensure_root(root, err) < 0)
                return err->status;
        snprintf(final, sizeof(final), "%s/%s", root, st->id);
        if (lstat(final, &sb) == 0)
                return berr_fail(err, EEXIST, "container with id exists: %s", st->id);
        snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", root, st->id);
        if (!mkdtemp(tmp))
                return berr_sys(err, "create state directory in %s", root);
        chmod(tmp, 0711);
        sd->dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sd->dirfd < 0) {
                r = berr_sys(err, "open %s", tmp);
                rmdir(tmp);
                return r;
        }
        snprintf(sd->root, sizeof(sd->root), "%s", root);
        snprintf(sd->id, sizeof(sd->id), "%s", st->id);
        if (flock(sd->dirfd, LOCK_EX) < 0) {
                r = berr_sys(err, "lock %s", tmp);
                goto fail;
        }
        r = state_write(sd, st, err);
        if (r < 0)
                goto fail;
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) < 0) {
                if (errno == EEXIST || errno == ENOTEMPTY)
                        r = berr_fail(err, EEXIST, "container with id exists: %s", st->id);
                else
                        r = berr_sys(err, "rename %s to %s", tmp, final);
                goto fail;
        }
        return 0;
fail:
        remove_dir_contents(sd->dirfd);
        rmdir(tmp);
        sd->dirfd = safe_close(sd->dirfd);
        return r;
}

int state_open(const char *root, const char *id, enum state_lock lock, struct state_dir *sd,
               struct berr *err)
{
        char path[PATH_MAX];
        struct stat sb;

        if (state_validate_id(id, err) < 0)
                return err->status;
        snprintf(path, sizeof(path), "%s/%s", root, id);
        sd->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (sd->dirfd < 0) {
                if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
                        return berr_fail(err, ENOENT, "container \"%s\" does not exist", id);
                return berr_sys(err, "open state directory %s", path);
        }
        snprintf(sd->root, sizeof(sd->root), "%s", root);
        snprintf(sd->id, sizeof(sd->id), "%s", id);
        if (lock != STATE_LOCK_NONE) {
                int op = lock == STATE_LOCK_SHARED ? LOCK_SH : LOCK_EX;
                while (flock(sd->dirfd, op) < 0) {
                        if (errno != EINTR) {
                                int r = berr_sys(err, "lock %s", path);
                                sd->dirfd = safe_close(sd->dirfd);
                                return r;
                        }
                }
        }
        /* Removed while we waited for the lock: it is gone. */
        if (fstat(sd->dirfd, &sb) < 0 || sb.st_nlink == 0) {
                sd->dirfd = safe_close(sd->dirfd);
                return berr_fail(err, ENOENT, "container \"%s\" does not exist", id);
        }
        return 0;
}

bool state_is_locked_by_other(const struct state_dir *sd)
{
        char path[PATH_MAX];
        _cleanup_close_ int fd = -1;

        /* A fresh open file description: our own lock does not count. */
        snprintf(path, sizeof(path), "%s/%s", sd->root, sd->id);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return false;
        if (flock(fd, LOCK_SH | LOCK_NB) < 0)
                return errno == EWOULDBLOCK;
        return false;
}

void state_close(struct state_dir *sd)
{
        sd->dirfd = safe_close(sd->dirfd);
}

static void put_str(FILE *f, const char *key, const char *val, bool comma)
{
        size_t n = strlen(val) * 6 + 1;
        char small[1024];
        char *buf = n <= sizeof(small) ? small : malloc(n);

        if (!buf)
                return;
        json_escape(buf, n, val);
        fprintf(f, "\"%s\":\"%s\"%s", key, buf, comma ? "," : "");
        if (buf != small)
                free(buf);
}

int state_write(const struct state_dir *sd, const struct container_state *st, struct berr *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        _cleanup_close_ int fd = -1;

        if (!f)
                return berr_sys(err, "state: open_memstream");
        fputc('{', f);
        put_str(f, "id", st->id, true);
        put_str(f, "status", container_status_name(st->status), true);
        fprintf(f, "\"pid\":%d,\"startTime\":%" PRIu64 ",\"cgroupIno\":%" PRIu64 ",", (int)st->pid,
                st->start_time, st->cgroup_ino);
        put_str(f, "bundle", st->bundle, true);
        put_str(f, "rootfs", st->rootfs, true);
        put_str(f, "cgroupPath", st->cgroup_path, true);
        put_str(f, "created", st->created, true);
        put_str(f, "owner", st->owner, true);
        fprintf(f, "\"hasPoststop\":%s,\"systemd\":%s", st->has_poststop ? "true" : "false",
                st->systemd ? "true" : "false");
        if (st->annotations) {
                fputc(',', f);
                put_str(f, "annotations", st->annotations, false);
        }
        fputs("}\n", f);
        if (fclose(f) != 0)
                return berr_sys(err, "state: format");

        fd = openat(sd->dirfd, STATE_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return berr_sys(err, "write state of %s", st->id);
        for (size_t off = 0; off < len;) {
                ssize_t w = write(fd, buf + off, len - off);
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(err, "write state of %s", st->id);
                }
                off += (size_t)w;
        }
        if (renameat(sd->dirfd, STATE_FILE ".tmp", sd->dirfd, STATE_FILE) < 0)
                return berr_sys(err, "write state of %s: rename", st->id);
        return 0;
}

static void get_str(yajl_val root, const char *key, char *out, size_t size)
{
        yajl_val v = json_get(root, key);
        if (v && YAJL_IS_STRING(v))
                snprintf(out, size, "%s", YAJL_GET_STRING(v));
        else
                out[0] = '\0';
}

int state_read(const struct state_dir *sd, struct container_state *st, struct berr *err)
{
        _cleanup_close_ int fd = openat(sd->dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC);
        yajl_val root = NULL, v;
        char status[32];

        memset(st, 0, sizeof(*st));
        snprintf(st->id, sizeof(st->id), "%s", sd->id);
        if (fd < 0) {
                if (errno == ENOENT)
                        return berr_fail(err, ENOENT, "container \"%s\" does not exist", sd->id);
                return berr_sys(err, "read state of %s", sd->id);
        }
        if (json_load_fd(fd, STATE_MAX_BYTES, &root, err) < 0)
                return berr_wrap(err, "read state of %s", sd->id);
        get_str(root, "status", status, sizeof(status));
        st->status = CONTAINER_STOPPED;
        for (int s = CONTAINER_CREATING; s <= CONTAINER_STOPPED; s++)
                if (strcmp(status, status_names[s]) == 0)
                        st->status = (enum container_status)s;
        v = json_get(root, "pid");
        if (v && YAJL_IS_INTEGER(v))
                st->pid = (pid_t)YAJL_GET_INTEGER(v);
        v = json_get(root, "startTime");
        if (v && YAJL_IS_INTEGER(v))
                st->start_time = (uint64_t)YAJL_GET_INTEGER(v);
        v = json_get(root, "cgroupIno");
        if (v && YAJL_IS_INTEGER(v))
                st->cgroup_ino = (uint64_t)YAJL_GET_INTEGER(v);
        get_str(root, "bundle", st->bundle, sizeof(st->bundle));
        get_str(root, "rootfs", st->rootfs, sizeof(st->rootfs));
        get_str(root, "cgroupPath", st->cgroup_path, sizeof(st->cgroup_path));
        get_str(root, "created", st->created, sizeof(st->created));
        get_str(root, "owner", st->owner, sizeof(st->owner));
        st->has_poststop = YAJL_IS_TRUE(json_get(root, "hasPoststop"));
        st->systemd = YAJL_IS_TRUE(json_get(root, "systemd"));
        v = json_get(root, "annotations");
        if (v && YAJL_IS_STRING(v) && v->u.string)
                st->annotations = strdup(v->u.string);
        yajl_tree_free(root);
        return 0;
}

int state_remove(struct state_dir *sd, struct berr *err)
{
        char path[PATH_MAX];

        if (sd->dirfd < 0)
                return 0;
        remove_dir_contents(sd->dirfd);
        snprintf(path, sizeof(path), "%s/%s", sd->root, sd->id);
        if (rmdir(path) < 0 && errno != ENOENT)
                return berr_sys(err, "remove state directory %s", path);
        state_close(sd);
        return 0;
}

void state_clear(struct container_state *st)
{
        free(st->annotations);
        st->annotations = NULL;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list_ids(const char *root, char ***ids, struct berr *err)
{
        _cleanup_closedir_ DIR *d = opendir(root);
        char **v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        struct berr ignored = {0};

        *ids = NULL;
        if (!d) {
                if (errno == ENOENT) {
                        *ids = calloc(1, sizeof(char *));
                        return *ids ? 0 : berr_fail(err, ENOMEM, "out of memory");
                }
                return berr_sys(err, "open state root %s", root);
        }
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.' || state_validate_id(de->d_name, &ignored) < 0)
                        continue;
                if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
                        continue;
                if (n + 2 > cap) {
                        cap = cap ? cap * 2 : 16;
                        char **nv = realloc(v, cap * sizeof(char *));
                        if (!nv)
                                goto oom;
                        v = nv;
                }
                v[n] = strdup(de->d_name);
                if (!v[n])
                        goto oom;
                v[++n] = NULL;
        }
        if (!v) {
                v = calloc(1, sizeof(char *));
                if (!v)
                        return berr_fail(err, ENOMEM, "out of memory");
        }
        qsort(v, n, sizeof(char *), cmp_str);
        *ids = v;
        return 0;
oom:
        if (v) {
                v[n] = NULL;
                strv_free(v);
        }
        return berr_fail(err, ENOMEM, "out of memory");
}
