/* Idmapped mounts. The user namespace is made by a short-lived child that
 * unshares CLONE_NEWUSER and hands its /proc/self directory back over a
 * socket (SCM_RIGHTS): berth may be in a new pid namespace while /proc is
 * still the host's, so a pid could not name the child. berth writes the maps
 * through that directory fd, opens ns/user, and lets the child go. */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootfs.h"
#include "rootfs_steps.h"

/* Detached idmapped trees made by rootfs_premount() in the launcher's
 * parent, by index in config.mounts; the child inherits the fds. */
#define PREMADE_MAX 256
static int premade[PREMADE_MAX];
static size_t n_premade;

static int send_fd(int sock, int fd)
{
        char c = 0;
        struct iovec iov = {.iov_base = &c, .iov_len = 1};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof(int));
        return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
        char c;
        struct iovec iov = {.iov_base = &c, .iov_len = 1};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        int fd = -1;

        if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
                return -1;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        if (!cm || cm->cmsg_type != SCM_RIGHTS)
                return -1;
        memcpy(&fd, CMSG_DATA(cm), sizeof(int));
        return fd;
}

static int write_map(int procfd, const char *file, const struct oci_idmap_list *l, struct berr *err)
{
        char buf[4096];
        size_t n = 0;

        for (size_t i = 0; i < l->len && n < sizeof(buf); i++)
                n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%u %u %u\n",
                                      l->items[i].container_id, l->items[i].host_id,
                                      l->items[i].size);
        if (n >= sizeof(buf))
                return berr_fail(err, E2BIG, "idmapped mount: too many mappings");
        _cleanup_close_ int fd = openat(procfd, file, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, buf, n) != (ssize_t)n)
                return berr_sys(err, "idmapped mount: write %s", file);
        return 0;
}

int idmap_userns_fd(const struct oci_idmap_list *uids, const struct oci_idmap_list *gids,
                    struct berr *err)
{
        int sv[2];

        if (uids->len == 0 || gids->len == 0)
                return berr_fail(err, EINVAL,
                                 "idmapped mount: no uid/gid mappings (on the mount or the "
                                 "container's user namespace)");
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return berr_sys(err, "idmapped mount: socketpair");
        pid_t pid = fork();
        if (pid < 0) {
                close(sv[0]);
                close(sv[1]);
                return berr_sys(err, "idmapped mount: fork");
        }
        if (pid == 0) {
                char c;
                close(sv[0]);
                int self = -1;
                if (unshare(CLONE_NEWUSER) == 0)
                        self = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (self < 0 || send_fd(sv[1], self) < 0)
                        _exit(1);
                /* Stay alive (and so keep the namespace) until berth holds it. */
                ssize_t r = read(sv[1], &c, 1);
                _exit(r < 0 ? 1 : 0);
        }
        close(sv[1]);
        _cleanup_close_ int sock = sv[0];
        _cleanup_close_ int procfd = recv_fd(sock);
        int nsfd = -1;
        if (procfd < 0) {
                berr_fail(err, EPERM, "idmapped mount: could not create a user namespace");
        } else if (write_map(procfd, "uid_map", uids, err) == 0 &&
                   write_map(procfd, "gid_map", gids, err) == 0) {
                nsfd = openat(procfd, "ns/user", O_RDONLY | O_CLOEXEC);
                if (nsfd < 0)
                        berr_sys(err, "idmapped mount: open the user namespace");
        }
        sock = safe_close(sock);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        return nsfd;
}

int idmap_attach(int tree, int dstfd, const char *what, struct berr *err)
{
        if (move_mount(tree, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(err, "idmapped mount %s", what);
        return 0;
}

int idmap_make_tree(const struct rootfs_ctx *ctx, const struct oci_mount *m, struct berr *err)
{
        const struct oci_linux *l = &ctx->cfg->lnx;
        const struct oci_mount_flags *pf = &m->parsed;
        bool own = m->uid_mappings.len > 0;
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
        bool rec_map = pf->recursive && pf->idmap_recursive;

        _cleanup_close_ int ns = idmap_userns_fd(own ? &m->uid_mappings : &l->uid_mappings,
                                                 own ? &m->gid_mappings : &l->gid_mappings, err);
        if (ns < 0)
                return berr_wrap(err, "mount %s", m->destination);
        _cleanup_close_ int src = mount_open_bind_source(ctx, m, err);
        if (src < 0)
                return src;
        _cleanup_close_ int tree = open_tree(src, "", flags | (pf->recursive ? AT_RECURSIVE : 0));
        if (tree < 0)
                return berr_sys(err, "idmapped mount %s: open_tree", m->destination);
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns};
        if (mount_setattr(tree, "", AT_EMPTY_PATH | (rec_map ? AT_RECURSIVE : 0), &attr,
                          sizeof(attr)) < 0) {
                if (errno == ENOSYS)
                        return berr_fail(err, ENOSYS,
                                         "idmapped mount %s: needs mount_setattr (Linux 5.12 or "
                                         "newer), which this kernel lacks",
                                         m->destination);
                return berr_sys(err,
                                "idmapped mount %s (does the filesystem support idmapped "
                                "mounts?)",
                                m->destination);
        }
        return steal_fd(&tree);
}

int rootfs_premount(const struct rootfs_ctx *ctx, struct berr *err)
{
        const struct oci_config *cfg = ctx->cfg;

        rootfs_premount_release();
        for (size_t i = 0; i < cfg->n_mounts && i < PREMADE_MAX; i++) {
                premade[i] = -1;
                n_premade = i + 1;
                if (!cfg->mounts[i].parsed.idmap || !cfg->mounts[i].parsed.bind)
                        continue;
                premade[i] = idmap_make_tree(ctx, &cfg->mounts[i], err);
                if (premade[i] < 0) {
                        premade[i] = -1;
                        rootfs_premount_release();
                        return err->status;
                }
        }
        return 0;
}

void rootfs_premount_release(void)
{
        for (size_t i = 0; i < n_premade; i++)
                premade[i] = safe_close(premade[i]);
        n_premade = 0;
}

int idmap_take_premade(size_t index)
{
        if (index >= n_premade)
                return -1;
        int fd = premade[index];
        premade[index] = -1;
        return fd;
}
