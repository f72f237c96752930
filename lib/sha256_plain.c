/* SHA-256 as FIPS 180-4 defines it: 64-byte blocks, 64 rounds, big-endian
 * length padding. Written for clarity; fast enough for tens of kilobytes. */
#include "sha256_plain.h"

#include <string.h>

static const uint32_t round_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
        return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t h[8], const uint8_t block[64])
{
        uint32_t w[64];
        uint32_t a, b, c, d, e, f, g, hh;

        for (int i = 0; i < 16; i++)
                w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
                       (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
        for (int i = 16; i < 64; i++) {
                uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
                uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
                uint32_t big1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
                uint32_t choose = (e & f) ^ (~e & g);
                uint32_t t1 = hh + big1 + choose + round_k[i] + w[i];
                uint32_t big0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
                uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
                uint32_t t2 = big0 + majority;

                hh = g, g = f, f = e, e = d + t1;
                d = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d;
        h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void sha256_plain_init(struct sha256_plain *s)
{
        static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

        memcpy(s->h, initial, sizeof(initial));
        s->total = 0;
        s->used = 0;
}

void sha256_plain_update(struct sha256_plain *s, const void *data, size_t len)
{
        const uint8_t *p = data;

        s->total += len;
        if (s->used > 0) {
                size_t take = 64 - s->used < len ? 64 - s->used : len;

                memcpy(s->block + s->used, p, take);
                s->used += take;
                p += take;
                len -= take;
                if (s->used < 64)
                        return;
                compress(s->h, s->block);
                s->used = 0;
        }
        for (; len >= 64; p += 64, len -= 64)
                compress(s->h, p);
        memcpy(s->block, p, len);
        s->used = len;
}

void sha256_plain_final(struct sha256_plain *s, uint8_t out[SHA256_PLAIN_SIZE])
{
        uint64_t bits = s->total * 8;

        s->block[s->used++] = 0x80;
        if (s->used > 56) {
                memset(s->block + s->used, 0, 64 - s->used);
                compress(s->h, s->block);
                s->used = 0;
        }
        memset(s->block + s->used, 0, 56 - s->used);
        for (int i = 0; i < 8; i++)
                s->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
        compress(s->h, s->block);
        for (int i = 0; i < 8; i++) {
                out[4 * i] = (uint8_t)(s->h[i] >> 24);
                out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
                out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
                out[4 * i + 3] = (uint8_t)s->h[i];
        }
}

void sha256_plain_digest(const void *data, size_t len, uint8_t out[SHA256_PLAIN_SIZE])
{
        struct sha256_plain s;

        sha256_plain_init(&s);
        sha256_plain_update(&s, data, len);
        sha256_plain_final(&s, out);
}

void sha256_plain_hex(const uint8_t digest[SHA256_PLAIN_SIZE], char out[SHA256_PLAIN_HEX_SIZE])
{
        static const char hexdigits[] = "0123456789abcdef";

        for (int i = 0; i < SHA256_PLAIN_SIZE; i++) {
                out[2 * i] = hexdigits[digest[i] >> 4];
                out[2 * i + 1] = hexdigits[digest[i] & 0xf];
        }
        out[2 * SHA256_PLAIN_SIZE] = '\0';
}
