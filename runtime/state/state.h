/* Per-container state under --root (default /run/berth): ROOT/ID/ holds
 * state.json (written atomically: temp file + rename), exec.fifo while the
 * container waits for `start`, and a copy of config.json when poststop
 * hooks need it at delete time. The directory itself is the lock (flock):
 * create holds it exclusively until the container is created; delete holds
 * it exclusively. Liveness: the init pid plus its start time from
 * /proc/PID/stat, so a recycled pid is never reported running or signalled.
 * Owner: life. */
#ifndef BERTH_STATE_H
#define BERTH_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define STATE_ID_MAX 200
#define STATE_FILE "state.json"
#define STATE_EXEC_FIFO "exec.fifo"
#define STATE_CONFIG_COPY "config.json"

/* runc's status model. PAUSED is never recorded in state.json: it is read
 * from the cgroup (cgroup_is_frozen) by container_status(). */
enum container_status {
        CONTAINER_CREATING,
        CONTAINER_CREATED,
        CONTAINER_RUNNING,
        CONTAINER_PAUSED,
        CONTAINER_STOPPED,
};

const char *container_status_name(enum container_status s);

struct container_state {
        char id[STATE_ID_MAX + 1];
        enum container_status status; /* recorded: CREATING, CREATED or RUNNING */
        pid_t pid;                    /* init, host pid namespace; 0 before clone */
        uint64_t start_time;          /* field 22 of /proc/PID/stat */
        char bundle[PATH_MAX];        /* absolute */
        char rootfs[PATH_MAX];        /* absolute host path */
        char cgroup_path[PATH_MAX];   /* absolute cgroupfs path, "" = none */
        uint64_t cgroup_ino;          /* its inode when created: same path, other cgroup? */
        char created[64];             /* RFC 3339, UTC, nanoseconds */
        char owner[64];               /* "" like runc as root */
        bool has_poststop;            /* STATE_CONFIG_COPY exists */
        bool systemd;                 /* --systemd-cgroup was used */
        char *annotations;            /* JSON object text or NULL (owned) */
};

/* An open, possibly locked, state directory. */
struct state_dir {
        int dirfd; /* O_DIRECTORY of ROOT/ID (the lock lives on it) */
        char root[PATH_MAX];
        char id[STATE_ID_MAX + 1];
};

#define STATE_DIR_INIT                                                                             \
        {                                                                                          \
                .dirfd = -1                                                                        \
        }

/* Letters, digits, '_', '+', '-', '.'; not "." or ".."; 1..STATE_ID_MAX. */
int state_validate_id(const char *id, struct berr *err);

/* Make ROOT/ID atomically (a locked temp directory holding a "creating"
 * state.json, renamed into place with RENAME_NOREPLACE). Fails with
 * "container with id exists: ID" (-EEXIST). The lock is held on return. */
int state_create(const char *root, const struct container_state *st, struct state_dir *sd,
                 struct berr *err);

enum state_lock { STATE_LOCK_NONE, STATE_LOCK_SHARED, STATE_LOCK_EXCLUSIVE };

/* Open ROOT/ID and take LOCK (blocking). Unknown id:
 * `container "ID" does not exist` (-ENOENT). */
int state_open(const char *root, const char *id, enum state_lock lock, struct state_dir *sd,
               struct berr *err);
/* True when another process holds the lock (a create in progress). */
bool state_is_locked_by_other(const struct state_dir *sd);
void state_close(struct state_dir *sd);

int state_read(const struct state_dir *sd, struct container_state *st, struct berr *err);
int state_write(const struct state_dir *sd, const struct container_state *st, struct berr *err);
/* Remove every file of the directory and the directory; the lock goes with it. */
int state_remove(struct state_dir *sd, struct berr *err);
void state_clear(struct container_state *st); /* frees annotations */

/* Ids under ROOT (sorted, malloc'd NULL-terminated array). A missing ROOT is empty. */
int state_list_ids(const char *root, char ***ids, struct berr *err);

/* ---- liveness ---- */

/* Start time (field 22) and state letter of /proc/PID/stat; -ESRCH when gone. */
int proc_stat_start_time(pid_t pid, uint64_t *start_time, char *state_letter);
/* The recorded init still exists (same start time) and is not a zombie. */
bool state_init_alive(const struct container_state *st);
/* pidfd of the recorded init, verified against the start time after it was
 * opened (so it can never name a recycled pid). -ESRCH when gone. */
int state_open_init_pidfd(const struct container_state *st, struct berr *err);
/* The recorded status corrected for liveness: STOPPED once init is gone or
 * a create died half-way. Never PAUSED (see container_status()). */
enum container_status state_live_status(const struct state_dir *sd,
                                        const struct container_state *st);

/* The OCI state JSON (plus runc's rootfs/created/owner) with STATUS;
 * malloc'd, pretty when INDENT. */
char *state_to_oci_json(const struct container_state *st, enum container_status status,
                        bool indent);

/* Now in RFC 3339 UTC with nanoseconds. */
void state_now_rfc3339(char *buf, size_t size);

#endif
