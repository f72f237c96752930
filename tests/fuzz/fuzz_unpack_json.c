/* libFuzzer harness for berth-unpack's image JSON parsers: the same bytes
 * as an index, a manifest, a docker manifest.json and an image config (with
 * config.json generation from it). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image_json.h"
#include "json.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct berr err = {0};
        yajl_val v = NULL;

        if (size > (1 << 20) || json_parse((const char *)data, size, &v, &err) < 0)
                return 0;
        struct index ix;
        index_parse(v, "fuzz", &ix, &err);
        index_free(&ix);
        struct manifest m = {0};
        manifest_parse(v, "fuzz", &m, &err);
        manifest_free(&m);
        document_check_media_type(v, MT_OCI_MANIFEST, "fuzz", &err);
        struct docker_manifest dm = {0};
        docker_manifest_parse(v, &dm, &err);
        docker_manifest_free(&dm);
        const char **ids = NULL;
        size_t n = 0;
        if (config_diff_ids(v, &ids, &n, &err) == 0)
                free(ids);
        char *out = NULL;
        size_t len = 0;
        if (spec_generate(v, -1, &out, &len, &err) == 0)
                free(out);
        yajl_tree_free(v);
        return 0;
}
