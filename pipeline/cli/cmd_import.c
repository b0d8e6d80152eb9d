/*
 * cmd_import.c - "tiesvm import": annotations exported from doccano (text
 * classification JSON Lines or JSON) or Label Studio (JSON export) back into
 * records that "tiesvm train" reads as they are:
 * {"id", "doc", "para", "start", "end", "text", HEAD: LABEL..., "reviewed": true}.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm import --from doccano|labelstudio [-o FILE] FILE...\n"
    "\n"
    "Reads the annotations of tasks made by 'tiesvm export' and writes one\n"
    "training record per annotated paragraph (JSON Lines):\n"
    "  {\"id\", \"doc\", \"para\", \"start\", \"end\", \"text\", HEAD: LABEL...,\n"
    "   \"reviewed\": true}\n"
    "id is DOC#PARA when the task has doc and para, else the tool's task id.\n"
    "\n"
    "  doccano      JSON Lines or a JSON array; the \"label\" (or \"labels\") list\n"
    "               holds HEAD:LABEL strings, one per head.  Span labels\n"
    "               [start, end, label] (sequence labeling projects) are\n"
    "               rejected.\n"
    "  labelstudio  the JSON export (an array of tasks, or one task a line);\n"
    "               the latest annotation that was not cancelled counts, and\n"
    "               each \"choices\" result gives the head from_name its label\n"
    "\n"
    "Tasks nobody annotated are skipped and counted, never filled in from the\n"
    "predictions.  A bad task is reported as FILE:LINE and left out; the rest\n"
    "is still converted.\n"
    "\n"
    "options:\n"
    "  --from TOOL     doccano or labelstudio (required)\n"
    "  -o, --out FILE  write to FILE (atomically) instead of stdout\n"
    "\n"
    "Exit status: 0 all converted, 2 some tasks or files were bad, 1 nothing\n"
    "could run.\n"
    "\n"
    "example:\n"
    "  tiesvm import --from labelstudio -o reviewed.jsonl project-1-export.json\n"
    "  tiesvm train --data training/corpus --data reviewed.jsonl --out models/mine\n";

typedef struct import_state {
    cli_annotation_tool from;
    FILE *out;
    size_t written;
    size_t unannotated;
} import_state;

/* A task's field: at the top of obj, else in its "meta" object (doccano
 * versions differ in where they keep custom fields). */
static json_t *task_field(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return v ? v : json_object_get(json_object_get(obj, "meta"), name);
}

/* The record's id: DOC#PARA, else the tool's task id, else FILE:LINE. */
static json_t *record_id(json_t *fields, json_t *task, const char *tool_name,
                         const char *path, long line)
{
    json_t *doc = task_field(fields, "doc"), *para = task_field(fields, "para");
    json_t *tool_id = json_object_get(task, "id");
    char *id;
    int n;
    if (json_is_string(doc) && json_is_integer(para))
        n = asprintf(&id, "%s#%lld", json_string_value(doc), (long long)json_integer_value(para));
    else if (json_is_integer(tool_id))
        n = asprintf(&id, "%s-%lld", tool_name, (long long)json_integer_value(tool_id));
    else if (json_is_string(tool_id))
        n = asprintf(&id, "%s-%s", tool_name, json_string_value(tool_id));
    else
        n = asprintf(&id, "%s:%ld", path, line);
    if (n < 0)
        abort();
    json_t *value = json_string(id);
    free(id);
    return value;
}

/* The record without its labels: id, doc, para, start, end, text. */
static json_t *record_base(json_t *fields, json_t *task, const char *tool_name,
                           const char *path, long line)
{
    json_t *rec = json_object();
    json_object_set_new(rec, "id", record_id(fields, task, tool_name, path, line));
    static const char *const kept[] = {"doc", "para", "start", "end"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        json_t *v = task_field(fields, kept[i]);
        if (v)
            json_object_set(rec, kept[i], v);
    }
    json_object_set(rec, "text", json_object_get(fields, "text"));
    return rec;
}

/* Fields of the record that a head may not take the name of. */
static int is_record_field(const char *name)
{
    static const char *const fields[] = {"id", "doc", "para", "start", "end", "text",
                                         "reviewed"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strcmp(name, fields[i]) == 0)
            return 1;
    return 0;
}

/* Sets head to label in rec; an error if the head already has another. */
static int set_label(json_t *rec, const char *head, size_t head_len, const char *label,
                     const char *path, long line)
{
    char *name = strndup(head, head_len);
    if (!name)
        abort();
    const char *before = json_string_value(json_object_get(rec, name));
    int rc = 0;
    if (!label[0] || !name[0]) {
        cli_message("%s:%ld: empty head or label in \"%s:%s\"", path, line, name, label);
        rc = 1;
    } else if (before && strcmp(before, label) != 0) {
        cli_message("%s:%ld: two labels for head \"%s\": \"%s\" and \"%s\"", path, line, name,
                    before, label);
        rc = 1;
    } else if (is_record_field(name)) {
        cli_message("%s:%ld: \"%s\" cannot be a head", path, line, name);
        rc = 1;
    } else {
        json_object_set_new(rec, name, json_string(label));
    }
    free(name);
    return rc;
}

static int doccano_label(json_t *rec, json_t *item, const char *path, long line)
{
    if (json_is_array(item)) {
        cli_message("%s:%ld: span label [start, end, label] (a sequence labeling project); "
                    "export a text classification project with HEAD:LABEL labels",
                    path, line);
        return 1;
    }
    const char *text = json_string_value(item);
    const char *colon = text ? strchr(text, ':') : NULL;
    if (!colon) {
        cli_message("%s:%ld: label %s%s%s is not HEAD:LABEL", path, line, text ? "\"" : "",
                    text ? text : "(not a string)", text ? "\"" : "");
        return 1;
    }
    return set_label(rec, text, (size_t)(colon - text), colon + 1, path, line);
}

