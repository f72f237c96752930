/* `berth events [--stats] [--interval D] ID`: runc-compatible JSON lines.
 * --stats prints one {"type":"stats","id":ID,"data":{...}} and exits;
 * otherwise a stats line every interval (default 5s) and an
 * {"type":"oom","id":ID} line for each new OOM kill (memory.events
 * oom_kill), until the container stops. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup_stats.h"
#include "cgroup_target.h"
#include "cleanup.h"
#include "commands.h"

#define OOM_POLL_NS 100000000ull /* check memory.events every 100 ms */

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int print_stats(const struct cgroup_target *t, struct berr *err)
{
        _cleanup_free_ char *data = NULL;
        char id[STATE_ID_MAX * 6 + 1];

        if (cgroup_stats_json(t->cg, &data, err) < 0)
                return err->status;
        json_escape(id, sizeof(id), t->st.id);
        printf("{\"type\":\"stats\",\"id\":\"%s\",\"data\":%s}\n", id, data);
        fflush(stdout);
        return 0;
}

static void print_oom(const struct cgroup_target *t)
{
        char id[STATE_ID_MAX * 6 + 1];

        json_escape(id, sizeof(id), t->st.id);
        printf("{\"type\":\"oom\",\"id\":\"%s\"}\n", id);
        fflush(stdout);
}

int cmd_events(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {
            {"stats", no_argument, NULL, 's'},
            {"interval", required_argument, NULL, 'i'},
            {0},
        };
        struct cgroup_target t;
        bool stats_once = false;
        uint64_t interval = 5000000000ull, ooms = 0;
        bool have_oom;
        const char *id;
        int c, r = 0;

        while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
                switch (c) {
                case 's':
                        stats_once = true;
                        break;
                case 'i':
                        if (parse_go_duration(optarg, &interval, err) < 0)
                                return berr_wrap(err, "events: --interval");
                        if (interval == 0)
                                return berr_fail(err, EINVAL,
                                                 "events: --interval must be greater than 0");
                        break;
                default:
                        return berr_fail(err, EINVAL, "events: unknown option %s",
                                         argv[optind - 1]);
                }
        }
        if (cgroup_target_id(argc, argv, "events", &id, err) < 0)
                return err->status;
        if (cgroup_target_open(g->root, id, &t, err) < 0)
                return err->status;
        if (t.status == CONTAINER_STOPPED) {
                r = berr_fail(err, EINVAL, "container %s is not running", id);
                goto out;
        }
        if (cgroup_target_require(&t, "report events of", err) < 0) {
                r = err->status;
                goto out;
        }
        if (stats_once) {
                r = print_stats(&t, err);
                goto out;
        }
        have_oom = cgroup_oom_kills(t.cg, &ooms, err) == 0;
        berr_clear(err);
        uint64_t next_stats = now_ns() + interval;
        for (;;) {
                uint64_t now = now_ns();
                if (now >= next_stats) {
                        if (print_stats(&t, err) < 0) {
                                r = err->status;
                                break;
                        }
                        next_stats = now + interval;
                }
                if (have_oom) {
                        uint64_t n = 0;
                        if (cgroup_oom_kills(t.cg, &n, err) == 0)
                                for (; ooms < n; ooms++)
                                        print_oom(&t);
                        berr_clear(err);
                }
                if (!state_init_alive(&t.st))
                        break; /* the container stopped: nothing more to report */
                uint64_t wait = next_stats - now_ns();
                if (have_oom && wait > OOM_POLL_NS)
                        wait = OOM_POLL_NS;
                if ((int64_t)wait > 0) {
                        struct timespec ts = {(time_t)(wait / 1000000000ull),
                                              (long)(wait % 1000000000ull)};
                        nanosleep(&ts, NULL);
                }
        }
out:
        cgroup_target_close(&t);
        return r < 0 ? r : 0;
}
