/*
 * cmd_train.c - "tiesvm train": labeled JSON Lines in, a model directory
 * out, and a per-head summary on stdout.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm train --data FILE [--data FILE...] --out DIR [--heads stance,topic]\n"
    "                    [--folds 5] [--group-folds] [--c 0.1,1,10]\n"
    "                    [--kernel linear|rbf] [--gamma G]\n"
    "                    [--class-weight balanced|none] [--seed N] [--min-df N]\n"
    "                    [--ngrams N] [--char-ngrams MIN-MAX] [--no-actor-pairs]\n"
    "                    [--actors FILE] [--cues FILE | --no-cues] [--no-shape]\n"
    "                    [--skip-bad] [--jobs N]\n"
    "                    [--quiet | --progress]\n"
    "\n"
    "Trains one SVM per head.  Training data is JSON Lines, one example a line:\n"
    "  {\"text\": \"...\", \"stance\": \"asserts\", \"topic\": \"iran-alqaeda\"}\n"
    "A head may also be an object with a \"label\" key, so corrected output of\n"
    "'tiesvm classify' is training data as it stands.  Any head and label names.\n"
    "\n"
    "C is chosen per head by k-fold cross-validation (macro-F1; folds stratified\n"
    "by label, or grouped by data file with --group-folds), then\n"
    "the head is trained on all examples with probability estimates.  The model\n"
    "directory is written to a temporary name and renamed into place.  The same\n"
    "data and options give the same files.\n"
    "\n"
    "options:\n"
    "  --data PATH          training examples: a JSONL file, '-' for stdin, or a\n"
    "                       directory of *.jsonl files (repeatable)\n"
    "  --out DIR            model directory to create or replace\n"
    "  --heads LIST         label fields to train (default: stance,topic)\n"
    "  --folds N            cross-validation folds (default 5)\n"
    "  --group-folds        keep each data file within one fold, so C is chosen for\n"
    "                       sources not seen in training (needs N files or more;\n"
    "                       use when files come from different sources or writers)\n"
    "  --c LIST             candidate values of C (default 0.1,1,10)\n"
    "  --kernel K           linear (default) or rbf\n"
    "  --gamma G            rbf kernel width (default 1)\n"
    "  --class-weight W     balanced (default) or none\n"
    "  --seed N             seed for folds and libsvm (default 1)\n"
    "  --min-df N           drop terms in fewer than N examples (default 2)\n"
    "  --ngrams N           word n-grams 1..N (default 2, at most 3)\n"
    "  --char-ngrams A-B    add character n-grams of A to B characters (default off)\n"
    "  --no-actor-pairs     no feature for each pair of actors mentioned\n"
    "  --actors FILE        actor table (default: the shipped models/actors.tsv)\n"
    "  --cues FILE          cue table adding %doubt, %ties, ... terms (default: the\n"
    "                       shipped models/cues.tsv)\n"
    "  --no-cues            no cue terms\n"
    "  --no-shape           no terms for length, question marks and quotations\n"
    "  --skip-bad           train on the good lines when some are bad (each bad line\n"
    "                       is still reported, with a count)\n"
    "  --jobs N             training processes (default: online cores; same result)\n"
    "  --quiet              no progress on stderr (shown by default when stderr is a\n"
    "                       terminal: cross-validation and training fits done)\n"
    "  --progress           progress lines even when stderr is not a terminal\n"
    "\n"
    "Exit status: 0 trained, 1 refused (bad data or options; nothing written).\n"
    "\n"
    "example:\n"
    "  tiesvm train --data corrected.jsonl --out models/mine --seed 7\n";

static void print_summary(const char *out_dir)
{
    tv_model *model;
    tv_error err;
    if (tv_model_load(out_dir, &model, &err) != TV_OK) {
        cli_error(&err);
        return;
    }
    json_t *root = json_loads(tv_model_manifest_json(model), 0, NULL);
    json_t *training = json_object_get(root, "training");
    printf("model %s written to %s (%lld examples, %zu terms)\n", tv_model_id(model), out_dir,
           (long long)json_integer_value(json_object_get(training, "examples")),
           tv_model_vocab_size(model));
    size_t i;
    json_t *head;
    json_array_foreach(json_object_get(root, "heads"), i, head)
    {
        printf("  %s: C=%g, cross-validated macro-F1 %.3f\n",
               json_string_value(json_object_get(head, "name")),
               json_number_value(json_object_get(head, "C")),
               json_number_value(json_object_get(head, "cv_macro_f1")));
        const char *label;
        json_t *count;
        json_object_foreach(json_object_get(head, "counts"), label, count)
        {
            printf("    %-24s %6lld examples\n", label, (long long)json_integer_value(count));
        }
    }
    json_decref(root);
    tv_model_free(&model);
}

static void remember_temp_dir(void *ctx, const char *path)
{
    (void)ctx;
    cli_cleanup_on_signal(path, 1);
}

static int parse_c_list(const char *s, double **out, size_t *count)
{
    size_t n;
    char **parts = cli_split(s, &n);
    double *c = calloc(n + 1, sizeof *c);
    if (!c)
        abort();
    int bad = n == 0;
    for (size_t i = 0; i < n && !bad; i++) {
        char *end;
        c[i] = strtod(parts[i], &end);
        bad = *end || !(c[i] > 0) || !isfinite(c[i]);
    }
    cli_free_list(parts, n);
    if (bad) {
        free(c);
        return -1;
    }
    *out = c;
    *count = n;
    return 0;
}

int cmd_train(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"heads", required_argument, NULL, 'H'},
        {"folds", required_argument, NULL, 'k'},
        {"group-folds", no_argument, NULL, 'G'},
        {"c", required_argument, NULL, 'c'},
        {"kernel", required_argument, NULL, 'K'},
        {"gamma", required_argument, NULL, 'g'},
        {"class-weight", required_argument, NULL, 'w'},
        {"seed", required_argument, NULL, 's'},
        {"min-df", required_argument, NULL, 'M'},
        {"ngrams", required_argument, NULL, 'N'},
        {"char-ngrams", required_argument, NULL, 'C'},
        {"no-actor-pairs", no_argument, NULL, 'P'},
        {"actors", required_argument, NULL, 'a'},
        {"jobs", required_argument, NULL, 'J'},
        {"cues", required_argument, NULL, 'U'},
        {"no-cues", no_argument, NULL, 'Q'},
        {"no-shape", no_argument, NULL, 'S'},

        {"skip-bad", no_argument, NULL, 'B'},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tv_train_options opts;
    tv_train_options_init(&opts);
    char **data_files = NULL;
    size_t data_count = 0;
    const char *out_dir = NULL, *heads_opt = "stance,topic", *actors_opt = NULL;
    const char *cues_opt = NULL;
    int use_cues = 1, skip_bad = 0, progress_mode = CLI_PROGRESS_AUTO;
    double *c_values = NULL;
    int status = EXIT_FATAL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:o:h", options, NULL)) != -1) {
        long v;
        char *end;
        switch (c) {
        case 'd': cli_add_data_path(optarg, &data_files, &data_count); break;
        case 'o': out_dir = optarg; break;
        case 'H': heads_opt = optarg; break;
        case 'a': actors_opt = optarg; break;
        case 'P': opts.actor_pairs = 0; break;
        case 'U': cues_opt = optarg; use_cues = 1; break;
        case 'Q': use_cues = 0; break;
        case 'S': opts.shape = 0; break;
        case 'G': opts.group_folds = 1; break;

        case 'B': skip_bad = 1; break;
        case 'q': progress_mode = CLI_PROGRESS_NEVER; break;
        case 'R': progress_mode = CLI_PROGRESS_ALWAYS; break;
        case 'k':
            if (cli_parse_long(optarg, 2, 100, &v)) {
                cli_message("--folds must be a whole number from 2 to 100");
                goto done;
            }
            opts.folds = (int)v;
            break;
        case 'c':
            free(c_values);
            c_values = NULL;
            if (parse_c_list(optarg, &c_values, &opts.c_count)) {
                cli_message("--c must be a comma-separated list of positive numbers");
                goto done;
            }
            opts.c_values = c_values;
            break;
        case 'K':
            if (strcmp(optarg, "linear") == 0)
                opts.kernel = TV_KERNEL_LINEAR;
            else if (strcmp(optarg, "rbf") == 0)
                opts.kernel = TV_KERNEL_RBF;
            else {
                cli_message("--kernel must be linear or rbf");
                goto done;
            }
            break;
        case 'g':
            opts.gamma = strtod(optarg, &end);
            if (*end || !(opts.gamma > 0) || !isfinite(opts.gamma)) {
                cli_message("--gamma must be a positive number");
                goto done;
            }
            break;
        case 'w':
            if (strcmp(optarg, "balanced") == 0)
                opts.balanced = 1;
            else if (strcmp(optarg, "none") == 0)
                opts.balanced = 0;
            else {
                cli_message("--class-weight must be balanced or none");
                goto done;
            }
            break;
        case 's':
            if (cli_parse_long(optarg, 0, LONG_MAX, &v)) {
                cli_message("--seed must be a whole number >= 0");
                goto done;
            }
            opts.seed = (uint64_t)v;
            break;
        case 'M':
            if (cli_parse_long(optarg, 1, 1000000, &v)) {
                cli_message("--min-df must be a whole number >= 1");
                goto done;
            }
            opts.min_df = (int)v;
            break;
        case 'N':
            if (cli_parse_long(optarg, 1, 3, &v)) {
                cli_message("--ngrams must be 1, 2 or 3");
                goto done;
            }
            opts.word_ngram_max = (int)v;
            break;
        case 'J':
            if (cli_parse_long(optarg, 1, 256, &v)) {
                cli_message("--jobs must be a whole number from 1 to 256");
                goto done;
            }
            opts.workers = (int)v;
            break;
        case 'C': {
            int lo, hi, used = 0;
            if (sscanf(optarg, "%d-%d%n", &lo, &hi, &used) != 2 || optarg[used] || lo < 1 ||
                hi > 8 || lo > hi) {
                cli_message("--char-ngrams must look like 3-5 (within 1-8)");
                goto done;
            }
            opts.char_ngram_min = lo;
            opts.char_ngram_max = hi;
            break;
        }
        case 'h':
            fputs(USAGE, stdout);
            status = cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
            goto done;
        default:
            fputs(USAGE, stderr);
            goto done;
        }
    }
    if (optind < argc) {
        cli_message("unexpected argument '%s' (training files go after --data)", argv[optind]);
        goto done;
    }
    if (data_count == 0 || !out_dir) {
        cli_message("train needs --data FILE and --out DIR (see 'tiesvm train --help')");
        goto done;
    }
    size_t head_count;
    char **heads = cli_split(heads_opt, &head_count);
    tv_dataset *data = tv_dataset_new((const char *const *)heads, head_count, 1);
    size_t errors = 0;
    tv_error err;
    for (size_t i = 0; i < data_count; i++)
        tv_dataset_read(data, data_files[i], cli_error_cb, &errors, &err);
    char abuf[PATH_MAX];
    opts.actors_path = cli_default_actors(actors_opt, abuf, sizeof abuf);
    char cbuf[PATH_MAX];
    opts.cues_path = use_cues ? cli_default_cues(cues_opt, cbuf, sizeof cbuf) : NULL;
    opts.data_names = (const char *const *)data_files;
    opts.on_temp_dir = remember_temp_dir;
    cli_progress progress;
    cli_progress_init(&progress, progress_mode);
    if (progress.on) {
        opts.on_progress = cli_progress_train;
        opts.progress_ctx = &progress;
    }
    opts.data_name_count = data_count;
    if (errors && !skip_bad) {
        cli_message("training refused: %zu problem%s in the training data (nothing written; "
                    "--skip-bad trains on the good lines)",
                    errors, errors == 1 ? "" : "s");
    } else if (errors && tv_dataset_size(data) == 0) {
        cli_message("training refused: no usable examples");
    } else if (tv_train(data, &opts, out_dir, &err) != TV_OK) {
        cli_error(&err);
        cli_message("training failed (nothing written)");
    } else {
        if (errors)
            cli_message("skipped %zu bad line%s (--skip-bad)", errors, errors == 1 ? "" : "s");
        print_summary(out_dir);
        status = cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
    }
    tv_dataset_free(&data);
    cli_free_list(heads, head_count);
done:
    free(c_values);
    cli_free_list(data_files, data_count);
    return status;
}
