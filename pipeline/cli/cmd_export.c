/*
 * cmd_export.c - "tiesvm export": classify records out as annotation tasks
 * for doccano (JSON Lines, "HEAD:LABEL" labels) or Label Studio (a JSON
 * array of tasks with the labels as predictions), plus Label Studio's
 * labeling config for the heads and labels seen.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm export --to doccano|labelstudio [-o FILE] [--config FILE]\n"
    "                     LABELS.jsonl...\n"
    "\n"
    "Turns classify records (JSON Lines, or classify --format json) into tasks\n"
    "for an annotation tool.  A head is any field whose value is an object with\n"
    "a \"label\" (stance, topic, or any head a model was trained with).\n"
    "\n"
    "  doccano      one JSON line per paragraph, for a text classification\n"
    "               project: {\"text\", \"label\": [\"HEAD:LABEL\"...], \"confidence\":\n"
    "               {HEAD: p...}, and the record's other fields (doc, para,\n"
    "               start, end, actors, model, meta, ...) as they are}\n"
    "  labelstudio  one JSON array of tasks: {\"data\": {\"text\", doc, para, ...},\n"
    "               \"predictions\": [{\"model_version\", \"score\", \"result\": [one\n"
    "               \"choices\" result per head, from_name = the head]}]}; score\n"
    "               is the lowest head confidence, each result has its own\n"
    "\n"
    "options:\n"
    "  --to TOOL       doccano or labelstudio (required)\n"
    "  -o, --out FILE  write to FILE (atomically) instead of stdout\n"
    "  --config FILE   labelstudio: write the labeling config (<View> XML, one\n"
    "                  <Choices> per head with the labels seen) to FILE;\n"
    "                  without it the config is printed on stderr\n"
    "\n"
    "Error records and records without text are reported (FILE:LINE) and left\n"
    "out.  Exit status: 0 all exported, 2 some records or files failed, 1\n"
    "nothing could run.\n"
    "\n"
    "example:\n"
    "  tiesvm classify articles/ > labels.jsonl\n"
    "  tiesvm export --to labelstudio --config config.xml -o tasks.json labels.jsonl\n";

/* The heads seen and, per head, its labels, in order of first sight. */
typedef struct head_labels {
    char *name;
    char **labels;
    size_t label_count;
} head_labels;

typedef struct export_state {
    cli_annotation_tool to;
    FILE *out;
    size_t written;
    size_t error_records;
    head_labels *heads;
    size_t head_count;
} export_state;

static char *xstrdup(const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        abort();
    return copy;
}

static void *xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    p = realloc(p, n > 0 && size > 0 ? n * size : 1);
    if (!p)
        abort();
    return p;
}

static head_labels *note_head(export_state *st, const char *name)
{
    for (size_t h = 0; h < st->head_count; h++)
        if (strcmp(st->heads[h].name, name) == 0)
            return &st->heads[h];
    st->heads = xreallocarray(st->heads, st->head_count + 1, sizeof *st->heads);
    head_labels *head = &st->heads[st->head_count++];
    head->name = xstrdup(name);
    head->labels = NULL;
    head->label_count = 0;
    return head;
}

static void note_label(head_labels *head, const char *label)
{
    for (size_t l = 0; l < head->label_count; l++)
        if (strcmp(head->labels[l], label) == 0)
            return;
    head->labels = xreallocarray(head->labels, head->label_count + 1, sizeof *head->labels);
    head->labels[head->label_count++] = xstrdup(label);
}

/* A head's value: an object with a "label" string. */
static const char *head_label(json_t *value)
{
    return json_is_object(value) ? json_string_value(json_object_get(value, "label")) : NULL;
}

static void note_record_labels(export_state *st, json_t *record)
{
    const char *key;
    json_t *value;
    json_object_foreach(record, key, value) {
        const char *label = head_label(value);
        if (!label)
            continue;
        head_labels *head = note_head(st, key);
        const char *name;
        json_t *score;
        json_object_foreach(json_object_get(value, "scores"), name, score) {
            (void)score;
            note_label(head, name);
        }
        note_label(head, label);
    }
}

static double head_confidence(json_t *value)
{
    json_t *c = json_object_get(value, "confidence");
    return json_is_number(c) ? json_number_value(c) : 0.0;
}

static json_t *doccano_task(json_t *record)
{
    json_t *task = json_object();
    json_t *labels = json_array(), *confidence = json_object();
    json_object_set(task, "text", json_object_get(record, "text"));
    json_object_set_new(task, "label", labels);
    json_object_set_new(task, "confidence", confidence);
    const char *key;
    json_t *value;
    json_object_foreach(record, key, value) {
        const char *label = head_label(value);
        if (label) {
            char *joined;
            if (asprintf(&joined, "%s:%s", key, label) < 0)
                abort();
            json_array_append_new(labels, json_string(joined));
            free(joined);
            json_object_set_new(confidence, key, json_real(head_confidence(value)));
        } else if (strcmp(key, "text") != 0 && strcmp(key, "label") != 0 &&
                   strcmp(key, "confidence") != 0) {
            json_object_set(task, key, value);
        }
    }
    return task;
}

static json_t *choices_result(const char *head, const char *label, double score)
{
    json_t *value = json_pack("{s:[s]}", "choices", label);
    return json_pack("{s:s, s:s, s:s, s:o, s:f}", "from_name", head, "to_name", "text", "type",
                     "choices", "value", value, "score", score);
}

