/* Unit tests for runtime/state: id validation, atomic create with a
 * duplicate refused, write/read round trip, liveness of a recycled pid. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cleanup.h"
#include "state.h"

static char root[PATH_MAX];

static int setup(void **s)
{
        (void)s;
        snprintf(root, sizeof(root), "/tmp/berth-state-test.XXXXXX");
        return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **s)
{
        char cmd[PATH_MAX + 16];
        (void)s;
        snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
        return system(cmd) == 0 ? 0 : -1;
}

static void test_ids(void **s)
{
        struct berr err = {0};
        char long_id[STATE_ID_MAX + 2];
        (void)s;

        assert_int_equal(state_validate_id("abc-DEF_1.2+3", &err), 0);
        assert_true(state_validate_id("", &err) < 0);
        assert_true(state_validate_id(".", &err) < 0);
        assert_true(state_validate_id("..", &err) < 0);
        assert_true(state_validate_id("a/b", &err) < 0);
        assert_true(state_validate_id("a b", &err) < 0);
        assert_true(state_validate_id("a\nb", &err) < 0);
        memset(long_id, 'a', sizeof(long_id) - 1);
        long_id[sizeof(long_id) - 1] = '\0';
        assert_true(state_validate_id(long_id, &err) < 0);
        long_id[STATE_ID_MAX] = '\0';
        assert_int_equal(state_validate_id(long_id, &err), 0);
}

static void test_create_read_remove(void **s)
{
        struct berr err = {0};
        struct container_state st = {0}, back = {0};
        struct state_dir sd = STATE_DIR_INIT, sd2 = STATE_DIR_INIT;
        (void)s;

        snprintf(st.id, sizeof(st.id), "c1");
        st.status = CONTAINER_CREATED;
        st.pid = 4242;
        st.start_time = 123456;
        snprintf(st.bundle, sizeof(st.bundle), "/b \"quoted\"");
        st.annotations = strdup("{\"a\":\"b\"}");
        assert_int_equal(state_create(root, &st, &sd, &err), 0);
        /* A second create of the same id is refused with runc's wording. */
        assert_int_equal(state_create(root, &st, &sd2, &err), -EEXIST);
        assert_string_equal(err.msg, "container with id exists: c1");
        assert_int_equal(state_read(&sd, &back, &err), 0);
        assert_int_equal(back.status, CONTAINER_CREATED);
        assert_int_equal(back.pid, 4242);
        assert_int_equal(back.start_time, 123456);
        assert_string_equal(back.bundle, "/b \"quoted\"");
        assert_string_equal(back.annotations, "{\"a\":\"b\"}");
        /* Locked by us: another opener sees a lock holder. */
        assert_true(state_is_locked_by_other(&sd));
        /* A dead pid is never alive, whatever the status says. */
        assert_false(state_init_alive(&back));
        assert_int_equal(state_live_status(&sd, &back), CONTAINER_STOPPED);
        char *json = state_to_oci_json(&back, CONTAINER_STOPPED, false);
        assert_non_null(json);
        assert_non_null(strstr(json, "\"status\":\"stopped\""));
        assert_non_null(strstr(json, "\"annotations\":{\"a\":\"b\"}"));
        free(json);
        state_clear(&back);
        assert_int_equal(state_remove(&sd, &err), 0);
        assert_int_equal(state_open(root, "c1", STATE_LOCK_NONE, &sd2, &err), -ENOENT);
        assert_string_equal(err.msg, "container \"c1\" does not exist");
        state_clear(&st);
}

static void test_liveness(void **s)
{
        struct container_state st = {0};
        uint64_t start;
        pid_t pid;
        (void)s;

        pid = fork();
        if (pid == 0) {
                pause();
                _exit(0);
        }
        assert_int_equal(proc_stat_start_time(pid, &start, NULL), 0);
        st.pid = pid;
        st.start_time = start;
        assert_true(state_init_alive(&st));
        /* Same pid, other start time: a recycled pid is not ours. */
        st.start_time = start + 1;
        assert_false(state_init_alive(&st));
        struct berr err = {0};
        assert_int_equal(state_open_init_pidfd(&st, &err), -ESRCH);
        st.start_time = start;
        kill(pid, SIGKILL);
        /* A zombie is stopped. */
        usleep(20000);
        assert_false(state_init_alive(&st));
        waitpid(pid, NULL, 0);
        assert_false(state_init_alive(&st));
}

static void test_list(void **s)
{
        struct berr err = {0};
        struct container_state st = {0};
        struct state_dir a = STATE_DIR_INIT, b = STATE_DIR_INIT;
        char **ids;
        (void)s;

        snprintf(st.id, sizeof(st.id), "zz");
        assert_int_equal(state_create(root, &st, &a, &err), 0);
        snprintf(st.id, sizeof(st.id), "aa");
        assert_int_equal(state_create(root, &st, &b, &err), 0);
        assert_int_equal(state_list_ids(root, &ids, &err), 0);
        assert_string_equal(ids[0], "aa");
        assert_string_equal(ids[1], "zz");
        assert_null(ids[2]);
        strv_free(ids);
        state_remove(&a, &err);
        state_remove(&b, &err);
        assert_int_equal(state_list_ids("/nonexistent/berth", &ids, &err), 0);
        assert_null(ids[0]);
        strv_free(ids);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_ids),
            cmocka_unit_test(test_create_read_remove),
            cmocka_unit_test(test_liveness),
            cmocka_unit_test(test_list),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
