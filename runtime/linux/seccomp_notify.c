/* Handing the seccomp notify fd to the listener at linux.seccomp.listenerPath:
 * one message on a unix stream socket carrying the runtime-spec's
 * containerProcessState JSON, with the fd as SCM_RIGHTS. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "seccomp.h"
#include "seccomp_internal.h"
#include "version.h"

#define STATE_MAX_BYTES (1u << 20)

/* Connect to PATH; a path longer than sun_path goes through an O_PATH fd
 * of its directory. */
int seccomp_listener_connect(const struct oci_seccomp *sc, struct berr *err)
{
        _cleanup_close_ int fd = -1, dirfd = -1;
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        const char *path = sc->listener_path;

        if (!path || !path[0])
                return berr_fail(err, EINVAL, "linux.seccomp.listenerPath: not set");

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(err, "seccomp listener: socket");
        if (strlen(path) < sizeof(addr.sun_path)) {
                strcpy(addr.sun_path, path);
        } else {
                _cleanup_free_ char *dcopy = strdup(path), *bcopy = strdup(path);

                if (!dcopy || !bcopy)
                        return berr_fail(err, ENOMEM, "seccomp listener: out of memory");
                dirfd = open(dirname(dcopy), O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0)
                        return berr_sys(err, "seccomp listener: open the directory of %s", path);
                if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s",
                                     dirfd, basename(bcopy)) >= sizeof(addr.sun_path))
                        return berr_fail(err, ENAMETOOLONG, "seccomp listener: %s: name too long",
                                         path);
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return berr_sys(err, "seccomp listener: connect to %s", path);
        return steal_fd(&fd);
}

/* The containerProcessState message; the pid comes from the state. */
static int build_message(const struct oci_seccomp *sc, const char *state_json, char **out,
                         struct berr *err)
{
        yajl_val state = NULL;
        _cleanup_free_ char *metadata = NULL;
        const char *md = sc->listener_metadata ? sc->listener_metadata : "";
        size_t md_size = strlen(md) * 6 + 1;
        int64_t pid = 0;
        int r;

        r = json_parse(state_json, strlen(state_json), &state, err);
        if (r < 0)
                return berr_wrap(err, "seccomp listener: container state");
        if (json_get(state, "pid") &&
            json_expect_i64(json_get(state, "pid"), ".pid", &pid, err) < 0) {
                yajl_tree_free(state);
                return berr_wrap(err, "seccomp listener: container state");
        }
        yajl_tree_free(state);

        metadata = malloc(md_size);
        if (!metadata)
                return berr_fail(err, ENOMEM, "seccomp listener: out of memory");
        json_escape(metadata, md_size, md);
        if (asprintf(out,
                     "{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%lld,"
                     "\"metadata\":\"%s\",\"state\":%s}",
                     BERTH_OCI_SPEC_VERSION, (long long)pid, metadata, state_json) < 0)
                return berr_fail(err, ENOMEM, "seccomp listener: out of memory");
        return 0;
}

static int send_with_fd(int sock, const char *msg, size_t len, int fd, struct berr *err)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control = {0};
        struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof(control.buf)};
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        ssize_t n;

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        do
                n = sendmsg(sock, &mh, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return berr_sys(err, "seccomp listener: send the notify fd");
        /* The fd went with the first byte; a stream may take the rest later. */
        for (size_t sent = (size_t)n; sent < len; sent += (size_t)n) {
                n = send(sock, msg + sent, len - sent, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR) {
                        n = 0;
                        continue;
                }
                if (n < 0)
                        return berr_sys(err, "seccomp listener: send the state");
        }
        return 0;
}

int seccomp_send_on(int sock, const struct oci_seccomp *sc, int notify_fd, const char *state_json,
                    struct berr *err)
{
        _cleanup_free_ char *msg = NULL;
        int r;

        if (notify_fd < 0)
                return berr_fail(err, EBADF, "seccomp listener: no notify fd");
        r = build_message(sc, state_json, &msg, err);
        if (r < 0)
                return r;
        r = send_with_fd(sock, msg, strlen(msg), notify_fd, err);
        if (r < 0)
                return berr_wrap(err, "seccomp listener %s", sc->listener_path);
        log_debug("seccomp: sent the notify fd to %s", sc->listener_path);
        return 0;
}
