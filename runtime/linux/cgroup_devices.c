/* linux.resources.devices on cgroup v2: the rules (the spec's plus the
 * standard allowed set runc/crun add on v2) compiled by hand into a
 * BPF_PROG_TYPE_CGROUP_DEVICE program, loaded with bpf(2) and attached to the
 * container's cgroup with BPF_F_ALLOW_MULTI. An update swaps it atomically
 * with BPF_F_REPLACE. Later rules win, as with the v1 devices.allow/deny
 * lists; anything no rule matches is denied. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "log.h"

#define ACC_M BPF_DEVCG_ACC_MKNOD
#define ACC_R BPF_DEVCG_ACC_READ
#define ACC_W BPF_DEVCG_ACC_WRITE
#define ACC_ALL (ACC_M | ACC_R | ACC_W)

/* The devices every container may use (runc's and crun's list on v2). */
static const struct oci_device_rule default_rules[] = {
    {true, 'c', {false, 0}, {false, 0}, "m"},    /* mknod of any char device */
    {true, 'b', {false, 0}, {false, 0}, "m"},    /* mknod of any block device */
    {true, 'c', {true, 1}, {true, 3}, "rwm"},    /* /dev/null */
    {true, 'c', {true, 1}, {true, 8}, "rwm"},    /* /dev/random */
    {true, 'c', {true, 1}, {true, 7}, "rwm"},    /* /dev/full */
    {true, 'c', {true, 5}, {true, 0}, "rwm"},    /* /dev/tty */
    {true, 'c', {true, 1}, {true, 5}, "rwm"},    /* /dev/zero */
    {true, 'c', {true, 1}, {true, 9}, "rwm"},    /* /dev/urandom */
    {true, 'c', {true, 136}, {false, 0}, "rwm"}, /* /dev/pts/N */
    {true, 'c', {true, 5}, {true, 2}, "rwm"},    /* /dev/ptmx */
    {true, 'c', {true, 10}, {true, 200}, "rwm"}, /* /dev/net/tun */
};

#define INSN(c, d, s, o, i)                                                                        \
        ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_W | BPF_MEM, d, s, o, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32_IMM(d, i) INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define AND32_IMM(d, i) INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define RSH32_IMM(d, i) INSN(BPF_ALU | BPF_RSH | BPF_K, d, 0, 0, i)
/* 32-bit compares: majors and minors are u32 in the context */
#define JNE_IMM(d, i, o) INSN(BPF_JMP32 | BPF_JNE | BPF_K, d, 0, o, i)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP32 | BPF_JEQ | BPF_K, d, 0, o, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers: r2 device type, r3 requested access, r4 major, r5 minor, r6 scratch. */

struct prog {
        struct bpf_insn *insns;
        size_t n, cap;
};

static int emit(struct prog *p, struct bpf_insn insn, struct berr *err)
{
        if (p->n == p->cap) {
                size_t nc = p->cap ? p->cap * 2 : 64;
                struct bpf_insn *ni = realloc(p->insns, nc * sizeof(*ni));
                if (!ni)
                        return berr_fail(err, ENOMEM, "cgroup: out of memory");
                p->insns = ni;
                p->cap = nc;
        }
        p->insns[p->n++] = insn;
        return 0;
}

static int access_bits(const char *access, unsigned *out, struct berr *err)
{
        unsigned bits = 0;

        for (const char *a = access; *a; a++) {
                switch (*a) {
                case 'r':
                        bits |= ACC_R;
                        break;
                case 'w':
                        bits |= ACC_W;
                        break;
                case 'm':
                        bits |= ACC_M;
                        break;
                default:
                        return berr_fail(err, EINVAL, "linux.resources.devices: invalid access %s",
                                         access);
                }
        }
        *out = bits ? bits : ACC_ALL; /* empty access means "rwm", as runc */
        return 0;
}

