/*
 * cmd_eval.c - "tiesvm eval": a model's accuracy, macro-F1, per-label
 * scores and confusion matrices on labeled JSON Lines.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm eval [--model DIR] --data FILE [--data FILE...] [--heads LIST] [--json]\n"
    "\n"
    "Classifies the text of every example (as one paragraph) and compares the\n"
    "result with its labels, for every model head the data has (or --heads).\n"
    "Prints per head: accuracy, macro-F1 (mean F1 over the labels present in the\n"
    "data), precision, recall, F1 and support per label, and the confusion\n"
    "matrix.  --data takes JSONL files or directories of them.  --json prints the same as one JSON object.  The data format is\n"
    "that of 'tiesvm train'; examples lacking a head's label are skipped for it.\n"
    "\n"
    "Exit status: 0 evaluated, 2 evaluated but some lines were bad, 1 nothing\n"
    "could run.\n"
    "\n"
    "example:\n"
    "  tiesvm eval --model models/default --data held-out.jsonl --json\n";

int cmd_eval(int argc, char **argv)
{
    static const struct option options[] = {
        {"model", required_argument, NULL, 'm'},
        {"data", required_argument, NULL, 'd'},
        {"heads", required_argument, NULL, 'H'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL, *heads_opt = NULL;
    char **data_files = NULL;
    size_t data_count = 0;
    int as_json = 0, c, status = EXIT_FATAL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:d:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        case 'd': cli_add_data_path(optarg, &data_files, &data_count); break;
        case 'H': heads_opt = optarg; break;
        case 'j': as_json = 1; break;
        case 'h':
            fputs(USAGE, stdout);
            cli_free_list(data_files, data_count);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            cli_free_list(data_files, data_count);
            return EXIT_FATAL;
        }
    }
    if (data_count == 0 || optind < argc) {
        cli_message(optind < argc ? "unexpected argument (data files go after --data)"
                                  : "eval needs --data FILE (see 'tiesvm eval --help')");
        cli_free_list(data_files, data_count);
        return EXIT_FATAL;
    }
    char buf[PATH_MAX];
    tv_model *model;
    tv_error err;
    if (tv_model_load(cli_default_model(model_opt, buf, sizeof buf), &model, &err) != TV_OK) {
        cli_error(&err);
        cli_free_list(data_files, data_count);
        return EXIT_FATAL;
    }
    size_t head_count;
    char **heads;
    if (heads_opt) {
        heads = cli_split(heads_opt, &head_count);
    } else {
        head_count = tv_model_head_count(model);
        heads = calloc(head_count, sizeof *heads);
        if (!heads)
            abort();
        for (size_t h = 0; h < head_count; h++) {
            heads[h] = strdup(tv_model_head_name(model, h));
            if (!heads[h])
                abort();
        }
    }
    tv_dataset *data = tv_dataset_new((const char *const *)heads, head_count, 0);
    size_t errors = 0;
    for (size_t i = 0; i < data_count; i++)
        tv_dataset_read(data, data_files[i], cli_error_cb, &errors, &err);
    tv_eval *eval = NULL;
    if (tv_dataset_size(data) == 0) {
        cli_message("no usable examples to evaluate");
    } else if (tv_evaluate(model, data, cli_error_cb, NULL, &eval, &err) != TV_OK) {
        cli_error(&err);
    } else {
        tv_buf out = {0};
        if (as_json)
            tv_eval_append_json(eval, &out);
        else
            tv_eval_append_text(eval, &out);
        fwrite(out.data, 1, out.len, stdout);
        tv_buf_free(&out);
        status = cli_finish_stdout() ? EXIT_FATAL : errors ? EXIT_PARTIAL : EXIT_OK;
    }
    tv_eval_free(&eval);
    tv_dataset_free(&data);
    cli_free_list(heads, head_count);
    tv_model_free(&model);
    cli_free_list(data_files, data_count);
    return status;
}