static int import_doccano(import_state *st, json_t *task, const char *path, long line)
{
    json_t *labels = json_object_get(task, "label");
    if (!labels)
        labels = json_object_get(task, "labels");
    if (labels && !json_is_array(labels)) {
        cli_message("%s:%ld: \"label\" is not a list", path, line);
        return 1;
    }
    if (json_array_size(labels) == 0) {
        st->unannotated++;
        return 0;
    }
    json_t *rec = record_base(task, task, "doccano", path, line);
    int bad = 0;
    size_t i;
    json_t *item;
    json_array_foreach(labels, i, item) bad |= doccano_label(rec, item, path, line);
    if (!bad) {
        json_object_set_new(rec, "reviewed", json_true());
        bad = cli_write_json_line(st->out, rec) != 0;
        st->written += !bad;
    }
    json_decref(rec);
    return bad;
}

/* When an annotation was made: updated_at, else created_at, else "". */
static const char *annotation_time(json_t *annotation)
{
    const char *t = json_string_value(json_object_get(annotation, "updated_at"));
    if (!t)
        t = json_string_value(json_object_get(annotation, "created_at"));
    return t ? t : "";
}

/* The latest annotation not cancelled (ISO 8601 times compare as strings;
 * a tie goes to the later one in the list), or NULL. */
static json_t *latest_annotation(json_t *task)
{
    json_t *best = NULL, *annotation;
    size_t i;
    json_array_foreach(json_object_get(task, "annotations"), i, annotation) {
        if (!json_is_object(annotation) || json_is_true(json_object_get(annotation, "was_cancelled")))
            continue;
        if (!best || strcmp(annotation_time(annotation), annotation_time(best)) >= 0)
            best = annotation;
    }
    return best;
}

/* Adds the labels of one result; results of other types are not labels. */
static int labelstudio_result(json_t *rec, json_t *result, size_t *labels, const char *path,
                              long line)
{
    const char *type = json_string_value(json_object_get(result, "type"));
    if (type && strcmp(type, "choices") != 0)
        return 0;
    const char *head = json_string_value(json_object_get(result, "from_name"));
    json_t *choices = json_object_get(json_object_get(result, "value"), "choices");
    if (!head || !json_is_array(choices)) {
        cli_message("%s:%ld: a choices result without \"from_name\" or \"value\".\"choices\"",
                    path, line);
        return 1;
    }
    if (json_array_size(choices) == 0)
        return 0;
    const char *label = json_string_value(json_array_get(choices, 0));
    if (json_array_size(choices) > 1 || !label) {
        cli_message("%s:%ld: head \"%s\" needs exactly one choice (a string)", path, line,
                    head);
        return 1;
    }
    (*labels)++;
    return set_label(rec, head, strlen(head), label, path, line);
}

static int import_labelstudio(import_state *st, json_t *task, const char *path, long line)
{
    json_t *data = json_object_get(task, "data");
    if (!json_is_object(data) || !json_is_string(json_object_get(data, "text"))) {
        cli_message("%s:%ld: a task needs \"data\" with a \"text\" string", path, line);
        return 1;
    }
    json_t *annotation = latest_annotation(task);
    if (!annotation) {
        st->unannotated++;
        return 0;
    }
    json_t *rec = record_base(data, task, "labelstudio", path, line);
    int bad = 0;
    size_t i, labels = 0;
    json_t *result;
    json_array_foreach(json_object_get(annotation, "result"), i, result) bad |=
        labelstudio_result(rec, result, &labels, path, line);
    if (!bad && labels == 0) {
        st->unannotated++;
    } else if (!bad) {
        json_object_set_new(rec, "reviewed", json_true());
        bad = cli_write_json_line(st->out, rec) != 0;
        st->written += !bad;
    }
    json_decref(rec);
    return bad;
}

static int import_task(void *ctx, json_t *task, const char *path, long line)
{
    import_state *st = ctx;
    if (!json_is_object(task)) {
        cli_message("%s:%ld: a task must be a JSON object", path, line);
        return 1;
    }
    if (st->from == CLI_TOOL_LABELSTUDIO)
        return import_labelstudio(st, task, path, line);
    if (!json_is_string(json_object_get(task, "text"))) {
        cli_message("%s:%ld: no \"text\" string", path, line);
        return 1;
    }
    return import_doccano(st, task, path, line);
}

int cmd_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"from", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    import_state st = {0};
    const char *out_path = NULL;
    int have_tool = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (cli_parse_annotation_tool(optarg, &st.from) != 0) {
                cli_message("--from must be doccano or labelstudio, not '%s'", optarg);
                return EXIT_FATAL;
            }
            have_tool = 1;
            break;
        case 'o': out_path = optarg; break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    if (!have_tool || optind >= argc) {
        cli_message(!have_tool ? "import needs --from doccano|labelstudio"
                               : "import needs an exported FILE ('-' for stdin)");
        fputs(USAGE, stderr);
        return EXIT_FATAL;
    }
    cli_output out;
    if (cli_output_open(&out, out_path) != 0)
        return EXIT_FATAL;
    st.out = out.f;
    size_t bad = 0, unreadable = 0;
    for (int i = optind; i < argc; i++)
        if (cli_each_json_item(argv[i], import_task, &st, &bad) != 0)
            unreadable++;
    if (cli_output_close(&out, 1) != 0)
        return EXIT_FATAL;
    if (st.unannotated)
        cli_message("%zu tasks without an annotation skipped", st.unannotated);
    if (bad || unreadable) {
        cli_message("%zu records imported; %zu bad tasks and %zu unreadable files (see above)",
                    st.written, bad, unreadable);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}
