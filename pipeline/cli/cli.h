/*
 * cli.h - what the tiesvm commands share: exit statuses, messages on
 * stderr, locating the default model and actor table, list parsing.
 * The CLI uses libtiesvm only through tiesvm.h.
 */
#ifndef TV_CLI_H
#define TV_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tiesvm.h"

/* Exit statuses (documented in the README and in --help). */
enum {
    EXIT_OK = 0,      /* everything was processed */
    EXIT_FATAL = 1,   /* nothing could run: usage, model, refused training data */
    EXIT_PARTIAL = 2  /* ran, but some documents or lines failed */
};

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

int cmd_classify(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_edges(int argc, char **argv);

/* "tiesvm: MESSAGE" on stderr. */
void cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tiesvm: FILE:LINE: MESSAGE" for a library error. */
void cli_error(const tv_error *err);
/* Error callback that prints (ctx: a size_t counter of messages, or NULL). */
void cli_error_cb(void *ctx, const tv_error *err);

/* The model directory to use: the option, else $TIESVM_MODEL, else
 * models/default next to the executable, else the installed data dir. */
const char *cli_default_model(const char *option, char *buf, size_t size);
/* The actor table for training: option, else models/actors.tsv next to the
 * executable, else the installed one. */
const char *cli_default_actors(const char *option, char *buf, size_t size);

/* Adds path to *list, or, for a directory, its *.jsonl files (sorted). */
void cli_add_data_path(const char *path, char ***list, size_t *count);

/* The cue table for training: option, else models/cues.tsv next to the
 * executable, else the installed one. */
const char *cli_default_cues(const char *option, char *buf, size_t size);

/* Splits "a,b,c" into a malloc'd array of malloc'd strings. */
char **cli_split(const char *list, size_t *count);
void cli_free_list(char **list, size_t count);
/* Parses a whole decimal number within [lo, hi]; 0 on success. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* On SIGINT or SIGTERM, remove path (a file) or the model files in path (a
 * directory), then exit with 128 + signal.  The path is copied. */
void cli_cleanup_on_signal(const char *path, int is_dir);

/* Progress on stderr (progress.c). */
enum { CLI_PROGRESS_AUTO = 0, CLI_PROGRESS_NEVER = 1, CLI_PROGRESS_ALWAYS = 2 };
typedef struct cli_progress {
    int on, terminal, shown, have_stats;
    double started, last;
    uint64_t total_bytes;     /* input size for the ETA, 0 if unknown */
    tv_classify_stats classify_stats;
} cli_progress;
/* AUTO: only when stderr is a terminal (--quiet: NEVER, --progress: ALWAYS). */
void cli_progress_init(cli_progress *p, int mode);
/* tv_classify_options.on_progress and tv_train_options.on_progress. */
void cli_progress_classify(void *ctx, const tv_classify_stats *stats);
void cli_progress_train(void *ctx, const char *stage, size_t done, size_t total);
/* The closing line of a classify run. */
void cli_progress_finish(cli_progress *p);
/* Total size of the files the reader will take from paths (suffix .txt or
 * .jsonl for directories); 0 when unknown (stdin). */
uint64_t cli_input_bytes(char *const *paths, size_t count, const char *suffix);

/* Writes to stdout; 0 ok, -1 on error (for tv_write_fn). */
int cli_write_stdout(void *ctx, const char *data, size_t len);
/* Flushes and closes stdout; reports a write error. Returns 0 if all went out. */
int cli_finish_stdout(void);

/* ---- JSON in and out for export, import and edges (jsonio.c) ---- */

struct json_t;

/* Receives one item with the line it starts on; returns 0 if it was used,
 * non-zero if it was bad (the callback has reported why). */
typedef int (*cli_json_item_fn)(void *ctx, struct json_t *item, const char *path, long line);

/* Calls fn for every item of path ("-" = stdin): the elements of a JSON
 * array when the file starts with '[', else every non-blank line (JSON
 * Lines).  Malformed items are reported as FILE:LINE and not passed on;
 * *bad is increased by the number of bad items.  Returns -1 (reported) if
 * the file cannot be read. */
int cli_each_json_item(const char *path, cli_json_item_fn fn, void *ctx, size_t *bad);

/* Output to stdout (path NULL or "-") or atomically to a regular file:
 * written to a temporary name beside it (ordinary permissions), removed on
 * SIGINT/SIGTERM, and renamed into place by cli_output_close.  A path that
 * exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
 * written directly, never replaced. */
typedef struct cli_output {
    FILE *f;
    const char *path;
    char *tmp;
} cli_output;

/* Reports a failure ("PATH: cannot create: ...") and returns -1. */
int cli_output_open(cli_output *out, const char *path);
/* Flushes and closes; with ok, renames into place, else (or on a write
 * error, which it reports) removes the temporary file.  0 if all went out. */
int cli_output_close(cli_output *out, int ok);

/* How the hand-over commands dump JSON: compact, key order kept, numbers
 * with up to 15 significant digits (so 0.9960 stays 0.996). */
#define CLI_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
/* Writes value as one line. */
int cli_write_json_line(FILE *f, const struct json_t *value);

/* The annotation tools of export and import. */
typedef enum cli_annotation_tool { CLI_TOOL_DOCCANO, CLI_TOOL_LABELSTUDIO } cli_annotation_tool;
/* "doccano", "labelstudio" (or "label-studio"); 0, or -1 for another name. */
int cli_parse_annotation_tool(const char *name, cli_annotation_tool *tool);

/* Writes s as XML character data or attribute text: markup characters as
 * entities, control characters XML forbids as U+FFFD. */
void cli_put_xml_text(FILE *f, const char *s);

#endif