static json_t *labelstudio_task(json_t *record)
{
    json_t *data = json_object(), *results = json_array();
    json_object_set(data, "text", json_object_get(record, "text"));
    double lowest = 1.0;
    const char *key;
    json_t *value;
    json_object_foreach(record, key, value) {
        const char *label = head_label(value);
        if (label) {
            double score = head_confidence(value);
            lowest = score < lowest ? score : lowest;
            json_array_append_new(results, choices_result(key, label, score));
        } else if (strcmp(key, "text") != 0) {
            json_object_set(data, key, value);
        }
    }
    json_t *model = json_object_get(record, "model");
    json_t *prediction =
        json_pack("{s:s, s:f, s:o}", "model_version",
                  json_is_string(model) ? json_string_value(model) : "tiesvm", "score",
                  json_array_size(results) ? lowest : 0.0, "result", results);
    return json_pack("{s:o, s:[o]}", "data", data, "predictions", prediction);
}

static int export_record(void *ctx, json_t *record, const char *path, long line)
{
    export_state *st = ctx;
    if (!json_is_object(record)) {
        cli_message("%s:%ld: not a JSON object", path, line);
        return 1;
    }
    if (json_object_get(record, "error")) {
        st->error_records++;
        cli_message("%s:%ld: an error record (a document classify could not read); left out",
                    path, line);
        return 0;
    }
    if (!json_is_string(json_object_get(record, "text"))) {
        cli_message("%s:%ld: no \"text\" (was classify run with --no-text?)", path, line);
        return 1;
    }
    note_record_labels(st, record);
    json_t *task = st->to == CLI_TOOL_DOCCANO ? doccano_task(record) : labelstudio_task(record);
    if (st->to == CLI_TOOL_LABELSTUDIO)
        fputs(st->written ? ",\n" : "[\n", st->out);
    int rc = json_dumpf(task, st->out, CLI_JSON_FLAGS);
    if (st->to == CLI_TOOL_DOCCANO)
        fputc('\n', st->out);
    json_decref(task);
    st->written++;
    return rc != 0;
}

static void write_labelstudio_config(const export_state *st, FILE *f)
{
    fputs("<View>\n  <Text name=\"text\" value=\"$text\"/>\n", f);
    for (size_t h = 0; h < st->head_count; h++) {
        const head_labels *head = &st->heads[h];
        fputs("  <Header value=\"", f);
        cli_put_xml_text(f, head->name);
        fputs("\"/>\n  <Choices name=\"", f);
        cli_put_xml_text(f, head->name);
        fputs("\" toName=\"text\" choice=\"single\" showInLine=\"true\">\n", f);
        for (size_t l = 0; l < head->label_count; l++) {
            fputs("    <Choice value=\"", f);
            cli_put_xml_text(f, head->labels[l]);
            fputs("\"/>\n", f);
        }
        fputs("  </Choices>\n", f);
    }
    fputs("</View>\n", f);
}

/* Writes the config to path, or to stderr; 0 on success. */
static int emit_config(const export_state *st, const char *path)
{
    if (!path) {
        cli_message("Label Studio labeling config (save it with --config FILE):");
        write_labelstudio_config(st, stderr);
        return 0;
    }
    cli_output out;
    if (cli_output_open(&out, path) != 0)
        return -1;
    write_labelstudio_config(st, out.f);
    return cli_output_close(&out, 1);
}

static void free_state(export_state *st)
{
    for (size_t h = 0; h < st->head_count; h++) {
        for (size_t l = 0; l < st->heads[h].label_count; l++)
            free(st->heads[h].labels[l]);
        free(st->heads[h].labels);
        free(st->heads[h].name);
    }
    free(st->heads);
}

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"to", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    export_state st = {0};
    const char *out_path = NULL, *config_path = NULL;
    int have_tool = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 't':
            if (cli_parse_annotation_tool(optarg, &st.to) != 0) {
                cli_message("--to must be doccano or labelstudio, not '%s'", optarg);
                return EXIT_FATAL;
            }
            have_tool = 1;
            break;
        case 'o': out_path = optarg; break;
        case 'c': config_path = optarg; break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    if (!have_tool || optind >= argc) {
        cli_message(!have_tool ? "export needs --to doccano|labelstudio"
                               : "export needs a LABELS.jsonl file ('-' for stdin)");
        fputs(USAGE, stderr);
        return EXIT_FATAL;
    }
    if (config_path && st.to != CLI_TOOL_LABELSTUDIO) {
        cli_message("--config is for --to labelstudio");
        return EXIT_FATAL;
    }
    cli_output out;
    if (cli_output_open(&out, out_path) != 0)
        return EXIT_FATAL;
    st.out = out.f;
    size_t bad = 0, unreadable = 0;
    for (int i = optind; i < argc; i++)
        if (cli_each_json_item(argv[i], export_record, &st, &bad) != 0)
            unreadable++;
    if (st.to == CLI_TOOL_LABELSTUDIO)
        fputs(st.written ? "\n]\n" : "[]\n", st.out);
    int failed = cli_output_close(&out, 1) != 0;
    if (!failed && st.to == CLI_TOOL_LABELSTUDIO)
        failed = emit_config(&st, config_path) != 0;
    free_state(&st);
    if (failed)
        return EXIT_FATAL;
    if (bad || unreadable) {
        cli_message("%zu records exported; %zu bad records and %zu unreadable files (see "
                    "above)",
                    st.written, bad, unreadable);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}
