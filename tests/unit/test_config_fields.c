/* Every field of the config model, read from tests/unit/data/full_config.json
 * (all of runtime-spec 1.2's Linux fields set) and checked one by one. */
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <linux/capability.h>
#include <linux/mempolicy.h>

#include "config_helpers.h"

#define DATA_DIR "tests/unit/data/"

static struct oci_config *cfg;

static int load_full(void **state)
{
        struct berr err = {0};
        (void)state;
        if (oci_config_load(DATA_DIR "full_config.json", &cfg, &err) < 0) {
                fprintf(stderr, "load: %s\n", err.msg);
                return -1;
        }
        return 0;
}

static int free_full(void **state)
{
        (void)state;
        oci_config_free(cfg);
        return 0;
}

#define BIT(c) (UINT64_C(1) << (c))

static void top_level(void **state)
{
        (void)state;
        assert_string_equal(cfg->oci_version, "1.2.1");
        assert_true(cfg->has_root);
        assert_string_equal(cfg->root.path, "/bundle/rootfs");
        assert_true(cfg->root.readonly);
        assert_string_equal(cfg->hostname, "box");
        assert_string_equal(cfg->domainname, "example.org");
        assert_int_equal(cfg->annotations.len, 2);
        assert_string_equal(cfg->annotations.items[0].key, "com.example.key1");
        assert_string_equal(cfg->annotations.items[0].value, "value1");
        assert_string_equal(cfg->annotations.items[1].value, "value2");
        assert_true(cfg->has_linux);
}

static void process(void **state)
{
        const struct oci_process *p = cfg->process;
        (void)state;
        assert_non_null(p);
        assert_true(p->terminal);
        assert_true(p->has_console_size);
        assert_int_equal(p->console_height, 25);
        assert_int_equal(p->console_width, 80);
        assert_int_equal(p->user.uid, 1000);
        assert_int_equal(p->user.gid, 100);
        assert_true(p->user.umask.set);
        assert_int_equal(p->user.umask.value, 022);
        assert_int_equal(p->user.n_additional_gids, 3);
        assert_int_equal(p->user.additional_gids[0], 5);
        assert_int_equal(p->user.additional_gids[2], 4294967295u);
        assert_string_equal(p->user.username, "me");
        assert_int_equal(p->args.len, 3);
        assert_string_equal(p->args.items[2], "echo hi");
        assert_null(p->args.items[3]);
        assert_int_equal(p->env.len, 3);
        assert_string_equal(p->env.items[2], "EMPTY=");
        assert_null(p->env.items[3]);
        assert_string_equal(p->cwd, "/work");
        assert_true(p->capabilities.set);
        assert_int_equal(p->capabilities.bounding, BIT(CAP_AUDIT_WRITE) | BIT(CAP_KILL));
        assert_int_equal(p->capabilities.effective, BIT(CAP_KILL));
        assert_int_equal(p->capabilities.inheritable, 0);
        assert_int_equal(p->capabilities.permitted, BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE));
        assert_int_equal(p->capabilities.ambient, BIT(40));
        assert_int_equal(p->n_rlimits, 2);
        assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
        assert_string_equal(p->rlimits[0].type, "RLIMIT_NOFILE");
        assert_int_equal(p->rlimits[0].hard, 1024);
        assert_int_equal(p->rlimits[0].soft, 512);
        assert_int_equal(p->rlimits[1].resource, RLIMIT_CORE);
        assert_true(p->rlimits[1].hard == UINT64_MAX);
        assert_true(p->no_new_privileges);
        assert_string_equal(p->apparmor_profile, "aa-profile");
        assert_true(p->oom_score_adj.set);
        assert_int_equal(p->oom_score_adj.value, -500);
        assert_string_equal(p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
        assert_true(p->io_priority.set);
        assert_int_equal(p->io_priority.class, 2);
        assert_int_equal(p->io_priority.priority, 4);
        assert_true(p->scheduler.set);
        assert_int_equal(p->scheduler.policy, SCHED_DEADLINE);
        assert_int_equal(p->scheduler.nice, -5);
        assert_int_equal(p->scheduler.priority, 0);
        assert_int_equal(p->scheduler.flags, SCHED_FLAG_RESET_ON_FORK | SCHED_FLAG_RECLAIM);
        assert_int_equal(p->scheduler.runtime, 10000000);
        assert_int_equal(p->scheduler.deadline, 20000000);
        assert_int_equal(p->scheduler.period, 30000000);
        assert_string_equal(p->exec_cpu_affinity.initial, "0-3,7");
        assert_string_equal(p->exec_cpu_affinity.final, "1");
}

