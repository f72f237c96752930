/* Unit tests for the cgroup v2 code that needs no system: mountinfo parsing,
 * cgroupsPath mapping (absolute, relative, default, systemd slices), runc's
 * value conversions, resource validation, and the device BPF compiler. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include <cmocka.h>

#include "cgroup_internal.h"
#include "cleanup.h"

static const char *hybrid_mi =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n";
static const char *unified_mi =
    "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
    "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
static const char *escaped_mi = "30 22 0:26 / /mnt/my\\040cg rw - cgroup2 none rw\n";
static const char *legacy_mi = "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";

static void test_mountinfo(void **s)
{
        struct cgroup_hier h;
        struct berr err = {0};
        (void)s;

        assert_int_equal(cgroup_hier_parse_mountinfo(hybrid_mi, &h, &err), 0);
        assert_string_equal(h.mount, "/sys/fs/cgroup/unified");
        assert_true(h.hybrid);
        assert_string_equal(cgroup_hier_mode(&h), "hybrid cgroup host");
        assert_int_equal(cgroup_hier_parse_mountinfo(unified_mi, &h, &err), 0);
        assert_string_equal(h.mount, "/sys/fs/cgroup");
        assert_false(h.hybrid);
        assert_string_equal(cgroup_hier_mode(&h), "unified cgroup host");
        assert_int_equal(cgroup_hier_parse_mountinfo(escaped_mi, &h, &err), 0);
        assert_string_equal(h.mount, "/mnt/my cg");
        assert_true(cgroup_hier_parse_mountinfo(legacy_mi, &h, &err) < 0);
        assert_non_null(strstr(err.msg, "only cgroup v1"));
}

static void test_proc_cgroup(void **s)
{
        struct berr err = {0};
        _cleanup_free_ char *p = NULL;
        (void)s;

        assert_int_equal(
            cgroup_parse_proc_cgroup("4:memory:/x\n0::/user.slice/a.scope\n", &p, &err), 0);
        assert_string_equal(p, "/user.slice/a.scope");
        assert_true(cgroup_parse_proc_cgroup("4:memory:/x\n", &p, &err) < 0);
}

static void expect_path(const char *mgr, const char *cp, const char *own, const char *want)
{
        struct berr err = {0};
        _cleanup_free_ char *out = NULL;

        if (cgroup_resolve_path(mgr, cp, "c1", own, &out, &err) < 0)
                fail_msg("%s %s: %s", mgr, cp ? cp : "(null)", err.msg);
        assert_string_equal(out, want);
}

static void expect_path_error(const char *mgr, const char *cp, const char *needle)
{
        struct berr err = {0};
        char *out = NULL;

        assert_true(cgroup_resolve_path(mgr, cp, "c1", "/", &out, &err) < 0);
        assert_null(out);
        if (!strstr(err.msg, needle))
                fail_msg("error \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_paths(void **s)
{
        (void)s;
        expect_path("cgroupfs", NULL, "/", "/berth/c1");
        expect_path("cgroupfs", "", "/a", "/berth/c1");
        expect_path("cgroupfs", "/kube/pod1//c1/", "/x", "/kube/pod1/c1");
        expect_path("cgroupfs", "mine/c1", "/user.slice/s.scope", "/user.slice/s.scope/mine/c1");
        expect_path("cgroupfs", "mine", "/", "/mine");
        expect_path("cgroupfs", "/a/./b", "/", "/a/b");
        expect_path_error("cgroupfs", "/a/../../etc", "\"..\"");
        expect_path_error("cgroupfs", "..", "\"..\"");
        expect_path_error("cgroupfs", "/", "root of the cgroup hierarchy");
        expect_path("systemd", NULL, "/", "/system.slice/berth-c1.scope");
        expect_path("systemd", "machine.slice:libpod:abc", "/", "/machine.slice/libpod-abc.scope");
        expect_path("systemd", "a-b-c.slice:pre:n", "/",
                    "/a.slice/a-b.slice/a-b-c.slice/pre-n.scope");
        expect_path("systemd", "-.slice:p:n", "/", "/p-n.scope");
        expect_path("systemd", ":p:n", "/", "/system.slice/p-n.scope");
        expect_path("systemd", "user.slice::n", "/", "/user.slice/n.scope");
        expect_path("systemd", "user.slice::my.slice", "/", "/user.slice/my.slice");
        expect_path_error("systemd", "/abs/path", "slice:prefix:name");
        expect_path_error("systemd", "a:b", "slice:prefix:name");
        expect_path_error("systemd", "bad:p:n", "invalid systemd slice");
        expect_path_error("systemd", "a--b.slice:p:n", "invalid systemd slice");
        expect_path_error("systemd", "a/b.slice:p:n", "invalid systemd slice");
        expect_path_error("systemd", "x.slice:p:a/b", "invalid unit name");
}

static void test_conversions(void **s)
{
        struct berr err = {0};
        int64_t v;
        (void)s;

        /* runc: shares 2 -> 1, 1024 -> 39, 262144 -> 10000 */
        assert_int_equal(cgroup_shares_to_weight(2), 1);
        assert_int_equal(cgroup_shares_to_weight(1024), 39);
        assert_int_equal(cgroup_shares_to_weight(262144), 10000);
        assert_int_equal(cgroup_shares_to_weight(0), 0);
        /* blkio 10 -> 1, 500 -> 4950, 1000 -> 10000 */
        assert_int_equal(cgroup_blkio_to_io_weight(10), 1);
        assert_int_equal(cgroup_blkio_to_io_weight(500), 4950);
        assert_int_equal(cgroup_blkio_to_io_weight(1000), 10000);
        /* swap (memory+swap in the spec) -> memory.swap.max */
        assert_int_equal(cgroup_swap_v2(0, -1, &v, &err), 0);
        assert_int_equal(v, -1);
        assert_int_equal(cgroup_swap_v2(-1, 100, &v, &err), 0);
        assert_int_equal(v, -1);
        assert_int_equal(cgroup_swap_v2(0, 100, &v, &err), 0);
        assert_int_equal(v, 0);
        assert_int_equal(cgroup_swap_v2(300, 100, &v, &err), 0);
        assert_int_equal(v, 200);
        assert_true(cgroup_swap_v2(50, 100, &v, &err) < 0);
        assert_non_null(strstr(err.msg, "at least"));
        assert_true(cgroup_swap_v2(50, 0, &v, &err) < 0);
        assert_non_null(strstr(err.msg, "needs a memory limit"));
}

