/* SHA-256 digests of blobs (OpenSSL EVP, which uses SHA-NI where the CPU
 * has it) and the "sha256:<64 hex>" strings that name them. */
#ifndef BERTH_UNPACK_DIGEST_H
#define BERTH_UNPACK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define DIGEST_HEX_LEN 64
/* "sha256:" + 64 hex + NUL */
#define DIGEST_STR_MAX 72

struct sha256 {
        void *ctx; /* EVP_MD_CTX */
};

int sha256_init(struct sha256 *h, struct berr *err);
void sha256_update(struct sha256 *h, const void *buf, size_t len);
/* Writes "sha256:<hex>" into out (DIGEST_STR_MAX bytes) and frees the state. */
int sha256_final(struct sha256 *h, char out[DIGEST_STR_MAX], struct berr *err);
void sha256_free(struct sha256 *h);

/* One-shot digest of a buffer. */
int sha256_buf(const void *buf, size_t len, char out[DIGEST_STR_MAX], struct berr *err);

/* A digest string berth can verify: "sha256:" and 64 lowercase hex digits.
 * Other algorithms (sha512...) and malformed strings are refused with a
 * message naming WHAT ("layer 2 digest"). */
int digest_check(const char *digest, const char *what, struct berr *err);

/* The hex part of a checked digest. */
static inline const char *digest_hex(const char *digest)
{
        return digest + 7;
}

#endif
