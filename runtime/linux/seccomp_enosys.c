/* The ENOSYS stub put in front of a compiled filter: a syscall whose number
 * is above the highest one the profile names (for its architecture) gets
 * ENOSYS instead of the default action, so that programs fall back from
 * syscalls newer than the profile (clone3 -> clone, ...) as on an older
 * kernel. runc behaves the same way; this stub is berth's own. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>

#include "seccomp_internal.h"

#define X32_SYSCALL_BIT 0x40000000u
#define FILTER_LABEL (-1)
#define ENOSYS_LABEL (-2)

bool seccomp_wants_enosys_stub(const struct oci_seccomp *sc)
{
        switch (sc->default_action) {
        case OCI_SECCOMP_ALLOW:
        case OCI_SECCOMP_LOG:
        case OCI_SECCOMP_TRACE: /* a tracer answers unknown syscalls itself */
                return false;
        default:
                break;
        }
        if (sc->default_errno_ret.set && sc->default_errno_ret.value == ENOSYS)
                return false;
        return true;
}

struct stub_builder {
        struct sock_filter *insns;
        size_t len;
        size_t enosys_at; /* index of the ENOSYS return */
        size_t filter_at; /* index of the first instruction of the filter */
};

static bool has_section(const struct seccomp_arch_max *a)
{
        return a->max >= 0 || a->x32_max >= 0;
}

static size_t section_len(const struct seccomp_arch_max *a)
{
        /* ld nr; [jset x32;] jgt [; jgt x32] */
        if (a->audit_arch == AUDIT_ARCH_X86_64)
                return a->max >= 0 && a->x32_max >= 0 ? 4 : 3;
        return 2;
}

static uint8_t jump_to(const struct stub_builder *b, size_t from, long target)
{
        size_t to = target == FILTER_LABEL   ? b->filter_at
                    : target == ENOSYS_LABEL ? b->enosys_at
                                             : (size_t)target;

        return (uint8_t)(to - from - 1); /* the stub is short: always < 256 */
}

static void emit_jump(struct stub_builder *b, uint16_t code, uint32_t k, long jt, long jf)
{
        size_t at = b->len++;

        b->insns[at] = (struct sock_filter)BPF_JUMP(code, k, 0, 0);
        b->insns[at].jt = jump_to(b, at, jt);
        b->insns[at].jf = jump_to(b, at, jf);
}

static void emit_section(struct stub_builder *b, const struct seccomp_arch_max *a)
{
        b->insns[b->len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                          offsetof(struct seccomp_data, nr));
        if (a->audit_arch != AUDIT_ARCH_X86_64) {
                emit_jump(b, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max, ENOSYS_LABEL,
                          FILTER_LABEL);
                return;
        }
        /* x86_64 and x32 share the audit arch; x32 numbers have bit 30 set. */
        if (a->max >= 0 && a->x32_max >= 0) {
                size_t x32_check = b->len + 2;

                emit_jump(b, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, (long)x32_check,
                          (long)b->len + 1);
                emit_jump(b, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max, ENOSYS_LABEL,
                          FILTER_LABEL);
                emit_jump(b, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->x32_max, ENOSYS_LABEL,
                          FILTER_LABEL);
        } else if (a->max >= 0) {
                emit_jump(b, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, FILTER_LABEL,
                          (long)b->len + 1);
                emit_jump(b, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max, ENOSYS_LABEL,
                          FILTER_LABEL);
        } else {
                emit_jump(b, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, (long)b->len + 1,
                          FILTER_LABEL);
                emit_jump(b, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->x32_max, ENOSYS_LABEL,
                          FILTER_LABEL);
        }
}

/* Layout:
 *   ld arch; jeq A1 -> S1; jeq A2 -> S2; ...; ja filter
 *   S1: ld nr; jgt max1 -> enosys, filter
 *   ...
 *   enosys: ret ERRNO(ENOSYS)
 *   filter: (the libseccomp program, which checks the arch again) */
int seccomp_enosys_stub(const struct seccomp_arch_max *arches, size_t n, struct sock_filter **out,
                        size_t *out_len, struct berr *err)
{
        struct stub_builder b = {0};
        size_t sections = 0, total, at;
        size_t starts[16];

        *out = NULL;
        *out_len = 0;
        if (n > sizeof(starts) / sizeof(starts[0]))
                return berr_fail(err, E2BIG, "seccomp: too many architectures");
        for (size_t i = 0; i < n; i++)
                sections += has_section(&arches[i]);
        if (sections == 0)
                return 0;

        at = 1 + sections + 1; /* ld arch, the jeq chain, ja filter */
        for (size_t i = 0; i < n; i++) {
                if (!has_section(&arches[i]))
                        continue;
                starts[i] = at;
                at += section_len(&arches[i]);
        }
        b.enosys_at = at;
        total = at + 1;
        b.filter_at = total;
        b.insns = calloc(total, sizeof(*b.insns));
        if (!b.insns)
                return berr_fail(err, ENOMEM, "seccomp: out of memory");

        b.insns[b.len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                        offsetof(struct seccomp_data, arch));
        for (size_t i = 0; i < n; i++)
                if (has_section(&arches[i]))
                        emit_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, arches[i].audit_arch,
                                  (long)starts[i], (long)b.len + 1);
        b.insns[b.len] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0);
        b.insns[b.len].k = (uint32_t)(b.filter_at - b.len - 1);
        b.len++;
        for (size_t i = 0; i < n; i++)
                if (has_section(&arches[i]))
                        emit_section(&b, &arches[i]);
        b.insns[b.len++] =
            (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);

        *out = b.insns;
        *out_len = b.len;
        return 0;
}