static const struct cgroup_write_op *find_op(const struct cgroup_plan *p, const char *file)
{
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->ops[i].file, file) == 0)
                        return &p->ops[i];
        return NULL;
}

static void plan_has(const struct cgroup_plan *p, const char *file, const char *value)
{
        const struct cgroup_write_op *op = find_op(p, file);

        if (!op)
                fail_msg("no write to %s", file);
        assert_string_equal(op->value, value);
}

static void test_plan(void **s)
{
        struct oci_resources r;
        struct cgroup_plan p;
        struct berr err = {0};
        struct oci_throttle_device td = {8, 0, 1048576};
        struct oci_hugepage_limit hl = {"2MB", 4194304};
        struct oci_kv kv = {"memory.high", "1000000"};
        struct oci_rdma_limit rd = {"mlx5_0", {true, 3}, {false, 0}};
        (void)s;

        memset(&r, 0, sizeof(r));
        r.has_memory = true;
        r.memory.limit = (oci_opt_i64){true, 104857600};
        r.memory.swap = (oci_opt_i64){true, 209715200};
        r.memory.reservation = (oci_opt_i64){true, 52428800};
        r.has_cpu = true;
        r.cpu.shares = (oci_opt_u64){true, 1024};
        r.cpu.quota = (oci_opt_i64){true, 50000};
        r.cpu.period = (oci_opt_u64){true, 100000};
        r.cpu.burst = (oci_opt_u64){true, 10000};
        r.cpu.idle = (oci_opt_i64){true, 0};
        r.cpu.cpus = "0-1";
        r.cpu.mems = "0";
        r.has_pids = true;
        r.pids.limit = (oci_opt_i64){true, 0};
        r.has_block_io = true;
        r.block_io.weight = (oci_opt_u64){true, 500};
        r.block_io.throttle_read_bps = (struct oci_throttle_list){&td, 1};
        r.block_io.throttle_write_iops = (struct oci_throttle_list){&td, 1};
        r.hugepage_limits = &hl;
        r.n_hugepage_limits = 1;
        r.rdma = &rd;
        r.n_rdma = 1;
        r.unified = (struct oci_kv_list){&kv, 1};
        r.has_network = true;

        assert_int_equal(cgroup_plan_resources(&r, -1, &p, &err), 0);
        plan_has(&p, "memory.max", "104857600");
        plan_has(&p, "memory.swap.max", "104857600");
        plan_has(&p, "memory.low", "52428800");
        plan_has(&p, "cpu.weight", "39");
        plan_has(&p, "cpu.max", "50000 100000");
        plan_has(&p, "cpu.max.burst", "10000");
        plan_has(&p, "cpu.idle", "0");
        plan_has(&p, "cpuset.cpus", "0-1");
        plan_has(&p, "cpuset.mems", "0");
        plan_has(&p, "pids.max", "max");
        plan_has(&p, "io.weight", "4950");
        plan_has(&p, "hugetlb.2MB.max", "4194304");
        plan_has(&p, "hugetlb.2MB.rsvd.max", "4194304");
        plan_has(&p, "rdma.max", "mlx5_0 hca_handle=3 hca_object=max");
        plan_has(&p, "memory.high", "1000000");
        /* io.max gets one line per limit */
        int io_max = 0;
        for (size_t i = 0; i < p.n; i++)
                if (strcmp(p.ops[i].file, "io.max") == 0)
                        io_max++;
        assert_int_equal(io_max, 2);
        assert_true(p.needed & (1u << CG_MEMORY));
        assert_true(p.needed & (1u << CG_CPUSET));
        assert_true(p.needed & (1u << CG_RDMA));
        assert_string_equal(p.field_of[CG_CPUSET], "linux.resources.cpu.cpus");
        assert_string_equal(p.field_of[CG_MEMORY], "linux.resources.memory");
        cgroup_plan_free(&p);

        /* quota alone: "max" period unchanged; unlimited memory -> max */
        memset(&r, 0, sizeof(r));
        r.has_cpu = true;
        r.cpu.quota = (oci_opt_i64){true, -1};
        r.cpu.period = (oci_opt_u64){true, 250000};
        r.has_memory = true;
        r.memory.limit = (oci_opt_i64){true, -1};
        r.has_pids = true;
        r.pids.limit = (oci_opt_i64){true, 64};
        assert_int_equal(cgroup_plan_resources(&r, -1, &p, &err), 0);
        plan_has(&p, "cpu.max", "max 250000");
        plan_has(&p, "memory.max", "max");
        plan_has(&p, "memory.swap.max", "max");
        plan_has(&p, "pids.max", "64");
        cgroup_plan_free(&p);

        /* nothing set: nothing written, no controller needed */
        memset(&r, 0, sizeof(r));
        assert_int_equal(cgroup_plan_resources(&r, -1, &p, &err), 0);
        assert_int_equal(p.n, 0);
        assert_int_equal(p.needed, 0);
        cgroup_plan_free(&p);
}