static void mounts(void **state)
{
        (void)state;
        assert_int_equal(cfg->n_mounts, 4);
        const struct oci_mount *m = &cfg->mounts[0];
        assert_string_equal(m->destination, "/proc");
        assert_string_equal(m->type, "proc");
        assert_string_equal(m->source, "proc");
        assert_int_equal(m->options.len, 0);
        assert_null(m->parsed.data);
        assert_false(m->parsed.bind);

        m = &cfg->mounts[1];
        assert_int_equal(m->options.len, 4);
        assert_int_equal(m->parsed.flags, MS_NOSUID | MS_STRICTATIME);
        assert_string_equal(m->parsed.data, "mode=755,size=65536k");

        m = &cfg->mounts[2];
        assert_string_equal(m->destination, "/data"); /* relative made absolute */
        assert_true(m->parsed.bind);
        assert_true(m->parsed.recursive);
        assert_int_equal(m->parsed.flags, MS_RDONLY | MS_NOSUID | MS_NODEV);
        assert_int_equal(m->parsed.propagation, MS_PRIVATE | MS_REC);
        assert_int_equal(m->parsed.attr_set, MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOATIME);
        assert_int_equal(m->parsed.attr_clr, MOUNT_ATTR__ATIME);
        assert_null(m->parsed.data);

        m = &cfg->mounts[3];
        assert_true(m->parsed.bind);  /* type "bind" */
        assert_true(m->parsed.idmap); /* implied by the mappings */
        assert_int_equal(m->uid_mappings.len, 1);
        assert_int_equal(m->uid_mappings.items[0].container_id, 0);
        assert_int_equal(m->uid_mappings.items[0].host_id, 100000);
        assert_int_equal(m->uid_mappings.items[0].size, 65536);
        assert_int_equal(m->gid_mappings.len, 1);
}

static void hooks(void **state)
{
        (void)state;
        const struct oci_hook_list *h = cfg->hooks;
        assert_int_equal(h[OCI_HOOK_PRESTART].len, 1);
        assert_string_equal(h[OCI_HOOK_PRESTART].items[0].path, "/usr/bin/fix-mounts");
        assert_int_equal(h[OCI_HOOK_PRESTART].items[0].args.len, 2);
        assert_string_equal(h[OCI_HOOK_PRESTART].items[0].env.items[0], "key1=value1");
        assert_false(h[OCI_HOOK_PRESTART].items[0].timeout.set);
        assert_true(h[OCI_HOOK_CREATE_RUNTIME].items[0].timeout.set);
        assert_int_equal(h[OCI_HOOK_CREATE_RUNTIME].items[0].timeout.value, 5);
        assert_string_equal(h[OCI_HOOK_CREATE_CONTAINER].items[0].path, "/usr/bin/cc");
        assert_string_equal(h[OCI_HOOK_START_CONTAINER].items[0].path, "/usr/bin/refresh-ldcache");
        assert_int_equal(h[OCI_HOOK_POSTSTART].len, 1);
        assert_int_equal(h[OCI_HOOK_POSTSTOP].len, 2);
        assert_string_equal(h[OCI_HOOK_POSTSTOP].items[1].path, "/bin/true");
        assert_string_equal(oci_hook_name(OCI_HOOK_CREATE_RUNTIME), "createRuntime");
}

static void namespaces(void **state)
{
        (void)state;
        const struct oci_linux *l = &cfg->lnx;
        assert_int_equal(l->n_namespaces, 8);
        assert_int_equal(l->namespaces[0].type, OCI_NS_PID);
        assert_int_equal(l->namespaces[0].clone_flag, CLONE_NEWPID);
        assert_null(l->namespaces[0].path);
        assert_int_equal(l->namespaces[1].type, OCI_NS_NETWORK);
        assert_string_equal(l->namespaces[1].path, "/var/run/netns/neta");
        assert_int_equal(l->namespaces[7].clone_flag, CLONE_NEWTIME);
        const struct oci_namespace *ns = oci_config_namespace(cfg, OCI_NS_CGROUP);
        assert_non_null(ns);
        assert_int_equal(ns->clone_flag, CLONE_NEWCGROUP);
        assert_string_equal(oci_ns_name(OCI_NS_NETWORK), "network");
        assert_int_equal(oci_ns_clone_flag(OCI_NS_USER), CLONE_NEWUSER);
        assert_int_equal(l->uid_mappings.len, 1);
        assert_int_equal(l->uid_mappings.items[0].host_id, 1000);
        assert_int_equal(l->uid_mappings.items[0].size, 32000);
        assert_int_equal(l->gid_mappings.len, 2);
        assert_int_equal(l->gid_mappings.items[1].container_id, 40000);
        assert_true(l->time_monotonic.set);
        assert_int_equal(l->time_monotonic.secs, 172800);
        assert_true(l->time_boottime.set);
        assert_int_equal(l->time_boottime.secs, -10);
        assert_int_equal(l->time_boottime.nanosecs, 999999999);
}

