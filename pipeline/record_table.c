/*
 * record_table.c - the other output formats of classify: CSV (RFC 4180) and
 * TSV rows of a record (tv_record_append_table), their header row, and the
 * framing that turns records into one JSON array or one table
 * (tv_output_append_*).  The JSON record itself is record.c's.
 */
#include <string.h>

#include "model_internal.h"
#include "utf8.h"
#include "util.h"

static int is_table(tv_output_format format)
{
    return format == TV_OUTPUT_CSV || format == TV_OUTPUT_TSV;
}

static char field_separator(tv_output_format format)
{
    return format == TV_OUTPUT_TSV ? '\t' : ',';
}

static const char *row_end(tv_output_format format)
{
    return format == TV_OUTPUT_CSV ? "\r\n" : "\n";
}

/* TSV's escape for c, or NULL when c stands as it is. */
static const char *tsv_escape(unsigned char c)
{
    switch (c) {
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    default: return NULL;
    }
}

/* Appends s with invalid UTF-8 replaced by U+FFFD and its ASCII escaped
 * for the format: CSV doubles quotes (the caller adds the enclosing ones),
 * TSV writes tab, LF, CR and backslash as \t \n \r \\. */
static void append_field_body(tv_buf *out, const char *s, size_t len, tv_output_format format)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t n = tv_utf8_valid_prefix(s + i, len - i);
            tv_buf_append(out, n ? s + i : TV_UTF8_REPLACEMENT, n ? n : 3);
            i += n ? n : 1;
            continue;
        }
        const char *escape = format == TV_OUTPUT_TSV ? tsv_escape(c) : NULL;
        if (format == TV_OUTPUT_CSV && c == '"')
            tv_buf_putc(out, '"');
        if (escape)
            tv_buf_puts(out, escape);
        else
            tv_buf_putc(out, (char)c);
        i++;
    }
}

static int csv_needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

void tv_table_append_field(tv_buf *out, const char *s, size_t len, tv_output_format format)
{
    int quoted = format == TV_OUTPUT_CSV && csv_needs_quotes(s, len);
    if (quoted)
        tv_buf_putc(out, '"');
    if (format == TV_OUTPUT_CSV || format == TV_OUTPUT_TSV)
        append_field_body(out, s, len, format);
    else
        tv_buf_append(out, s, len);
    if (quoted)
        tv_buf_putc(out, '"');
}

/* A separator, then one field. */
static void add_field(tv_buf *out, const char *s, tv_output_format format)
{
    tv_buf_putc(out, field_separator(format));
    tv_table_append_field(out, s, strlen(s), format);
}

static void add_empty_fields(tv_buf *out, size_t count, tv_output_format format)
{
    for (size_t i = 0; i < count; i++)
        tv_buf_putc(out, field_separator(format));
}

void tv_table_append_header(tv_buf *out, const tv_model *model, tv_output_format format,
                            int with_text)
{
    tv_table_append_field(out, "doc", 3, format);
    add_field(out, "para", format);
    add_field(out, "start", format);
    add_field(out, "end", format);
    for (size_t h = 0; h < model->head_count; h++) {
        const char *name = model->heads[h].name;
        add_field(out, name, format);
        tv_buf column = {0};
        tv_buf_puts(&column, name);
        tv_buf_puts(&column, "_confidence");
        add_field(out, column.data, format);
        tv_buf_free(&column);
    }
    add_field(out, "actors", format);
    add_field(out, "flags", format);
    if (with_text)
        add_field(out, "text", format);
    add_field(out, "error", format);
    tv_buf_puts(out, row_end(format));
}

/* The ";"-joined actors of a result. */
static void add_actors(tv_buf *out, const tv_result *res, tv_output_format format)
{
    tv_buf joined = {0};
    for (size_t a = 0; a < res->actor_count; a++) {
        if (a)
            tv_buf_putc(&joined, ';');
        tv_buf_puts(&joined, res->actors[a]);
    }
    add_field(out, joined.data ? joined.data : "", format);
    tv_buf_free(&joined);
}

/* The ";"-joined flags, in the order of the JSON record's "flags". */
static void add_flags(tv_buf *out, const tv_record *rec, const tv_result *res,
                      tv_output_format format)
{
    const char *names[3];
    size_t n = 0;
    if (res->invalid_utf8)
        names[n++] = "invalid-utf8";
    if (res->truncated)
        names[n++] = "truncated";
    if (rec->utf16)
        names[n++] = "utf16";
    tv_buf joined = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            tv_buf_putc(&joined, ';');
        tv_buf_puts(&joined, names[i]);
    }
    add_field(out, joined.data ? joined.data : "", format);
    tv_buf_free(&joined);
}

void tv_record_append_table(tv_buf *out, const tv_model *model, const tv_record *rec,
                            const tv_result *res, tv_output_format format)
{
    tv_table_append_field(out, rec->doc, strlen(rec->doc), format);
    char sep = field_separator(format);
    tv_buf_printf(out, "%c%zu%c%zu%c%zu", sep, rec->para, sep, rec->start, sep, rec->end);
    for (size_t h = 0; h < res->head_count; h++) {
        const tv_head *head = &model->heads[h];
        const tv_head_result *hr = &res->heads[h];
        add_field(out, head->labels[hr->label], format);
        tv_buf_putc(out, sep);
        tv_buf_json_prob(out, hr->probs[hr->label]);
    }
    add_actors(out, res, format);
    add_flags(out, rec, res, format);
    if (rec->text) {
        tv_buf_putc(out, sep);
        tv_table_append_field(out, rec->text, rec->text_len, format);
    }
    tv_buf_putc(out, sep); /* empty error */
    tv_buf_puts(out, row_end(format));
}

void tv_error_record_append_table(tv_buf *out, const tv_model *model, const char *doc,
                                  const char *message, tv_output_format format,
                                  int with_text)
{
    tv_table_append_field(out, doc, strlen(doc), format);
    /* para, start, end, two per head, actors, flags, text */
    size_t empty = 3 + 2 * model->head_count + 2 + (with_text ? 1 : 0);
    add_empty_fields(out, empty, format);
    add_field(out, message, format);
    tv_buf_puts(out, row_end(format));
}

void tv_output_append_begin(tv_buf *out, const tv_model *model, tv_output_format format,
                            int with_text)
{
    if (format == TV_OUTPUT_JSON)
        tv_buf_puts(out, "[\n");
    else if (is_table(format))
        tv_table_append_header(out, model, format, with_text);
}

void tv_output_append_record(tv_buf *out, tv_output_format format, const char *record,
                             size_t len, size_t index)
{
    if (format != TV_OUTPUT_JSON) {
        tv_buf_append(out, record, len);
        return;
    }
    /* A JSON Lines record without its newline, after ",\n" from the second on. */
    if (index > 0)
        tv_buf_puts(out, ",\n");
    if (len > 0 && record[len - 1] == '\n')
        len--;
    tv_buf_append(out, record, len);
}

void tv_output_append_end(tv_buf *out, tv_output_format format, size_t count)
{
    if (format == TV_OUTPUT_JSON)
        tv_buf_puts(out, count ? "\n]\n" : "]\n");
}