static void expect_plan_error(const struct oci_resources *r, const char *needle)
{
        struct cgroup_plan p;
        struct berr err = {0};

        assert_true(cgroup_plan_resources(r, -1, &p, &err) < 0);
        assert_int_equal(p.n, 0);
        if (!strstr(err.msg, needle))
                fail_msg("error \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_validation(void **s)
{
        struct oci_resources r;
        struct oci_kv bad_kv[] = {
            {"../../cgroup.procs", "1"}, {"memory/x", "1"}, {"cgroup.procs", "1"}, {"nosuch", "1"}};
        struct oci_hugepage_limit bad_hl = {"2XB", 1};
        struct oci_throttle_device bad_td = {-1, 0, 1};
        (void)s;

        memset(&r, 0, sizeof(r));
        r.has_cpu = true;
        r.cpu.shares = (oci_opt_u64){true, 1};
        expect_plan_error(&r, "shares: 1 is out of range");
        r.cpu.shares.set = false;
        r.cpu.period = (oci_opt_u64){true, 10};
        expect_plan_error(&r, "period: 10 is out of range");
        r.cpu.period.set = false;
        r.cpu.cpus = "0-3;rm";
        expect_plan_error(&r, "invalid cpu list");
        r.cpu.cpus = NULL;
        r.cpu.idle = (oci_opt_i64){true, 2};
        expect_plan_error(&r, "idle: must be 0 or 1");
        r.cpu.idle.set = false;
        r.cpu.realtime_runtime = (oci_opt_i64){true, 1000};
        expect_plan_error(&r, "not supported on cgroup v2");

        memset(&r, 0, sizeof(r));
        r.has_memory = true;
        r.memory.limit = (oci_opt_i64){true, -5};
        expect_plan_error(&r, "memory.limit: invalid value -5");
        r.memory.limit = (oci_opt_i64){true, 100};
        r.memory.swappiness = (oci_opt_u64){true, 60};
        expect_plan_error(&r, "swappiness");

        memset(&r, 0, sizeof(r));
        r.has_block_io = true;
        r.block_io.weight = (oci_opt_u64){true, 5};
        expect_plan_error(&r, "weight: 5 is out of range");
        r.block_io.weight.set = false;
        r.block_io.throttle_read_bps = (struct oci_throttle_list){&bad_td, 1};
        expect_plan_error(&r, "invalid device -1:0");

        memset(&r, 0, sizeof(r));
        r.hugepage_limits = &bad_hl;
        r.n_hugepage_limits = 1;
        expect_plan_error(&r, "invalid pageSize 2XB");

        memset(&r, 0, sizeof(r));
        for (size_t i = 0; i < 4; i++) {
                r.unified = (struct oci_kv_list){&bad_kv[i], 1};
                expect_plan_error(&r, i < 2    ? "invalid file name"
                                      : i == 2 ? "cannot be set"
                                               : "unknown controller");
        }
}

/* Run the compiled program on one request in a tiny interpreter of the
 * instructions the compiler emits. */
static int run_prog(const struct bpf_insn *p, size_t n, int type, int access, uint32_t major,
                    uint32_t minor)
{
        uint64_t reg[11] = {0};
        uint32_t ctx[3] = {(uint32_t)(access << 16 | type), major, minor};

        for (size_t pc = 0; pc < n; pc++) {
                const struct bpf_insn *i = &p[pc];
                uint32_t d32 = (uint32_t)reg[i->dst_reg];
                switch (i->code) {
                case BPF_LDX | BPF_W | BPF_MEM:
                        reg[i->dst_reg] = ctx[i->off / 4];
                        break;
                case BPF_ALU | BPF_MOV | BPF_X:
                        reg[i->dst_reg] = (uint32_t)reg[i->src_reg];
                        break;
                case BPF_ALU | BPF_MOV | BPF_K:
                        reg[i->dst_reg] = (uint32_t)i->imm;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        reg[i->dst_reg] = d32 & (uint32_t)i->imm;
                        break;
                case BPF_ALU | BPF_RSH | BPF_K:
                        reg[i->dst_reg] = d32 >> i->imm;
                        break;
                case BPF_JMP32 | BPF_JNE | BPF_K:
                        if (d32 != (uint32_t)i->imm)
                                pc += i->off;
                        break;
                case BPF_JMP32 | BPF_JEQ | BPF_K:
                        if (d32 == (uint32_t)i->imm)
                                pc += i->off;
                        break;
                case BPF_JMP | BPF_EXIT:
                        return (int)reg[0];
                default:
                        fail_msg("unexpected opcode 0x%x", i->code);
                }
        }
        fail_msg("fell off the end");
        return -1;
}

#define C BPF_DEVCG_DEV_CHAR
#define B BPF_DEVCG_DEV_BLOCK
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

static void test_devices(void **s)
{
        struct berr err = {0};
        struct bpf_insn *p = NULL;
        size_t n;
        struct oci_device_rule rules[] = {
            {false, 'a', {false, 0}, {false, 0}, "rwm"}, /* deny all */
            {true, 'b', {true, 8}, {false, 0}, "r"},     /* read sd* */
            {true, 'c', {true, 10}, {true, 229}, "rwm"}, /* fuse */
            {false, 'c', {true, 1}, {true, 3}, "w"},     /* no writes to null */
        };
        (void)s;

        assert_int_equal(cgroup_devices_compile(rules, 4, true, &p, &n, &err), 0);
        /* the standard set */
        assert_int_equal(run_prog(p, n, C, R | W, 1, 5), 1);   /* zero */
        assert_int_equal(run_prog(p, n, C, R | W, 136, 7), 1); /* pts */
        assert_int_equal(run_prog(p, n, C, M, 99, 99), 1);     /* mknod c */
        assert_int_equal(run_prog(p, n, C, R, 99, 99), 0);     /* but not open */
        /* the spec's rules, later rules winning */
        assert_int_equal(run_prog(p, n, B, R, 8, 1), 1);
        assert_int_equal(run_prog(p, n, B, R | W, 8, 1), 0);
        assert_int_equal(run_prog(p, n, C, R | W, 10, 229), 1);
        assert_int_equal(run_prog(p, n, C, R, 1, 3), 1);
        /* the standard set follows "deny all", so the spec's later deny of
         * /dev/null writes wins over it while reads stay allowed */
        assert_int_equal(run_prog(p, n, C, W, 1, 3), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 3), 1);
        free(p);

        /* without the standard set the deny of /dev/null writes holds */
        assert_int_equal(cgroup_devices_compile(rules, 4, false, &p, &n, &err), 0);
        assert_int_equal(run_prog(p, n, C, W, 1, 3), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 3), 0); /* only "deny all" before it */
        assert_int_equal(run_prog(p, n, B, R, 8, 2), 1);
        free(p);

        /* allow-all then deny null entirely */
        struct oci_device_rule r2[] = {{true, 'a', {false, 0}, {false, 0}, "rwm"},
                                       {false, 'c', {true, 1}, {true, 3}, "rwm"}};
        assert_int_equal(cgroup_devices_compile(r2, 2, false, &p, &n, &err), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 3), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 5), 1);
        assert_int_equal(run_prog(p, n, B, W, 253, 0), 1);
        free(p);

        /* no "deny all" in the spec: the standard set first, the spec after it */
        struct oci_device_rule r3[] = {{false, 'c', {true, 1}, {true, 5}, "rwm"}};
        assert_int_equal(cgroup_devices_compile(r3, 1, true, &p, &n, &err), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 5), 0);
        assert_int_equal(run_prog(p, n, C, R, 1, 3), 1);
        assert_int_equal(run_prog(p, n, C, R, 4, 1), 0); /* default deny */
        free(p);

        struct oci_device_rule bad[] = {{true, 'x', {false, 0}, {false, 0}, "r"}};
        assert_true(cgroup_devices_compile(bad, 1, false, &p, &n, &err) < 0);
        struct oci_device_rule bad2[] = {{true, 'c', {false, 0}, {false, 0}, "rq"}};
        assert_true(cgroup_devices_compile(bad2, 1, false, &p, &n, &err) < 0);
}

static void test_ctrl_of_file(void **s)
{
        (void)s;
        assert_int_equal(cgroup_ctrl_of_file("memory.high"), CG_MEMORY);
        assert_int_equal(cgroup_ctrl_of_file("cpuset.cpus.partition"), CG_CPUSET);
        assert_int_equal(cgroup_ctrl_of_file("cpu.max"), CG_CPU);
        assert_int_equal(cgroup_ctrl_of_file("cgroup.freeze"), CG_NONE);
        assert_int_equal(cgroup_ctrl_of_file("nodot"), -1);
        assert_true(cgroup_list_has("cpuset cpu io memory\n", "cpu"));
        assert_false(cgroup_list_has("cpuset io memory\n", "cpu"));
        assert_false(cgroup_list_has("", "cpu"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_mountinfo), cmocka_unit_test(test_proc_cgroup),
            cmocka_unit_test(test_paths),     cmocka_unit_test(test_conversions),
            cmocka_unit_test(test_plan),      cmocka_unit_test(test_validation),
            cmocka_unit_test(test_devices),   cmocka_unit_test(test_ctrl_of_file),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
