/*
 * tiesvm.h - the public API of libtiesvm, and the only way into it.
 *
 * tiesvm labels paragraphs of articles about armed groups and states with one
 * SVM per label field ("head", e.g. stance or topic).  The library reads and
 * segments articles, turns paragraphs into TF-IDF term vectors, classifies them
 * with libsvm models, trains and evaluates such models, and formats records as
 * JSON.  It never prints: every failure comes back as a status code plus a
 * tv_error naming the file and line it is about.
 *
 * Conventions
 *  - Opaque handles come from *_new / *_load / *_read and are released with
 *    *_free(&handle), which sets the handle to NULL; *_free(NULL) and freeing a
 *    NULL handle are no-ops.
 *  - Strings returned by accessors belong to the object they come from and stay
 *    valid until that object is freed, unless said otherwise.
 *  - A tv_error may be NULL wherever one is taken; it is only written when a
 *    function returns something other than TV_OK.
 *  - Out of memory is treated as fatal: the library reports it on stderr and
 *    aborts (like jq and git), so no status code is spent on it.
 */
#ifndef TIESVM_H
#define TIESVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TIESVM_VERSION "0.1.0"
/* Version of the model directory format written by tv_train. */
#define TIESVM_MODEL_FORMAT_VERSION 1

/* ---------------------------------------------------------------- errors */

typedef enum tv_status {
    TV_OK = 0,
    TV_ERR_IO,       /* a file could not be opened, read or written */
    TV_ERR_PARSE,    /* malformed input: JSON, UTF-8, table syntax */
    TV_ERR_DATA,     /* well-formed but unusable data: missing text or label */
    TV_ERR_MODEL,    /* a model directory that is missing, corrupt or mismatched */
    TV_ERR_ARG,      /* a bad argument or option value from the caller */
    TV_ERR_INTERNAL  /* a failure in a dependency (PCRE2, libsvm) */
} tv_status;

typedef struct tv_error {
    tv_status status;
    char file[1024]; /* the file the error is about, "" if none */
    long line;       /* 1-based line in that file, 0 if not about a line */
    char message[1024];
} tv_error;

/* A short fixed name for a status ("io error", "parse error", ...). */
const char *tv_status_name(tv_status status);

/* Formats "FILE:LINE: MESSAGE" (or "FILE: MESSAGE", or "MESSAGE") into buf,
 * always NUL-terminated; returns buf. */
const char *tv_error_text(const tv_error *err, char *buf, size_t size);

/* ---------------------------------------------------------------- buffer */

/* A growable byte buffer, used to hand formatted output to the caller.
 * Zero-initialise it ({0}); data is NUL-terminated when non-NULL. */
typedef struct tv_buf {
    char *data;
    size_t len;
    size_t cap;
} tv_buf;

void tv_buf_free(tv_buf *buf); /* releases data and zeroes the struct */

/* ---------------------------------------------------------- segmentation */

/* A paragraph: bytes [start, end) of the original input. */
typedef struct tv_span {
    size_t start;
    size_t end;
} tv_span;

/*
 * Splits text into paragraphs separated by one or more blank lines (lines
 * holding only white space, Unicode spaces included).  Handles LF, CRLF and a
 * leading UTF-8 byte order mark; leading and trailing white space is not part
 * of a paragraph.  Every non-blank paragraph is returned, however short.
 * *spans is allocated (free() it); *count may be 0, then *spans is NULL.
 */
void tv_segment(const char *text, size_t len, tv_span **spans, size_t *count);

/* ----------------------------------------------------------- actor table */

/*
 * The actor table maps spellings of each actor to one canonical name.  It is
 * a text file, one entry a line: CANONICAL <TAB> PCRE2-PATTERN; '#' starts a
 * comment line.  Patterns are matched case-insensitively (a pattern may turn
 * that off with (?-i)), on text whose quotes and dashes are folded to ASCII,
 * only at word boundaries; at one position the first entry that matches wins,
 * so put longer spellings first.
 */
typedef struct tv_actors tv_actors;

tv_status tv_actors_load(const char *path, tv_actors **out, tv_error *err);
/* Same from memory; name is used in error messages. */
tv_status tv_actors_parse(const char *text, size_t len, const char *name,
                          tv_actors **out, tv_error *err);
