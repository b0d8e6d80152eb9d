/*
 * cmd_inspect.c - "tiesvm inspect": what a model is and what it learned:
 * the manifest summary and, for linear heads, the heaviest terms per label.
 */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm inspect [--model DIR] [--top N] [--json]\n"
    "\n"
    "Prints a model's id, format, feature settings and training data, and per\n"
    "head its labels with training counts, the chosen C and the cross-validated\n"
    "macro-F1.  For heads with a linear kernel it lists the N terms (default 15)\n"
    "that push hardest toward each label: the mean weight of the term in the\n"
    "label's one-vs-one classifiers.  Actor mentions appear as @name, pairs of\n"
    "actors as @a+@b.  --json prints the same as one JSON object.\n"
    "\n"
    "example:\n"
    "  tiesvm inspect --model models/default --top 10\n";

static json_t *top_terms_json(const tv_model *model, size_t h, size_t top)
{
    json_t *labels = json_object();
    tv_term_weight *tw = calloc(top + 1, sizeof *tw);
    if (!tw)
        abort();
    for (size_t l = 0; l < tv_model_label_count(model, h); l++) {
        size_t n;
        tv_error err;
        if (tv_model_top_terms(model, h, l, top, tw, &n, &err) != TV_OK) {
            json_decref(labels);
            free(tw);
            return json_null();
        }
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("[s, f]", tw[i].term, tw[i].weight));
        json_object_set_new(labels, tv_model_label_name(model, h, l), list);
    }
    free(tw);
    return labels;
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option options[] = {
        {"model", required_argument, NULL, 'm'},
        {"top", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL;
    long top = 15;
    int as_json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        case 'j': as_json = 1; break;
        case 't':
            if (cli_parse_long(optarg, 1, 10000, &top)) {
                cli_message("--top must be a whole number from 1 to 10000");
                return EXIT_FATAL;
            }
            break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_message("unexpected argument '%s'", argv[optind]);
        return EXIT_FATAL;
    }
    char buf[PATH_MAX];
    tv_model *model;
    tv_error err;
    const char *dir = cli_default_model(model_opt, buf, sizeof buf);
    if (tv_model_load(dir, &model, &err) != TV_OK) {
        cli_error(&err);
        return EXIT_FATAL;
    }
    json_t *manifest = json_loads(tv_model_manifest_json(model), 0, NULL);
    json_t *heads = json_object_get(manifest, "heads");
    if (as_json) {
        json_t *out = json_pack("{s:s, s:s, s:O, s:O, s:o}", "model", tv_model_id(model), "dir",
                                dir, "features", json_object_get(manifest, "features"),
                                "training", json_object_get(manifest, "training"), "heads",
                                json_array());
        for (size_t h = 0; h < tv_model_head_count(model); h++) {
            json_t *head = json_deep_copy(json_array_get(heads, h));
            json_object_set_new(head, "top_terms", top_terms_json(model, h, (size_t)top));
            json_array_append_new(json_object_get(out, "heads"), head);
        }
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
        if (s)
            puts(s);
        free(s);
        json_decref(out);
    } else {
        json_t *features = json_object_get(manifest, "features");
        json_t *training = json_object_get(manifest, "training");
        printf("model %s (%s)\n", tv_model_id(model), dir);
        printf("  format %lld, written by tiesvm %s\n",
               (long long)json_integer_value(json_object_get(manifest, "format_version")),
               json_string_value(json_object_get(manifest, "tiesvm_version")));
        printf("  features: word 1-%lld-grams, char n-grams %lld-%lld, actor pairs %s, "
               "min df %lld, %lld terms\n",
               (long long)json_integer_value(json_object_get(features, "word_ngram_max")),
               (long long)json_integer_value(json_object_get(features, "char_ngram_min")),
               (long long)json_integer_value(json_object_get(features, "char_ngram_max")),
               json_is_true(json_object_get(features, "actor_pairs")) ? "on" : "off",
               (long long)json_integer_value(json_object_get(features, "min_df")),
               (long long)json_integer_value(json_object_get(features, "vocabulary_size")));
        const char *fold_by = json_string_value(json_object_get(training, "fold_by"));
        printf("  training: %lld examples (sha256 %.12s...), seed %lld, %lld folds%s, kernel %s, "
               "class weight %s\n",
               (long long)json_integer_value(json_object_get(training, "examples")),
               json_string_value(json_object_get(training, "sha256")),
               (long long)json_integer_value(json_object_get(training, "seed")),
               (long long)json_integer_value(json_object_get(training, "folds")),
               fold_by && strcmp(fold_by, "file") == 0 ? " grouped by file" : "",
               json_string_value(json_object_get(training, "kernel")),
               json_string_value(json_object_get(training, "class_weight")));
        tv_term_weight *tw = calloc((size_t)top + 1, sizeof *tw);
        if (!tw)
            abort();
        for (size_t h = 0; h < tv_model_head_count(model); h++) {
            json_t *head = json_array_get(heads, h);
            printf("\n%s: C=%g, cross-validated macro-F1 %.3f\n", tv_model_head_name(model, h),
                   json_number_value(json_object_get(head, "C")),
                   json_number_value(json_object_get(head, "cv_macro_f1")));
            json_t *counts = json_object_get(head, "counts");
            for (size_t l = 0; l < tv_model_label_count(model, h); l++) {
                const char *label = tv_model_label_name(model, h, l);
                printf("  %s (%lld examples)\n", label,
                       (long long)json_integer_value(json_object_get(counts, label)));
                size_t n;
                if (tv_model_top_terms(model, h, l, (size_t)top, tw, &n, &err) != TV_OK) {
                    printf("    (term weights: %s)\n", err.message);
                    continue;
                }
                printf("   ");
                for (size_t i = 0; i < n; i++)
                    printf(" %s %.2f%s", tw[i].term, tw[i].weight, i + 1 < n ? "," : "\n");
                if (n == 0)
                    printf(" (none)\n");
            }
        }
        free(tw);
    }
    json_decref(manifest);
    tv_model_free(&model);
    return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
}
