/*
 * cmd_review.c - "tiesvm review": classify records in, one self-contained
 * HTML page out, on which an analyst reads, filters and corrects labels and
 * exports the corrected records as training data.
 *
 * This file owns reading the records (one JSON object a line), embedding
 * them in the page so that no input can break out of its <script> block,
 * and writing the page (atomically with --out).  The page itself - HTML, CSS
 * and JavaScript - is pipeline/cli/review_page.html, compiled in as
 * REVIEW_PAGE by scripts/text2c.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "review_page.h"

static const char USAGE[] =
    "usage: tiesvm review [--out FILE] [LABELS.jsonl]\n"
    "\n"
    "Writes one self-contained HTML page (no network, no server) for reviewing\n"
    "classify records: the articles with each paragraph coloured by stance, its\n"
    "labels and confidences, actor mentions highlighted and, when the records\n"
    "carry them (classify --explain), the terms behind each label.  The page\n"
    "filters by label, actor and document, can put the least confident\n"
    "paragraphs first, lets the analyst change or confirm labels, and exports\n"
    "the records as JSON Lines that 'tiesvm train' accepts as they are: the\n"
    "changed \"label\"s replaced and \"reviewed\": true on every record the\n"
    "analyst changed or confirmed.  The export holds all records (or, with the\n"
    "page's \"only reviewed\" box, the reviewed ones); error records are shown\n"
    "but never exported.\n"
    "\n"
    "LABELS is classify output; none or '-' reads stdin.  The same input gives\n"
    "the same page, byte for byte.\n"
    "\n"
    "options:\n"
    "  -o, --out FILE   write the page to FILE (atomically) instead of stdout\n"
    "\n"
    "A line that is not a JSON object is reported on stderr as FILE:LINE and\n"
    "shown on the page as an error; the rest still goes on the page.  Empty\n"
    "input gives a page that says there are no records.\n"
    "Exit status: 0 all lines read, 2 some lines were not JSON objects, 1 nothing\n"
    "could run (usage, unreadable input, output not writable).\n"
    "\n"
    "example:\n"
    "  tiesvm classify articles/ > labels.jsonl\n"
    "  tiesvm review labels.jsonl -o review.html\n";

/* Where the records go inside the page. */
static const char RECORDS_MARKER[] = "@@TIESVM_RECORDS@@";

typedef struct review_input {
    const char *name; /* for messages and the page: the path, or "stdin" */
    FILE *f;
    long line;
    size_t records;
    size_t bad_lines;
} review_input;

/* Parses the options; returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, const char **labels_path, const char **out_path)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': *out_path = optarg; break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    if (argc - optind > 1) {
        cli_message("review takes one LABELS file, not %d (try 'tiesvm review --help')",
                    argc - optind);
        return EXIT_FATAL;
    }
    *labels_path = optind < argc ? argv[optind] : "-";
    return -1;
}

static int open_input(const char *path, review_input *in)
{
    memset(in, 0, sizeof *in);
    if (strcmp(path, "-") == 0) {
        in->name = "stdin";
        in->f = stdin;
        return 0;
    }
    in->name = path;
    in->f = fopen(path, "rb");
    if (!in->f) {
        cli_message("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * Writes JSON text so that it can sit inside <script type="application/json">:
 * '<', '>' and '&' (which only occur inside JSON strings) become \u003c,
 * \u003e and \u0026, so no "</script>" or "<!--" can appear; U+2028 and
 * U+2029 are escaped too, for any reader that treats them as line ends.
 */
static void write_script_safe_json(FILE *f, const char *json)
{
    for (const char *p = json; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '<' || c == '>' || c == '&') {
            fprintf(f, "\\u%04x", c);
        } else if (c == 0xE2 && (unsigned char)p[1] == 0x80 &&
                   ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
            fputs((unsigned char)p[2] == 0xA8 ? "\\u2028" : "\\u2029", f);
            p += 2;
        } else {
            putc(c, f);
        }
    }
}

static void write_json_value(FILE *f, const json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        abort();
    write_script_safe_json(f, text);
    free(text);
}

/* A JSON string of text, or of a stand-in when text is not valid UTF-8. */
static json_t *json_text(const char *text)
{
    json_t *s = json_string(text);
    return s ? s : json_string("(name not valid UTF-8)");
}

/* What the page shows for a line that is not a JSON object. */
static json_t *bad_line_record(const review_input *in, const char *problem)
{
    char *message;
    if (asprintf(&message, "%s:%ld: %s", in->name, in->line, problem) < 0)
        abort();
    json_t *record = json_object();
    json_object_set_new(record, "doc", json_text(in->name));
    json_object_set_new(record, "error", json_text(message));
    free(message);
    return record;
}

static int is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", line[i]))
            return 0;
    return 1;
}

/* Parses one line into a record; a bad line is reported on stderr and
 * becomes an error record, so it still shows on the page. */
static json_t *read_record(review_input *in, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *value = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (json_is_object(value))
        return value;
    char problem[300];
    if (value)
        snprintf(problem, sizeof problem, "not a JSON object");
    else
        snprintf(problem, sizeof problem, "not a JSON object: %s (column %d)", jerr.text,
                 jerr.column);
    json_decref(value);
    cli_message("%s:%ld: %s", in->name, in->line, problem);
    in->bad_lines++;
    return bad_line_record(in, problem);
}

/* Writes every record of the input as elements of a JSON array; blank lines
 * are skipped.  Returns 0, or -1 on a read error. */
static int write_records(review_input *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in->f)) != -1) {
        in->line++;
        if (is_blank(line, (size_t)len))
            continue;
        json_t *record = read_record(in, line, (size_t)len);
        if (in->records++)
            putc(',', out);
        write_json_value(out, record);
        json_decref(record);
    }
    free(line);
    if (ferror(in->f)) {
        cli_message("%s: cannot read: %s", in->name, strerror(errno));
        return -1;
    }
    return 0;
}

/* The page: the template with {"source": NAME, "records": [...]} in place
 * of the marker. */
static int write_page(review_input *in, FILE *out)
{
    const char *marker = strstr(REVIEW_PAGE, RECORDS_MARKER);
    if (!marker) {
        cli_message("internal error: the review page has no records marker");
        return -1;
    }
    fwrite(REVIEW_PAGE, 1, (size_t)(marker - REVIEW_PAGE), out);
    fputs("{\"source\":", out);
    json_t *source = json_text(in->name);
    write_json_value(out, source);
    json_decref(source);
    fputs(",\"records\":[", out);
    int status = write_records(in, out);
    fputs("]}", out);
    const char *rest = marker + strlen(RECORDS_MARKER);
    fwrite(rest, 1, REVIEW_PAGE_LEN - (size_t)(rest - REVIEW_PAGE), out);
    return status;
}

int cmd_review(int argc, char **argv)
{
    const char *labels_path = NULL, *out_path = NULL;
    int status = parse_args(argc, argv, &labels_path, &out_path);
    if (status >= 0)
        return status;
    review_input in;
    if (open_input(labels_path, &in) != 0)
        return EXIT_FATAL;
    cli_output out;
    if (cli_output_open(&out, out_path) != 0) {
        if (in.f != stdin)
            fclose(in.f);
        return EXIT_FATAL;
    }
    int read_ok = write_page(&in, out.f) == 0;
    if (in.f != stdin)
        fclose(in.f);
    if (cli_output_close(&out, read_ok) != 0)
        return EXIT_FATAL;
    if (in.bad_lines) {
        cli_message("%zu of %ld lines of %s were not JSON objects (see above); they are "
                    "shown on the page as errors",
                    in.bad_lines, in.line, in.name);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}
