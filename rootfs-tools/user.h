/* The image config's User ("name", "uid", "uid:gid", "name:group", ...)
 * resolved through the unpacked image's /etc/passwd and /etc/group, read
 * through the safe resolution inside the rootfs. */
#ifndef BERTH_UNPACK_USER_H
#define BERTH_UNPACK_USER_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct resolved_user {
        uid_t uid;
        gid_t gid;
        gid_t *additional; /* supplementary groups from /etc/group */
        size_t n_additional;
};

/* USER may be NULL or "" (root). Names that the files lack are errors;
 * a numeric uid missing from /etc/passwd gets gid 0 unless given. */
int user_resolve(int rootfd, const char *user, struct resolved_user *out, struct berr *err);
void resolved_user_free(struct resolved_user *u);

/* Parse the text of /etc/passwd or /etc/group (for tests and fuzzing):
 * find NAME (or, when NAME is NULL, the numeric ID) and return its fields. */
int passwd_lookup(const char *text, const char *name, long id, uid_t *uid, gid_t *gid);
int group_lookup(const char *text, const char *name, long id, gid_t *gid);

#endif
