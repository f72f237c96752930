/* Verified reads of small blobs: see blob.h. */
#include "blob.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "digest.h"
#include "json.h"

void blob_path(const char *digest, char *out, size_t size)
{
        snprintf(out, size, "blobs/sha256/%s", digest_hex(digest));
}

int file_load_json(struct image_source *src, const char *file, const char *expect_digest,
                   size_t max, yajl_val *out, char digest_out[72], struct berr *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r = source_read_all(src, file, max, &buf, &len, err);

        if (r < 0)
                return r;
        if (expect_digest || digest_out) {
                char got[DIGEST_STR_MAX];
                if ((r = sha256_buf(buf, len, got, err)) < 0)
                        return r;
                if (expect_digest && strcmp(got, expect_digest) != 0)
                        return berr_fail(err, EBADMSG,
                                         "%s: digest mismatch: content is %s, expected %s", file,
                                         got, expect_digest);
                if (digest_out)
                        memcpy(digest_out, got, DIGEST_STR_MAX);
        }
        r = json_parse(buf, len, out, err);
        if (r < 0)
                return berr_wrap(err, "%s", file);
        return 0;
}

int blob_load_json(struct image_source *src, const char *digest, uint64_t size, size_t max,
                   const char *what, yajl_val *out, struct berr *err)
{
        char path[128];
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        char got[DIGEST_STR_MAX];
        int r;

        if (size > max)
                return berr_fail(err, EFBIG, "%s: %llu bytes, more than the %zu allowed", what,
                                 (unsigned long long)size, max);
        blob_path(digest, path, sizeof(path));
        r = source_read_all(src, path, max, &buf, &len, err);
        if (r < 0)
                return berr_wrap(err, "%s: missing or unreadable blob", what);
        if (len != size)
                return berr_fail(err, EBADMSG,
                                 "%s: size mismatch: blob has %zu bytes, descriptor "
                                 "says %llu",
                                 what, len, (unsigned long long)size);
        if ((r = sha256_buf(buf, len, got, err)) < 0)
                return r;
        if (strcmp(got, digest) != 0)
                return berr_fail(err, EBADMSG, "%s: digest mismatch: content is %s", what, got);
        r = json_parse(buf, len, out, err);
        if (r < 0)
                return berr_wrap(err, "%s", what);
        return 0;
}
