/* Name <-> value tables of the OCI config shared by the parser, `berth
 * features` and the runtime: namespaces, hooks, rlimits, capabilities,
 * signals, seccomp actions/operators/flags and mount options. */
#ifndef BERTH_OCI_NAMES_H
#define BERTH_OCI_NAMES_H

#include <stddef.h>

#include "config.h"

struct oci_name_value {
        const char *name;
        long value;
};

/* enum oci_ns_type for "pid", "network", ..., or -1. */
int oci_ns_from_name(const char *name);
/* RLIMIT_* for "RLIMIT_NOFILE", ..., or -1. */
int oci_rlimit_from_name(const char *name);
/* CAP_* number for "CAP_SYS_ADMIN" (libcap's names, "CAP_" required), or -1. */
int oci_cap_from_name(const char *name);
/* Signal number for "KILL", "SIGKILL", "9", "SIGRTMIN+3", "RTMAX-1", or -1. */
int oci_signal_from_name(const char *name);

/* Seccomp names as the config spells them, value = enum oci_seccomp_*. */
extern const struct oci_name_value oci_seccomp_actions[];
extern const size_t oci_n_seccomp_actions;
extern const struct oci_name_value oci_seccomp_ops[];
extern const size_t oci_n_seccomp_ops;
extern const struct oci_name_value oci_seccomp_flags[];
extern const size_t oci_n_seccomp_flags;
/* The SCMP_ARCH_* names the parser accepts (libseccomp resolves them). */
extern const char *const oci_seccomp_archs[];
extern const size_t oci_n_seccomp_archs;
/* Lookup in one of the tables above: the value, or -1. */
long oci_name_lookup(const struct oci_name_value *table, size_t n, const char *name);

/* Every mount option oci_mount_options_parse() knows (for `features`). */
extern const char *const oci_mount_option_names[];
extern const size_t oci_n_mount_option_names;

/* Digest OPTIONS (of a mount of TYPE, may be NULL) into FLAGS; PATH names
 * the options array in errors. Unknown options become filesystem data. */
int oci_mount_options_parse(const struct oci_strv *options, const char *type,
                            struct oci_mount_flags *flags, const char *path, struct berr *err);

#endif