void tv_actors_free(tv_actors **actors);
/* Number of distinct canonical names, and the i-th (sorted, 0-based). */
size_t tv_actors_count(const tv_actors *actors);
const char *tv_actors_name(const tv_actors *actors, size_t i);

/* ------------------------------------------------------------------ model */

typedef struct tv_model tv_model;

/*
 * Loads a model directory written by tv_train: checks the manifest's format
 * version and the SHA-256 of every file it lists, then loads the vocabulary,
 * the actor table and each head's libsvm model.  Not thread-safe (libsvm's
 * loader is not); load before starting threads.
 */
tv_status tv_model_load(const char *dir, tv_model **out, tv_error *err);
void tv_model_free(tv_model **model);

const char *tv_model_id(const tv_model *model);
const char *tv_model_dir(const tv_model *model);
size_t tv_model_head_count(const tv_model *model);
const char *tv_model_head_name(const tv_model *model, size_t head);
/* Index of the head called name, or (size_t)-1. */
size_t tv_model_find_head(const tv_model *model, const char *name);
size_t tv_model_label_count(const tv_model *model, size_t head);
const char *tv_model_label_name(const tv_model *model, size_t head, size_t label);
/* The manifest as loaded (for summaries); JSON text owned by the model. */
const char *tv_model_manifest_json(const tv_model *model);
size_t tv_model_vocab_size(const tv_model *model);
const tv_actors *tv_model_actors(const tv_model *model);

/* Terms with the largest weights toward one label of a head. */
typedef struct tv_term_weight {
    const char *term;   /* owned by the model */
    double weight;
} tv_term_weight;

/*
 * Fills out (room for max entries) with the terms that push a linear head
 * most toward label, heaviest first, and sets *count.  The weight is the
 * mean, over the label's one-vs-one classifiers, of the term's weight toward
 * it.  TV_ERR_ARG for a non-linear head or a bad index.
 */
tv_status tv_model_top_terms(const tv_model *model, size_t head, size_t label, size_t max,
                             tv_term_weight *out, size_t *count, tv_error *err);

/* ------------------------------------------------------------- classify */

/* Per-thread scratch for classification; one model, many workers. */
typedef struct tv_worker tv_worker;

tv_worker *tv_worker_new(const tv_model *model);
void tv_worker_free(tv_worker **worker);

/* Linear heads are predicted from weight vectors collapsed at load time,
 * with probabilities that agree with libsvm's; on = 1 makes this worker use
 * libsvm's own support-vector path instead (for comparison and tests). */
void tv_worker_use_libsvm(tv_worker *worker, int on);

/*
 * With max > 0, every tv_classify of this worker also explains each linear
 * head's decision: the (at most max) terms of the paragraph with the
 * largest positive contribution to the chosen label, largest first, where a
 * term's contribution is its TF-IDF value times its weight toward the label
 * (the mean over the label's one-vs-one classifiers, as tv_model_top_terms).
 * Heads with another kernel get no terms.  0 turns it off (the default).
 */
void tv_worker_explain(tv_worker *worker, size_t max);

typedef struct tv_head_result {
    size_t label;         /* index of the chosen label */
    const double *probs;  /* one probability per label, label order */
    const tv_term_weight *why; /* explanation (tv_worker_explain), or NULL */
    size_t why_count;
} tv_head_result;

typedef struct tv_result {
    size_t head_count;
    const tv_head_result *heads;   /* one per model head, head order */
    size_t actor_count;
    const char *const *actors;     /* canonical names mentioned, sorted */
    int invalid_utf8;              /* the text had bytes that are not UTF-8 */
    int truncated;                 /* only the first TV_MAX_PARAGRAPH bytes were read */
    int explained;                 /* heads carry "why" terms (tv_worker_explain) */
} tv_result;

/* Paragraphs longer than this many bytes are classified on their first
 * TV_MAX_PARAGRAPH bytes only (and flagged as truncated). */
#define TV_MAX_PARAGRAPH (1u << 20)

/*
 * Classifies one paragraph (any bytes; invalid UTF-8 is replaced by U+FFFD
 * for analysis).  The result points into the worker and stays valid until
 * the worker's next call.  Thread-safe across distinct workers.
 */
