/* Platforms (os/arch[/variant]): the host's, --platform parsing, and
 * matching against image index entries (variant-aware for arm). */
#ifndef BERTH_UNPACK_PLATFORM_H
#define BERTH_UNPACK_PLATFORM_H

#include <stdbool.h>

#include "error.h"
#include "image_json.h"

int platform_host(struct platform *p, struct berr *err);
int platform_parse(const char *s, struct platform *p, struct berr *err);
/* 0: no match; 1: os and arch match, variant unknown on one side;
 * 2: exact match. */
int platform_match(const struct platform *want, const struct platform *have);
/* The image config's own os/architecture/variant against WANT (an
 * explicit --platform): a mismatch is an error naming both. */
int platform_check_config(yajl_val config, const struct platform *want, struct berr *err);
/* "linux/arm64/v8" into buf. */
const char *platform_str(const struct platform *p, char *buf, size_t size);

#endif
