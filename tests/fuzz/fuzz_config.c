/* libFuzzer harness for the config parser: any byte string given to
 * oci_config_parse() and oci_process_parse() must give a config or a clean
 * error, never a crash, a leak, undefined behaviour or a multi-line error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void check_error(const struct berr *err)
{
        /* Errors are one line, end with text, and carry a negative errno. */
        if (err->status >= 0 || strchr(err->msg, '\n') || err->msg[0] == '\0')
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        struct oci_process *proc = NULL;

        if (oci_config_parse((const char *)data, size, &cfg, &err) < 0) {
                check_error(&err);
                if (cfg)
                        abort();
        } else {
                /* Walk what the runtime reads first. */
                if (!cfg->oci_version || !cfg->root.path)
                        abort();
                for (size_t i = 0; i < cfg->n_mounts; i++)
                        if (cfg->mounts[i].destination[0] != '/')
                                abort();
                if (cfg->process && (!cfg->process->args.len || cfg->process->cwd[0] != '/'))
                        abort();
                oci_config_free(cfg);
        }

        berr_clear(&err);
        if (oci_process_parse((const char *)data, size, &proc, &err) < 0)
                check_error(&err);
        else
                oci_process_free(proc);
        return 0;
}