void tv_classify(tv_worker *worker, const char *text, size_t len, tv_result *out);

/* ---------------------------------------------------------------- output */

typedef struct tv_record {
    const char *doc;       /* path or id of the document */
    size_t para;           /* 0-based paragraph index in the document */
    size_t start, end;     /* byte offsets in the document */
    const char *text;      /* the paragraph's bytes, or NULL to omit "text" */
    size_t text_len;
    const char *meta_json; /* a serialized JSON object for "meta", or NULL */
    int utf16;             /* the document was UTF-16, transcoded to UTF-8 */
} tv_record;

/* Appends one JSON Lines record (with its trailing newline) to out.  A
 * "flags" array follows "actors" when the result or record has flags:
 * "invalid-utf8", "truncated", "utf16". */
void tv_record_append_json(tv_buf *out, const tv_model *model, const tv_record *record,
                           const tv_result *result);
/* Appends {"doc": DOC, "error": MESSAGE} and a newline. */
void tv_error_record_append_json(tv_buf *out, const char *doc, const char *message);

/* ---------------------------------------------------------- table output */

/* Output formats of tv_classify_stream.  JSONL (0) is the default. */
typedef enum tv_output_format {
    TV_OUTPUT_JSONL = 0, /* one JSON record per line */
    TV_OUTPUT_JSON = 1,  /* one JSON array of the records ("[\n", records joined by
                            ",\n", "\n]\n"; "[\n]\n" when there are none) */
    TV_OUTPUT_CSV = 2,   /* RFC 4180: header row, CRLF line ends, fields quoted when
                            they hold a comma, quote, CR or LF, quotes doubled */
    TV_OUTPUT_TSV = 3    /* header row, LF line ends; tab, LF, CR and backslash in a
                            field written as \t \n \r \\ */
} tv_output_format;

/*
 * CSV and TSV columns, in this order: doc, para, start, end, then for each
 * head in model order HEAD and HEAD_confidence, then actors (";"-joined),
 * flags (";"-joined), text (only with_text), error.  A paragraph row has an
 * empty error; a failed document's row has only doc and error.
 * Invalid UTF-8 in a field is written as U+FFFD.
 */
void tv_table_append_header(tv_buf *out, const tv_model *model, tv_output_format format,
                            int with_text);
void tv_record_append_table(tv_buf *out, const tv_model *model, const tv_record *record,
                            const tv_result *result, tv_output_format format);
void tv_error_record_append_table(tv_buf *out, const tv_model *model, const char *doc,
                                  const char *message, tv_output_format format,
                                  int with_text);
/* Appends one field quoted or escaped for format (CSV or TSV; other formats
 * append it as it is). */
void tv_table_append_field(tv_buf *out, const char *s, size_t len, tv_output_format format);

/* Framing of a whole output: what comes before the first record (the header
 * row, or "[" for JSON), how the record numbered index (0-based, as produced
 * by the appenders above, with its newline) joins the ones before it, and
 * what closes the output after count records. */
void tv_output_append_begin(tv_buf *out, const tv_model *model, tv_output_format format,
                            int with_text);
void tv_output_append_record(tv_buf *out, tv_output_format format, const char *record,
                             size_t len, size_t index);
void tv_output_append_end(tv_buf *out, tv_output_format format, size_t count);

/* ----------------------------------------------------------------- input */

typedef enum tv_input_format { TV_INPUT_TEXT = 0, TV_INPUT_JSONL = 1 } tv_input_format;

/* A paragraph found while reading: offsets in the file (end exclusive), and
 * where its kept bytes (at most a little over TV_MAX_PARAGRAPH) sit in the
 * document's text. */
typedef struct tv_paragraph {
    size_t start, end;
    size_t text_at, text_len;
} tv_paragraph;

/* One article, or one part of a long text file.  All fields are owned by the
 * document (tv_document_clear). */
