/* berth state ID: the OCI state JSON plus runc's rootfs, created, owner. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "container/container.h"
#include "id_arg.h"

int cmd_state(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        struct state_dir sd = STATE_DIR_INIT;
        struct container_state st = {0};
        const char *id;
        char *json;

        if (parse_id_arg(argc, argv, NULL, &id, err) < 0)
                return err->status;
        if (state_open(g->root, id, STATE_LOCK_NONE, &sd, err) < 0)
                return err->status;
        if (state_read(&sd, &st, err) < 0) {
                state_close(&sd);
                return err->status;
        }
        json = state_to_oci_json(&st, container_status(&sd, &st), true);
        state_clear(&st);
        state_close(&sd);
        if (!json)
                return berr_fail(err, 12, "out of memory");
        printf("%s\n", json);
        free(json);
        return 0;
}
