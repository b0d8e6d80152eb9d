/*
 * utf8.h - UTF-8 decoding and validation, the one place that knows the
 * encoding's rules (shortest form, no surrogates, at most U+10FFFF).
 * Internal to libtiesvm.
 */
#ifndef TV_UTF8_H
#define TV_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define TV_UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if the bytes there do
 * not start one. */
size_t tv_utf8_valid_prefix(const char *s, size_t len);

/* Decodes the sequence at s: returns its length and stores the code point,
 * or returns 1 and stores U+FFFD for an invalid byte.  len must be > 0. */
size_t tv_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (at least 4 bytes); returns the length. */
size_t tv_utf8_encode(uint32_t cp, char *out);

#endif