static void devices(void **state)
{
        (void)state;
        const struct oci_linux *l = &cfg->lnx;
        assert_int_equal(l->n_devices, 3);
        assert_string_equal(l->devices[0].path, "/dev/fuse");
        assert_int_equal(l->devices[0].type, 'c');
        assert_int_equal(l->devices[0].major, 10);
        assert_int_equal(l->devices[0].minor, 229);
        assert_true(l->devices[0].file_mode.set);
        assert_int_equal(l->devices[0].file_mode.value, 0666);
        assert_true(l->devices[0].uid.set);
        assert_true(l->devices[0].gid.set);
        assert_int_equal(l->devices[1].type, 'b');
        assert_false(l->devices[1].file_mode.set);
        assert_false(l->devices[1].uid.set);
        assert_int_equal(l->devices[2].type, 'p');
}

static void resources(void **state)
{
        (void)state;
        const struct oci_resources *r = &cfg->lnx.resources;
        assert_true(cfg->lnx.has_resources);
        assert_int_equal(r->n_devices, 3);
        assert_false(r->devices[0].allow);
        assert_int_equal(r->devices[0].type, 'a');
        assert_false(r->devices[0].major.set);
        assert_string_equal(r->devices[0].access, "rwm");
        assert_true(r->devices[1].allow);
        assert_int_equal(r->devices[1].type, 'c');
        assert_int_equal(r->devices[1].major.value, 10);
        assert_int_equal(r->devices[1].minor.value, 229);
        assert_string_equal(r->devices[1].access, "rw");
        assert_false(r->devices[2].major.set); /* -1 is a wildcard */
        assert_string_equal(r->devices[2].access, "mr");

        assert_true(r->has_memory);
        assert_int_equal(r->memory.limit.value, 536870912);
        assert_int_equal(r->memory.reservation.value, 536870912);
        assert_true(r->memory.swap.set);
        assert_int_equal(r->memory.swap.value, -1);
        assert_int_equal(r->memory.kernel.value, -1);
        assert_int_equal(r->memory.kernel_tcp.value, -1);
        assert_true(r->memory.swappiness.set);
        assert_int_equal(r->memory.swappiness.value, 0);
        assert_true(r->memory.disable_oom_killer.set);
        assert_false(r->memory.disable_oom_killer.value);
        assert_true(r->memory.use_hierarchy.value);
        assert_true(r->memory.check_before_update.value);

        assert_true(r->has_cpu);
        assert_int_equal(r->cpu.shares.value, 1024);
        assert_int_equal(r->cpu.quota.value, 1000000);
        assert_int_equal(r->cpu.burst.value, 1000);
        assert_int_equal(r->cpu.period.value, 500000);
        assert_int_equal(r->cpu.realtime_runtime.value, 950000);
        assert_int_equal(r->cpu.realtime_period.value, 1000000);
        assert_int_equal(r->cpu.idle.value, 1);
        assert_string_equal(r->cpu.cpus, "2-3");
        assert_string_equal(r->cpu.mems, "0-7");

        assert_true(r->has_pids);
        assert_int_equal(r->pids.limit.value, 32771);

        assert_true(r->has_block_io);
        assert_int_equal(r->block_io.weight.value, 10);
        assert_int_equal(r->block_io.leaf_weight.value, 10);
        assert_int_equal(r->block_io.n_weight_device, 2);
        assert_int_equal(r->block_io.weight_device[0].major, 8);
        assert_int_equal(r->block_io.weight_device[0].leaf_weight.value, 300);
        assert_false(r->block_io.weight_device[1].leaf_weight.set);
        assert_int_equal(r->block_io.throttle_read_bps.items[0].rate, 600);
        assert_int_equal(r->block_io.throttle_write_bps.items[0].rate, 700);
        assert_int_equal(r->block_io.throttle_read_iops.items[0].rate, 800);
        assert_int_equal(r->block_io.throttle_write_iops.len, 2);
        assert_int_equal(r->block_io.throttle_write_iops.items[1].rate, 900);

        assert_int_equal(r->n_hugepage_limits, 2);
        assert_string_equal(r->hugepage_limits[0].page_size, "2MB");
        assert_int_equal(r->hugepage_limits[0].limit, 209715200);

        assert_true(r->has_network);
        assert_int_equal(r->network.class_id.value, 1048577);
        assert_int_equal(r->network.n_priorities, 2);
        assert_string_equal(r->network.priorities[1].name, "eth1");
        assert_int_equal(r->network.priorities[1].priority, 1000);

        assert_int_equal(r->n_rdma, 2);
        assert_string_equal(r->rdma[0].device, "mlx5_1");
        assert_int_equal(r->rdma[0].hca_handles.value, 3);
        assert_int_equal(r->rdma[0].hca_objects.value, 10000);
        assert_false(r->rdma[1].hca_handles.set);

        assert_int_equal(r->unified.len, 2);
        assert_string_equal(r->unified.items[1].key, "io.weight");
        assert_string_equal(r->unified.items[1].value, "default 100");
}