/* One rule: a run of "if mismatch goto next" checks, then return allow/deny. */
static int emit_rule(struct prog *p, const struct oci_device_rule *r, struct berr *err)
{
        size_t start = p->n;
        unsigned acc = ACC_ALL;

        if (access_bits(r->access, &acc, err) < 0)
                return err->status;
        if (r->type == 'c' || r->type == 'b') {
                int t = r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
                if (emit(p, JNE_IMM(2, t, 0), err) < 0)
                        return err->status;
        } else if (r->type != 'a') {
                return berr_fail(err, EINVAL, "linux.resources.devices: invalid type %c", r->type);
        }
        if (acc != ACC_ALL || !r->allow) {
                /* allow: every requested bit is allowed; deny: any requested bit is denied */
                if (emit(p, MOV32_REG(6, 3), err) < 0 ||
                    emit(p, AND32_IMM(6, r->allow ? (int)(~acc & ACC_ALL) : (int)acc), err) < 0 ||
                    emit(p, r->allow ? JNE_IMM(6, 0, 0) : JEQ_IMM(6, 0, 0), err) < 0)
                        return err->status;
        }
        if (r->major.set) {
                if (r->major.value < 0 || r->major.value > 0xffffffffLL)
                        return berr_fail(err, EINVAL, "linux.resources.devices: invalid major");
                if (emit(p, JNE_IMM(4, (int32_t)(uint32_t)r->major.value, 0), err) < 0)
                        return err->status;
        }
        if (r->minor.set) {
                if (r->minor.value < 0 || r->minor.value > 0xffffffffLL)
                        return berr_fail(err, EINVAL, "linux.resources.devices: invalid minor");
                if (emit(p, JNE_IMM(5, (int32_t)(uint32_t)r->minor.value, 0), err) < 0)
                        return err->status;
        }
        if (emit(p, MOV32_IMM(0, r->allow ? 1 : 0), err) < 0 || emit(p, EXIT(), err) < 0)
                return err->status;
        /* every conditional jump of the block goes to the next block */
        for (size_t i = start; i < p->n - 2; i++)
                if (BPF_CLASS(p->insns[i].code) == BPF_JMP32)
                        p->insns[i].off = (int16_t)(p->n - (i + 1));
        return 0;
}

static bool is_wildcard_all(const struct oci_device_rule *r)
{
        unsigned acc = 0;
        struct berr ignored = {0};

        return r->type == 'a' && !r->major.set && !r->minor.set &&
               access_bits(r->access, &acc, &ignored) == 0 && acc == ACC_ALL;
}

int cgroup_devices_compile(const struct oci_device_rule *rules, size_t n, bool add_defaults,
                           struct bpf_insn **out, size_t *n_insns, struct berr *err)
{
        struct prog p = {0};
        size_t nd = add_defaults ? sizeof(default_rules) / sizeof(default_rules[0]) : 0;

        if (n + nd > 4000)
                return berr_fail(err, E2BIG, "linux.resources.devices: too many rules");
        /* prologue: unpack struct bpf_cgroup_dev_ctx */
        if (emit(&p, LDX_W(2, 1, 0), err) < 0 || emit(&p, AND32_IMM(2, 0xffff), err) < 0 ||
            emit(&p, LDX_W(3, 1, 0), err) < 0 || emit(&p, RSH32_IMM(3, 16), err) < 0 ||
            emit(&p, LDX_W(4, 1, 4), err) < 0 || emit(&p, LDX_W(5, 1, 8), err) < 0)
                goto fail;
        /* The standard set goes right after the spec's last "a *:* rwm" rule
         * (usually its first, "deny all"), so it survives that reset while
         * a later rule of the spec (deny /dev/null) still wins over it. */
        size_t split = 0;
        for (size_t i = 0; i < n; i++)
                if (is_wildcard_all(&rules[i]))
                        split = i + 1;
        /* the last matching rule decides: test from the end backwards */
        for (size_t i = n; i-- > split;)
                if (emit_rule(&p, &rules[i], err) < 0)
                        goto fail;
        for (size_t i = nd; i-- > 0;)
                if (emit_rule(&p, &default_rules[i], err) < 0)
                        goto fail;
        for (size_t i = split; i-- > 0;)
                if (emit_rule(&p, &rules[i], err) < 0)
                        goto fail;
        if (emit(&p, MOV32_IMM(0, 0), err) < 0 || emit(&p, EXIT(), err) < 0)
                goto fail;
        *out = p.insns;
        *n_insns = p.n;
        return 0;
fail:
        free(p.insns);
        return err->status;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
        return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load_program(const struct bpf_insn *insns, size_t n, struct berr *err)
{
        static char log[16384];
        union bpf_attr attr;
        int fd;

        memset(&attr, 0, sizeof(attr));
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t)(uintptr_t)insns;
        attr.insn_cnt = (uint32_t)n;
        attr.license = (uint64_t)(uintptr_t) "GPL";
        strncpy(attr.prog_name, "berth_devices", sizeof(attr.prog_name) - 1);
        fd = sys_bpf(BPF_PROG_LOAD, &attr);
        if (fd >= 0)
                return fd;
        /* retry with the verifier log for the error message */
        log[0] = '\0';
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = sizeof(log);
        attr.log_level = 1;
        fd = sys_bpf(BPF_PROG_LOAD, &attr);
        if (fd >= 0)
                return fd;
        return berr_sys(err, "cgroup: load the device BPF program (%zu instructions)%s%.300s", n,
                        log[0] ? "; verifier: " : "", log);
}

