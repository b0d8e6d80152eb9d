/*
 * normalize.c - typographic and case folding of paragraph text, so that the
 * many ways of typing the same word become one token.
 */
#include "normalize.h"

#include "utf8.h"
#include "util.h"

/* ASCII replacement for a typographic code point, or NULL to keep it.
 * "" deletes the character. */
static const char *fold_char(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x00B4:
    case 0x02BB: case 0x02BC: case 0x02BE: case 0x02BF: case 0x0060: case 0xFF07:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB: case 0xFF02:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
        return "-";
    case 0x2026:
        return "...";
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return "";
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: case 0x2028:
    case 0x2029: case '@':
        return " ";
    default:
        if (cp >= 0x2000 && cp <= 0x200A)
            return " ";
        if (cp < 0x20 || cp == 0x7F)
            return " ";
        return NULL;
    }
}

int tv_fold_typography(const char *text, size_t len, tv_buf *out)
{
    int invalid = 0;
    tv_buf_reserve(out, len);
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7F && c != '@' && c != '`') {
            /* Fast path: copy a run of plain printable ASCII. */
            size_t run = i + 1;
            while (run < len) {
                unsigned char d = (unsigned char)text[run];
                if (d < 0x20 || d >= 0x7F || d == '@' || d == '`')
                    break;
                run++;
            }
            tv_buf_append(out, text + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t n = tv_utf8_decode(text + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1 && tv_utf8_valid_prefix(text + i, len - i) == 0)
            invalid = 1;
        const char *rep = fold_char(cp);
        if (rep) {
            tv_buf_puts(out, rep);
        } else {
            char enc[4];
            tv_buf_append(out, enc, tv_utf8_encode(cp, enc));
        }
        i += n;
    }
    return invalid;
}

static uint32_t lower_cp(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    if (cp >= 0x100 && cp <= 0x137 && !(cp & 1))
        return cp + 1;
    if (cp >= 0x139 && cp <= 0x148 && (cp & 1))
        return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && !(cp & 1))
        return cp + 1;
    if (cp == 0x179 || cp == 0x17B || cp == 0x17D)
        return cp + 1;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return cp;
}

void tv_fold_case(char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                text[i] = (char)(c + 32);
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = tv_utf8_decode(text + i, len - i, &cp);
        uint32_t low = lower_cp(cp);
        if (low != cp) {
            char enc[4];
            size_t m = tv_utf8_encode(low, enc);
            if (m == n) {
                for (size_t k = 0; k < m; k++)
                    text[i + k] = enc[k];
            }
        }
        i += n;
    }
}
