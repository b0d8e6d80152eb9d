/*
 * cmd_classify.c - "tiesvm classify": articles in, one JSON record per
 * paragraph out, in input order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm classify [--model DIR] [--input-format text|jsonl] [--threads N]\n"
    "                       [--format jsonl|json|csv|tsv] [--no-text] [--explain N]\n"
    "                       [--out FILE] [--quiet | --progress] [PATH...]\n"
    "\n"
    "Splits each article into paragraphs (separated by blank lines) and writes one\n"
    "JSON object per paragraph, in input order:\n"
    "  {\"doc\", \"para\", \"start\", \"end\", \"text\", HEAD: {\"label\", \"confidence\",\n"
    "   \"scores\"}..., \"actors\", \"model\", \"meta\"}\n"
    "start and end are byte offsets into the original file (end exclusive).\n"
    "\n"
    "PATHs are files or directories (searched recursively for *.txt, or *.jsonl\n"
    "with --input-format jsonl); none or '-' reads stdin.\n"
    "\n"
    "options:\n"
    "  --model DIR          model directory (default: $TIESVM_MODEL, else the\n"
    "                       shipped models/default)\n"
    "  --input-format FMT   text: each file is one article (default);\n"
    "                       jsonl: each line is {\"id\": ..., \"text\": ...}; other\n"
    "                       fields are copied to \"meta\"\n"
    "  --threads N          worker threads (default: online cores); output is\n"
    "                       identical for any N\n"
    "  --format FMT         jsonl: one JSON record per line (default); json: one\n"
    "                       JSON array of the records; csv (RFC 4180, CRLF) or\n"
    "                       tsv (\\t \\n \\r \\\\ escaped): a header row, then\n"
    "                       doc,para,start,end, HEAD,HEAD_confidence per head,\n"
    "                       actors,flags (;-joined),text,error\n"
    "  --no-text            leave the paragraph text out of the records\n"
    "  --explain N          add \"why\": for each head, the N terms of the paragraph\n"
    "                       that pushed most toward its label, as [term, weight\n"
    "                       times TF-IDF value] (linear models); terms starting\n"
    "                       with @ are actors, with % cues and shapes\n"
    "  --out FILE           write to FILE (atomically) instead of stdout\n"
    "  --quiet              no progress line on stderr (shown by default when\n"
    "                       stderr is a terminal: documents, paragraphs, MB/s, ETA)\n"
    "  --progress           the progress lines even when stderr is not a terminal\n"
    "\n"
    "A document that cannot be read gets {\"doc\": ..., \"error\": ...} in its place\n"
    "and a message on stderr; the rest still goes through.\n"
    "Exit status: 0 all processed, 2 some documents failed, 1 nothing could run.\n"
    "\n"
    "example:\n"
    "  tiesvm classify --threads 2 articles/ > labels.jsonl\n"
    "  tiesvm classify --format csv --no-text articles/ > labels.csv\n";

static int write_file(void *ctx, const char *data, size_t len)
{
    const cli_output *o = ctx;
    return fwrite(data, 1, len, o->f) == len ? 0 : -1;
}

static int parse_output_format(const char *name, tv_output_format *format)
{
    static const struct {
        const char *name;
        tv_output_format format;
    } formats[] = {{"jsonl", TV_OUTPUT_JSONL},
                   {"json", TV_OUTPUT_JSON},
                   {"csv", TV_OUTPUT_CSV},
                   {"tsv", TV_OUTPUT_TSV}};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *format = formats[i].format;
            return 0;
        }
    return -1;
}

static void doc_error(void *ctx, const tv_error *err)
{
    (void)ctx;
    cli_error(err);
}

int cmd_classify(int argc, char **argv)
{
    static const struct option options[] = {
        {"model", required_argument, NULL, 'm'},
        {"input-format", required_argument, NULL, 'f'},
        {"threads", required_argument, NULL, 't'},
        {"no-text", no_argument, NULL, 'n'},
        {"explain", required_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'F'},
        {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL, *out_path = NULL;
    tv_input_format format = TV_INPUT_TEXT;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    tv_classify_options copts = {.threads = cores > 0 ? (int)cores : 1, .with_text = 1,
                                 .format = TV_OUTPUT_JSONL};
    int progress_mode = CLI_PROGRESS_AUTO;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:o:h", options, NULL)) != -1) {
        long v;
        switch (c) {
        case 'm': model_opt = optarg; break;
        case 'o': out_path = optarg; break;
        case 'q': progress_mode = CLI_PROGRESS_NEVER; break;
        case 'P': progress_mode = CLI_PROGRESS_ALWAYS; break;
        case 'n': copts.with_text = 0; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                format = TV_INPUT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0)
                format = TV_INPUT_JSONL;
            else {
                cli_message("--input-format must be text or jsonl, not '%s'", optarg);
                return EXIT_FATAL;
            }
            break;
        case 'x':
            if (cli_parse_long(optarg, 0, 1000, &v)) {
                cli_message("--explain must be a whole number from 0 to 1000");
                return EXIT_FATAL;
            }
            copts.explain = (size_t)v;
            break;
        case 'F':
            if (parse_output_format(optarg, &copts.format) != 0) {
                cli_message("--format must be jsonl, json, csv or tsv, not '%s'", optarg);
                return EXIT_FATAL;
            }
            break;
        case 't':
            if (cli_parse_long(optarg, 1, 256, &v)) {
                cli_message("--threads must be a whole number from 1 to 256");
                return EXIT_FATAL;
            }
            copts.threads = (int)v;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    char buf[PATH_MAX];
    const char *model_dir = cli_default_model(model_opt, buf, sizeof buf);
    tv_model *model;
    tv_error err;
    if (tv_model_load(model_dir, &model, &err) != TV_OK) {
        cli_error(&err);
        return EXIT_FATAL;
    }
    cli_output out;
    if (cli_output_open(&out, out_path) != 0) {
        tv_model_free(&model);
        return EXIT_FATAL;
    }
    setvbuf(out.f, NULL, _IOFBF, 1 << 20);
    tv_reader *reader = tv_reader_new((const char *const *)argv + optind,
                                      (size_t)(argc - optind), format);
    cli_progress progress;
    cli_progress_init(&progress, progress_mode);
    if (progress.on) {
        progress.total_bytes = cli_input_bytes(argv + optind, (size_t)(argc - optind),
                                               format == TV_INPUT_JSONL ? ".jsonl" : ".txt");
        copts.on_progress = cli_progress_classify;
        copts.progress_ctx = &progress;
    }
    tv_classify_stats stats;
    tv_status st = tv_classify_stream(model, reader, &copts, write_file, &out, doc_error, NULL,
                                      &stats, &err);
    tv_reader_free(&reader);
    tv_model_free(&model);
    cli_progress_finish(&progress);
    int write_failed = st != TV_OK;
    if (write_failed && out_path)
        cli_error(&err);
    write_failed |= cli_output_close(&out, !write_failed) != 0;
    if (write_failed)
        return EXIT_FATAL;
    if (stats.failed) {
        cli_message("%zu of %zu documents failed (see the messages above); %zu paragraphs "
                    "labeled",
                    stats.failed, stats.documents, stats.paragraphs);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}