/* Ids of the device programs attached directly to the cgroup. */
static int query_attached(int dirfd, uint32_t *ids, uint32_t *count, struct berr *err)
{
        union bpf_attr attr;

        memset(&attr, 0, sizeof(attr));
        attr.query.target_fd = (uint32_t)dirfd;
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
        attr.query.prog_cnt = *count;
        if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
                return berr_sys(err, "cgroup: query the device BPF programs");
        *count = attr.query.prog_cnt;
        return 0;
}

static int prog_fd_by_id(uint32_t id)
{
        union bpf_attr attr;

        memset(&attr, 0, sizeof(attr));
        attr.prog_id = id;
        return sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
}

int cgroup_devices_apply(int dirfd, const struct oci_device_rule *rules, size_t n, struct berr *err)
{
        _cleanup_free_ struct bpf_insn *insns = NULL;
        _cleanup_close_ int prog = -1;
        _cleanup_close_ int old = -1;
        uint32_t ids[64];
        uint32_t count = 64;
        size_t n_insns;
        union bpf_attr attr;

        if (cgroup_devices_compile(rules, n, true, &insns, &n_insns, err) < 0)
                return err->status;
        prog = load_program(insns, n_insns, err);
        if (prog < 0)
                return err->status;
        if (query_attached(dirfd, ids, &count, err) < 0)
                return err->status;
        if (count > 64)
                count = 64;

        memset(&attr, 0, sizeof(attr));
        attr.target_fd = (uint32_t)dirfd;
        attr.attach_bpf_fd = (uint32_t)prog;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        if (count > 0) {
                /* swap the first old program for the new one in one step */
                old = prog_fd_by_id(ids[0]);
                if (old < 0)
                        return berr_sys(err, "cgroup: open device BPF program %u", ids[0]);
                attr.attach_flags |= BPF_F_REPLACE;
                attr.replace_bpf_fd = (uint32_t)old;
        }
        if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
                return berr_sys(err, "cgroup: attach the device BPF program");
        /* any further old programs (not berth's way, but possible) go too */
        for (uint32_t i = 1; i < count; i++) {
                _cleanup_close_ int fd = prog_fd_by_id(ids[i]);
                if (fd < 0)
                        continue;
                memset(&attr, 0, sizeof(attr));
                attr.target_fd = (uint32_t)dirfd;
                attr.attach_bpf_fd = (uint32_t)fd;
                attr.attach_type = BPF_CGROUP_DEVICE;
                if (sys_bpf(BPF_PROG_DETACH, &attr) < 0)
                        log_warn("cgroup: detach old device BPF program %u: %s", ids[i],
                                 strerror(errno));
        }
        return 0;
}

int cgroup_devices_count(int dirfd, uint32_t *count, struct berr *err)
{
        uint32_t ids[64];

        *count = 64;
        return query_attached(dirfd, ids, count, err);
}
