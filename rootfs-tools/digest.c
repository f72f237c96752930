/* SHA-256 through OpenSSL's EVP interface, and digest string checks. */
#include "digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

int sha256_init(struct sha256 *h, struct berr *err)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();

        if (!ctx)
                return berr_fail(err, ENOMEM, "sha256: out of memory");
        if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(ctx);
                return berr_fail(err, EIO, "sha256: cannot initialise the digest");
        }
        h->ctx = ctx;
        return 0;
}

void sha256_update(struct sha256 *h, const void *buf, size_t len)
{
        if (len)
                EVP_DigestUpdate(h->ctx, buf, len);
}

int sha256_final(struct sha256 *h, char out[DIGEST_STR_MAX], struct berr *err)
{
        unsigned char md[32];
        unsigned int n = 0;
        static const char hex[] = "0123456789abcdef";

        if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1 || n != 32) {
                sha256_free(h);
                return berr_fail(err, EIO, "sha256: cannot finish the digest");
        }
        sha256_free(h);
        memcpy(out, "sha256:", 7);
        for (unsigned int i = 0; i < 32; i++) {
                out[7 + 2 * i] = hex[md[i] >> 4];
                out[8 + 2 * i] = hex[md[i] & 15];
        }
        out[7 + 64] = '\0';
        return 0;
}

void sha256_free(struct sha256 *h)
{
        if (h->ctx)
                EVP_MD_CTX_free(h->ctx);
        h->ctx = NULL;
}

int sha256_buf(const void *buf, size_t len, char out[DIGEST_STR_MAX], struct berr *err)
{
        struct sha256 h;
        int r = sha256_init(&h, err);

        if (r < 0)
                return r;
        sha256_update(&h, buf, len);
        return sha256_final(&h, out, err);
}

int digest_check(const char *digest, const char *what, struct berr *err)
{
        const char *colon = strchr(digest, ':');

        if (!colon || colon == digest)
                return berr_fail(err, EINVAL, "%s: \"%.80s\" is not a digest", what, digest);
        if ((size_t)(colon - digest) != 6 || strncmp(digest, "sha256", 6) != 0)
                return berr_fail(err, ENOTSUP, "%s: digest algorithm \"%.*s\" is not supported",
                                 what, (int)(colon - digest) > 32 ? 32 : (int)(colon - digest),
                                 digest);
        const char *hex = colon + 1;
        size_t n = strlen(hex);
        if (n != DIGEST_HEX_LEN)
                return berr_fail(err, EINVAL, "%s: \"%.80s\" is not a sha256 digest", what, digest);
        for (size_t i = 0; i < n; i++) {
                char c = hex[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                        return berr_fail(err, EINVAL, "%s: \"%.80s\" is not a sha256 digest", what,
                                         digest);
        }
        return 0;
}