typedef struct tv_document {
    char *name;       /* the path; for JSONL the "id", or FILE:LINE without one */
    char *text;       /* the article's bytes (NUL-terminated copy) */
    size_t len;
    char *meta_json;  /* JSONL fields other than id and text, as an object, or NULL */
    int failed;       /* the document could not be read; error says why */
    int utf16;        /* a text file in UTF-16 (byte order mark), transcoded to UTF-8:
                         offsets then refer to the UTF-8 text */
    tv_error error;
    /* Text files are read in parts of a few MB, already split: paragraphs
     * then lists this part's paragraphs and text holds their kept bytes.
     * NULL for JSONL and UTF-16 documents, whose text is segmented whole. */
    tv_paragraph *paragraphs;
    size_t paragraph_count;
    size_t first_para;     /* index in the document of the first paragraph */
    int continues;         /* a later part of a document already started */
    uint64_t input_bytes;  /* bytes of input this document or part covers */
} tv_document;

/*
 * Reads documents from paths in order.  A path is a file, a directory
 * (searched recursively, entries in byte order, only *.txt in text mode or
 * *.jsonl in JSONL mode), or "-" for stdin.  With no paths, reads stdin.
 * Text: each file is one document.  JSONL: each non-blank line is one
 * document {"id": ..., "text": ...}.  Unreadable files and bad lines come
 * back as failed documents, in their place, and reading goes on.
 */
typedef struct tv_reader tv_reader;

tv_reader *tv_reader_new(const char *const *paths, size_t count, tv_input_format format);
void tv_reader_free(tv_reader **reader);
/* Fills doc with the next document and returns 1, or returns 0 at the end. */
int tv_reader_next(tv_reader *reader, tv_document *doc);
void tv_document_clear(tv_document *doc);

/* ---------------------------------------------------------- bulk classify */

struct tv_classify_stats;

typedef struct tv_classify_options {
    int threads;    /* worker threads (>= 1) */
    int with_text;  /* include "text" in records */
    size_t explain; /* > 0: add "why", this many terms per head */
    /* Called after each batch of records is written (may be NULL). */
    void (*on_progress)(void *ctx, const struct tv_classify_stats *stats);
    void *progress_ctx;
    tv_output_format format; /* JSONL unless set */
} tv_classify_options;

typedef struct tv_classify_stats {
    size_t documents;   /* documents read, failed ones included */
    size_t failed;      /* documents that could not be processed */
    size_t paragraphs;  /* records written */
    uint64_t bytes;     /* input bytes of the documents read */
} tv_classify_stats;

/* Receives output; returns 0 on success, non-zero on a write error. */
typedef int (*tv_write_fn)(void *ctx, const char *data, size_t len);
typedef void (*tv_error_fn)(void *ctx, const tv_error *err);

/*
 * Segments and classifies every document of reader, writing one record (in
 * opts->format) per paragraph, or one error record per failed document, in
 * input order and byte-identical whatever the thread count.  Failed documents are also
 * passed to on_doc_error (may be NULL).  Returns TV_OK when everything read
 * was written (stats tells how many documents failed), TV_ERR_IO when write
 * failed.
 */
tv_status tv_classify_stream(const tv_model *model, tv_reader *reader,
                             const tv_classify_options *opts, tv_write_fn write,
                             void *write_ctx, tv_error_fn on_doc_error, void *error_ctx,
                             tv_classify_stats *stats, tv_error *err);

/* -------------------------------------------------------------- datasets */

/*
 * Labeled examples read from JSON Lines: {"text": "...", HEAD: "label", ...}
 * where a head's value may also be an object with a "label" string (so
 * classify output, once corrected, reads as training data).
 */
typedef struct tv_dataset tv_dataset;

/* heads: the label fields to read.  With require_all, an example lacking a
 * label for any head is an error (training); otherwise it is kept and the
 * missing head is skipped for it (evaluation). */
tv_dataset *tv_dataset_new(const char *const *heads, size_t head_count, int require_all);
void tv_dataset_free(tv_dataset **data);

/* Appends the examples of one JSONL file ("-" reads stdin).  Every bad line is
 * reported through the callback (if any) with file and line; the call returns
 * the first error (or TV_OK) after reading the whole file, and bad lines are
 * not added. */
tv_status tv_dataset_read(tv_dataset *data, const char *path, tv_error_fn on_error,
                          void *ctx, tv_error *err);

