/* SHA-256 (FIPS 180-4) in plain C, for the runtime's small hashing needs
 * (the seccomp filter cache key and its tamper check). The runtime does not
 * link libcrypto: loading it costs every berth command ~0.6 ms (measured;
 * see docs/architecture.md, "seccomp"). */
#ifndef BERTH_SHA256_PLAIN_H
#define BERTH_SHA256_PLAIN_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_PLAIN_SIZE 32
#define SHA256_PLAIN_HEX_SIZE (2 * SHA256_PLAIN_SIZE + 1)

struct sha256_plain {
        uint32_t h[8];
        uint64_t total; /* bytes hashed so far */
        uint8_t block[64];
        size_t used; /* bytes waiting in block */
};

void sha256_plain_init(struct sha256_plain *s);
void sha256_plain_update(struct sha256_plain *s, const void *data, size_t len);
void sha256_plain_final(struct sha256_plain *s, uint8_t out[SHA256_PLAIN_SIZE]);

/* One-shot digest of LEN bytes. */
void sha256_plain_digest(const void *data, size_t len, uint8_t out[SHA256_PLAIN_SIZE]);

/* Lower-case hex of a digest, NUL-terminated. */
void sha256_plain_hex(const uint8_t digest[SHA256_PLAIN_SIZE], char out[SHA256_PLAIN_HEX_SIZE]);

#endif
