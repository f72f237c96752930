/* berth list [--format table|json] [--quiet]: every container under --root. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "commands.h"
#include "container/container.h"

struct row {
        struct container_state st;
        enum container_status status;
};

static void print_table(struct row *rows, size_t n)
{
        int wid = 2, wb = 6;

        for (size_t i = 0; i < n; i++) {
                int l = (int)strlen(rows[i].st.id), b = (int)strlen(rows[i].st.bundle);
                wid = l > wid ? l : wid;
                wb = b > wb ? b : wb;
        }
        printf("%-*s   %-10s %-10s %-*s   %-30s   %s\n", wid, "ID", "PID", "STATUS", wb, "BUNDLE",
               "CREATED", "OWNER");
        for (size_t i = 0; i < n; i++) {
                struct row *r = &rows[i];
                printf("%-*s   %-10d %-10s %-*s   %-30s   %s\n", wid, r->st.id,
                       r->status == CONTAINER_STOPPED ? 0 : (int)r->st.pid,
                       container_status_name(r->status), wb, r->st.bundle, r->st.created,
                       r->st.owner[0] ? r->st.owner : "root");
        }
}

static void print_json(struct row *rows, size_t n)
{
        printf("[");
        for (size_t i = 0; i < n; i++) {
                char *j = state_to_oci_json(&rows[i].st, rows[i].status, false);
                printf("%s%s", i ? "," : "", j ? j : "{}");
                free(j);
        }
        printf("]\n");
}

int cmd_list(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {
            {"format", required_argument, NULL, 'f'}, {"quiet", no_argument, NULL, 'q'}, {0}};
        const char *format = "table";
        bool quiet = false;
        char **ids = NULL;
        struct row *rows;
        size_t n = 0;
        int c;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "f:q", opts, NULL)) != -1) {
                if (c == 'f')
                        format = optarg;
                else if (c == 'q')
                        quiet = true;
                else
                        return berr_fail(err, EINVAL, "list: unknown option %s", argv[optind - 1]);
        }
        if (strcmp(format, "table") && strcmp(format, "json"))
                return berr_fail(err, EINVAL, "list: invalid format %s (table or json)", format);
        if (state_list_ids(g->root, &ids, err) < 0)
                return err->status;
        while (ids[n])
                n++;
        rows = calloc(n + 1, sizeof(*rows));
        if (!rows) {
                strv_free(ids);
                return berr_fail(err, ENOMEM, "out of memory");
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                struct state_dir sd = STATE_DIR_INIT;
                struct berr ignored = {0};
                if (state_open(g->root, ids[i], STATE_LOCK_NONE, &sd, &ignored) < 0)
                        continue;
                if (state_read(&sd, &rows[k].st, &ignored) == 0) {
                        rows[k].status = container_status(&sd, &rows[k].st);
                        k++;
                }
                state_close(&sd);
        }
        if (quiet) {
                for (size_t i = 0; i < k; i++)
                        printf("%s\n", rows[i].st.id);
        } else if (strcmp(format, "json") == 0) {
                print_json(rows, k);
        } else {
                print_table(rows, k);
        }
        for (size_t i = 0; i < k; i++)
                state_clear(&rows[i].st);
        free(rows);
        strv_free(ids);
        return 0;
}