size_t tv_dataset_size(const tv_dataset *data);
size_t tv_dataset_head_count(const tv_dataset *data);
const char *tv_dataset_head_name(const tv_dataset *data, size_t head);
const char *tv_dataset_text(const tv_dataset *data, size_t i, size_t *len);
/* The example's label for a head, or NULL if it has none. */
const char *tv_dataset_label(const tv_dataset *data, size_t i, size_t head);
/* Where example i came from (for messages), and that file's number: 0 for
 * the first tv_dataset_read, 1 for the next, ... */
const char *tv_dataset_file(const tv_dataset *data, size_t i);
size_t tv_dataset_file_index(const tv_dataset *data, size_t i);
long tv_dataset_line(const tv_dataset *data, size_t i);

/* -------------------------------------------------------------- training */

typedef enum tv_kernel { TV_KERNEL_LINEAR = 0, TV_KERNEL_RBF = 1 } tv_kernel;

typedef struct tv_train_options {
    const char *actors_path;  /* actor table to use and copy into the model */
    const char *cues_path;    /* cue table (same format), or NULL for no cue terms */
    int folds;                /* cross-validation folds (>= 2) */
    int group_folds;          /* keep each data file within one fold, so C is chosen
                                 for files (sources, writers) not seen in training */
    const double *c_values;   /* candidate C values */
    size_t c_count;
    tv_kernel kernel;
    double gamma;             /* RBF gamma */
    int balanced;             /* class weights inversely proportional to counts */
    uint64_t seed;
    int min_df;               /* minimum document frequency of a term */
    int word_ngram_max;       /* word n-grams 1..this (1 to 3) */
    int char_ngram_min;       /* character n-grams (0 = off) */
    int char_ngram_max;
    int actor_pairs;          /* add one feature per pair of actors mentioned */
    int shape;                /* add length, question and quotation terms; URLs as %url */
    int workers;              /* training processes (0 = online cores); the result
                                 does not depend on it */
    const char *const *data_names; /* training file names for the manifest */
    size_t data_name_count;
    /* Called with the temporary directory's path as soon as it exists, so a
     * caller can remove it if the process is interrupted (may be NULL). */
    void (*on_temp_dir)(void *ctx, const char *path);
    void *temp_ctx;
    /* Progress (may be NULL): stage is "cross-validation" or "training";
     * done of total fits finished in that stage. */
    void (*on_progress)(void *ctx, const char *stage, size_t done, size_t total);
    void *progress_ctx;
} tv_train_options;

/* Fills the defaults: 5 folds, C in {0.1, 1, 10}, linear, balanced, seed 1,
 * min_df 2, word 1-2-grams, no character n-grams, actor pairs and shape
 * terms on, no cue table. */
void tv_train_options_init(tv_train_options *opts);

/*
 * Trains one SVM per head of data and writes the model directory out_dir:
 * built in a temporary directory beside it and renamed into place, so a
 * failed or interrupted run leaves any previous model untouched.
 * Deterministic for given data and options.
 */
tv_status tv_train(const tv_dataset *data, const tv_train_options *opts,
                   const char *out_dir, tv_error *err);

/* ------------------------------------------------------------ evaluation */

typedef struct tv_eval tv_eval;

/*
 * Classifies every example of data (each text as one paragraph) and compares
 * with its labels, for every model head that the data has.  Gold labels the
 * model does not know are counted (always wrong) and reported through
 * on_error once per label.
 */
tv_status tv_evaluate(const tv_model *model, const tv_dataset *data, tv_error_fn on_error,
                      void *ctx, tv_eval **out, tv_error *err);
void tv_eval_free(tv_eval **eval);
/* Human-readable report: accuracy, macro-F1, per-label P/R/F1, confusion. */
void tv_eval_append_text(const tv_eval *eval, tv_buf *out);
/* The same as one JSON object (with a trailing newline). */
void tv_eval_append_json(const tv_eval *eval, tv_buf *out);
/* Macro-F1 of one head by name, or -1 if the head was not evaluated. */
double tv_eval_macro_f1(const tv_eval *eval, const char *head);
double tv_eval_accuracy(const tv_eval *eval, const char *head);

/* --------------------------------------------------------------- hashing */

/* SHA-256 of a byte string, as 64 lowercase hex digits plus NUL. */
void tv_sha256_hex(const void *data, size_t len, char hex[65]);
/* SHA-256 of a file's contents. */
tv_status tv_sha256_file(const char *path, char hex[65], tv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TIESVM_H */