static void linux_misc(void **state)
{
        (void)state;
        const struct oci_linux *l = &cfg->lnx;
        assert_string_equal(l->cgroups_path, "/myRuntime/myContainer");
        assert_int_equal(l->rootfs_propagation, MS_SLAVE | MS_REC);
        assert_int_equal(l->masked_paths.len, 2);
        assert_string_equal(l->masked_paths.items[1], "/sys/firmware");
        assert_int_equal(l->readonly_paths.len, 2);
        assert_string_equal(l->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
        assert_int_equal(l->sysctl.len, 4);
        assert_string_equal(l->sysctl.items[1].key, "net/core/somaxconn");
        assert_string_equal(l->sysctl.items[1].value, "256");
        assert_true(l->personality.set);
        assert_int_equal(l->personality.domain, PER_LINUX32);
        assert_true(l->intel_rdt.set);
        assert_string_equal(l->intel_rdt.clos_id, "guaranteed_group");
        assert_string_equal(l->intel_rdt.l3_cache_schema, "L3:0=7f0;1=1f");
        assert_string_equal(l->intel_rdt.mem_bw_schema, "MB:0=20;1=70");
        assert_true(l->intel_rdt.enable_cmt);
        assert_true(l->intel_rdt.enable_mbm);
        assert_true(l->memory_policy.set);
        assert_int_equal(l->memory_policy.mode, MPOL_INTERLEAVE);
        assert_string_equal(l->memory_policy.nodes, "0-3");
        assert_int_equal(l->memory_policy.flags, MPOL_F_STATIC_NODES);
}

static void seccomp(void **state)
{
        (void)state;
        const struct oci_seccomp *s = cfg->lnx.seccomp;
        assert_non_null(s);
        assert_int_equal(s->default_action, OCI_SECCOMP_ERRNO);
        assert_true(s->default_errno_ret.set);
        assert_int_equal(s->default_errno_ret.value, 1);
        assert_int_equal(s->architectures.len, 3);
        assert_string_equal(s->architectures.items[0], "SCMP_ARCH_X86_64");
        assert_int_equal(s->flags, OCI_SECCOMP_FLAG_LOG | OCI_SECCOMP_FLAG_SPEC_ALLOW);
        assert_string_equal(s->listener_path, "/run/listener.sock");
        assert_string_equal(s->listener_metadata, "meta");
        assert_int_equal(s->n_syscalls, 4);
        assert_int_equal(s->syscalls[0].names.len, 2);
        assert_string_equal(s->syscalls[0].names.items[1], "chmod");
        assert_int_equal(s->syscalls[0].action, OCI_SECCOMP_ALLOW);
        assert_false(s->syscalls[0].errno_ret.set);
        assert_int_equal(s->syscalls[1].n_args, 2);
        assert_int_equal(s->syscalls[1].args[0].index, 0);
        assert_int_equal(s->syscalls[1].args[0].value, 8);
        assert_int_equal(s->syscalls[1].args[0].op, OCI_SECCOMP_OP_EQ);
        assert_int_equal(s->syscalls[1].args[1].value_two, 8);
        assert_int_equal(s->syscalls[1].args[1].op, OCI_SECCOMP_OP_MASKED_EQ);
        assert_true(s->syscalls[2].errno_ret.set);
        assert_int_equal(s->syscalls[2].errno_ret.value, 38);
        assert_int_equal(s->syscalls[3].action, OCI_SECCOMP_NOTIFY);
        assert_non_null(s->json);
        assert_non_null(strstr(s->json, "\"defaultAction\":\"SCMP_ACT_ERRNO\""));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(top_level), cmocka_unit_test(process),    cmocka_unit_test(mounts),
            cmocka_unit_test(hooks),     cmocka_unit_test(namespaces), cmocka_unit_test(devices),
            cmocka_unit_test(resources), cmocka_unit_test(linux_misc), cmocka_unit_test(seccomp),
        };
        return cmocka_run_group_tests(tests, load_full, free_full);
}
