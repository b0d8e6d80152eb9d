/*
 * sha256.h - incremental SHA-256 (the one-shot forms are in tiesvm.h).
 * Internal to libtiesvm.
 */
#ifndef TV_SHA256_H
#define TV_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct tv_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
} tv_sha256;

void tv_sha256_init(tv_sha256 *ctx);
void tv_sha256_update(tv_sha256 *ctx, const void *data, size_t len);
void tv_sha256_final_hex(tv_sha256 *ctx, char hex[65]);

#endif
