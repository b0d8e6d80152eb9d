/* test_handover.c - end-to-end tests of the hand-over to other tools:
 * classify --format json|csv|tsv (quoting, error rows, determinism), export
 * to doccano and Label Studio, import of edited annotations and training on
 * them, and the actor network (edges) as CSV and GraphML. */
#include "testutil.h"

#include <jansson.h>

static char *work, *kind_model;

/* A one-head model ("kind"), so header columns come from the model. */
static int setup(void **state)
{
    (void)state;
    work = tu_mkdtemp();
    kind_model = tu_path(work, "kind-model");
    char *data = tu_path(work, "kind.jsonl");
    const char *lines = "{\"text\": \"Subscribe to our newsletter\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Share this story\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Sign up for updates\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Tehran hosted al-Qaeda leaders.\", \"kind\": \"body\"}\n"
                        "{\"text\": \"The Taliban fought ISKP in Kunar.\", \"kind\": \"body\"}\n"
                        "{\"text\": \"Officials denied the report.\", \"kind\": \"body\"}\n";
    tu_write(data, lines, strlen(lines));
    tu_run r = tu_tiesvm(NULL, "train --data '%s' --out '%s' --heads kind --folds 3 --min-df 1",
                         data, kind_model);
    int ok = r.status == 0;
    if (!ok)
        fprintf(stderr, "setup: train failed (%d): %s\n", r.status, r.err);
    tu_run_free(&r);
    free(data);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(work);
    free(work);
    free(kind_model);
    return 0;
}

/* ---- a minimal RFC 4180 reader, to check what the CSV writer quoted */

typedef struct csv_row {
    char *fields[32];
    size_t count;
} csv_row;

/* Reads one CRLF-terminated record at *p; returns 0 at the end of input. */
static int csv_next(const char **p, csv_row *row)
{
    const char *s = *p;
    if (!*s)
        return 0;
    row->count = 0;
    for (;;) {
        assert_true(row->count < 32);
        char *field = calloc(strlen(s) + 1, 1);
        size_t n = 0;
        if (*s == '"') {
            for (s++;; s++) {
                assert_true(*s != '\0'); /* unterminated quote */
                if (*s == '"' && s[1] == '"')
                    field[n++] = *s++;
                else if (*s == '"')
                    break;
                else
                    field[n++] = *s;
            }
            s++;
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n' && *s != '"')
                field[n++] = *s++;
            assert_true(*s != '"'); /* a quote inside an unquoted field */
        }
        row->fields[row->count++] = field;
        if (*s == ',') {
            s++;
            continue;
        }
        assert_true(s[0] == '\r' && s[1] == '\n'); /* CRLF ends every record */
        *p = s + 2;
        return 1;
    }
}

static void csv_row_free(csv_row *row)
{
    for (size_t i = 0; i < row->count; i++)
        free(row->fields[i]);
    row->count = 0;
}

static size_t count_char(const char *s, size_t len, char c)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == c;
    return n;
}

#define TRICKY "Iran said, \"no ties\"\twith \\ al-Qaeda\nsecond line"

static void test_classify_csv_quoting_and_errors(void **state)
{
    (void)state;
    char *in = tu_path(work, "tricky.txt");
    const char *text = "Subscribe, now\n\n" TRICKY "\n";
    tu_write(in, text, strlen(text));
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --format csv '%s' '%s/missing.txt'",
                         kind_model, in, work);
    assert_int_equal(r.status, 2);
    const char *p = r.out;
    csv_row row;
    assert_true(csv_next(&p, &row));
    const char *header[] = {"doc",    "para",  "start", "end",  "kind", "kind_confidence",
                            "actors", "flags", "text",  "error"};
    assert_int_equal(row.count, 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(row.fields[i], header[i]);
    csv_row_free(&row);
    assert_true(csv_next(&p, &row)); /* "Subscribe, now" */
    assert_string_equal(row.fields[8], "Subscribe, now");
    csv_row_free(&row);
    assert_true(csv_next(&p, &row)); /* the paragraph with commas, quotes, tab, newline */
    assert_int_equal(row.count, 10);
    assert_string_equal(row.fields[0], in);
    assert_string_equal(row.fields[1], "1");
    assert_string_equal(row.fields[2], "16");
    assert_string_equal(row.fields[6], "al-qaeda;iran");
    assert_string_equal(row.fields[8], TRICKY);
    assert_string_equal(row.fields[9], "");
    assert_true(strcmp(row.fields[4], "body") == 0 || strcmp(row.fields[4], "furniture") == 0);
    csv_row_free(&row);
    assert_true(csv_next(&p, &row)); /* the missing file: doc and error only */
    assert_int_equal(row.count, 10);
    assert_non_null(strstr(row.fields[0], "missing.txt"));
    for (size_t i = 1; i < 9; i++)
        assert_string_equal(row.fields[i], "");
    assert_non_null(strstr(row.fields[9], "missing.txt: cannot open"));
    csv_row_free(&row);
    assert_false(csv_next(&p, &row));
    assert_non_null(strstr(r.out, "\"Iran said, \"\"no ties\"\"\twith \\ al-Qaeda\nsecond line\""));
    tu_run_free(&r);

    /* TSV: escapes instead of quotes, one line per record, same columns. */
    r = tu_tiesvm(NULL, "classify --model '%s' --format tsv --no-text '%s' '%s/missing.txt'",
                  kind_model, in, work);
    assert_int_equal(r.status, 2);
    assert_int_equal(tu_count_lines(r.out), 4);
    assert_non_null(strstr(r.out, "doc\tpara\tstart\tend\tkind\tkind_confidence\tactors\tflags\t"
                                  "error\n"));
    for (const char *line = r.out; *line;) {
        const char *nl = strchr(line, '\n');
        assert_int_equal(count_char(line, (size_t)(nl - line), '\t'), 8);
        line = nl + 1;
    }
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "classify --model '%s' --format tsv '%s'", kind_model, in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\tIran said, \"no ties\"\\twith \\\\ al-Qaeda\\nsecond line\t\n"));
    tu_run_free(&r);
    free(in);
}

static void test_classify_json_array_and_determinism(void **state)
{
    (void)state;
    char *bad = tu_path(work, "bad.jsonl");
    const char *lines = "{\"id\": \"ok\", \"text\": \"Iran.\\n\\nTehran.\"}\nnot json\n";
    tu_write(bad, lines, strlen(lines));
    tu_run r = tu_tiesvm(NULL, "classify --format json --input-format jsonl '%s'", bad);
    assert_int_equal(r.status, 2);
    json_error_t e;
    json_t *all = json_loads(r.out, 0, &e);
    if (!json_is_array(all))
        fail_msg("not a JSON array (%s): %s", e.text, r.out);
    assert_int_equal(json_array_size(all), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(all, 1), "doc")), "ok");
    assert_non_null(json_object_get(json_array_get(all, 2), "error"));
    json_decref(all);
    tu_run_free(&r);
    /* No input at all is still a JSON document. */
    r = tu_tiesvm(NULL, "classify --format json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "[\n]\n");
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "classify --format xml");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--format"));
    tu_run_free(&r);
    /* Every format is byte-identical across thread counts. */
    const char *formats[] = {"json", "csv", "tsv"};
    for (size_t i = 0; i < 3; i++) {
        tu_run a = tu_tiesvm(NULL, "classify --format %s --threads 1 examples", formats[i]);
        tu_run b = tu_tiesvm(NULL, "classify --format %s --threads 3 examples", formats[i]);
        assert_int_equal(a.status, 0);
        assert_true(a.out_len > 100);
        assert_int_equal(a.out_len, b.out_len);
        assert_memory_equal(a.out, b.out, a.out_len);
        tu_run_free(&a);
        tu_run_free(&b);
    }
    free(bad);
}

/* The label of a head that differs from label. */
static const char *other_stance(const char *label)
{
    return strcmp(label, "disputes") == 0 ? "asserts" : "disputes";
}

static json_t *load_json(const char *path)
{
    json_error_t e;
    json_t *v = json_load_file(path, 0, &e);
    if (!v)
        fail_msg("%s:%d: %s", path, e.line, e.text);
    return v;
}

static void test_labelstudio_round_trip(void **state)
{
    (void)state;
    char *labels = tu_path(work, "labels.jsonl"), *tasks = tu_path(work, "tasks.json");
    char *config = tu_path(work, "config.xml"), *annotated = tu_path(work, "annotated.json");
    char *imported = tu_path(work, "imported.jsonl"), *model = tu_path(work, "ls-model");
    tu_run r = tu_tiesvm(NULL, "classify --out '%s' examples", labels);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "export --to labelstudio --config '%s' -o '%s' '%s'", config, tasks,
                  labels);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    char *xml = tu_read(config, NULL);
    assert_non_null(strstr(xml, "<Text name=\"text\" value=\"$text\"/>"));
    assert_non_null(strstr(xml, "<Choices name=\"stance\" toName=\"text\""));
    assert_non_null(strstr(xml, "<Choice value=\"disputes\"/>"));
    assert_non_null(strstr(xml, "<Choices name=\"topic\" toName=\"text\""));
    assert_non_null(strstr(xml, "<Choice value=\"taliban-isis\"/>"));
    free(xml);

    json_t *all = load_json(tasks);
    assert_int_equal(json_array_size(all), 20);
    json_t *first = json_array_get(all, 0);
    json_t *data = json_object_get(first, "data");
    assert_string_equal(json_string_value(json_object_get(data, "doc")),
                        "examples/iran-letters.txt");
    assert_int_equal(json_integer_value(json_object_get(data, "para")), 0);
    json_t *prediction = json_array_get(json_object_get(first, "predictions"), 0);
    json_t *result = json_object_get(prediction, "result");
    assert_int_equal(json_array_size(result), 2);
    json_t *stance = json_array_get(result, 0);
    assert_string_equal(json_string_value(json_object_get(stance, "from_name")), "stance");
    assert_string_equal(json_string_value(json_object_get(stance, "to_name")), "text");
    assert_string_equal(json_string_value(json_object_get(stance, "type")), "choices");
    assert_true(json_number_value(json_object_get(prediction, "score")) <=
                json_number_value(json_object_get(stance, "score")));

    /* The annotators: accept the predictions, but change task 0's stance;
     * task 1 gets a later, cancelled annotation (ignored); task 2 none. */
    const char *predicted = json_string_value(
        json_array_get(json_object_get(json_object_get(stance, "value"), "choices"), 0));
    char *edited = strdup(other_stance(predicted));
    size_t i;
    json_t *task;
    json_array_foreach(all, i, task) {
        if (i == 2)
            continue;
        json_t *res = json_deep_copy(
            json_object_get(json_array_get(json_object_get(task, "predictions"), 0), "result"));
        json_t *annotations = json_array();
        json_array_append_new(annotations,
                              json_pack("{s:o, s:b, s:s}", "result", res, "was_cancelled", 0,
                                        "updated_at", "2024-05-01T10:00:00Z"));
        if (i == 0)
            json_array_set_new(json_object_get(json_object_get(json_array_get(res, 0), "value"),
                                               "choices"),
                               0, json_string(edited));
        if (i == 1) {
            json_t *cancelled = json_deep_copy(res);
            json_array_set_new(
                json_object_get(json_object_get(json_array_get(cancelled, 0), "value"), "choices"),
                0, json_string("nonsense"));
            json_array_append_new(annotations,
                                  json_pack("{s:o, s:b, s:s}", "result", cancelled,
                                            "was_cancelled", 1, "updated_at",
                                            "2025-01-01T00:00:00Z"));
        }
        json_object_set_new(task, "annotations", annotations);
    }
    assert_int_equal(json_dump_file(all, annotated, JSON_INDENT(1)), 0);
    json_decref(all);

    r = tu_tiesvm(NULL, "import --from labelstudio -o '%s' '%s'", imported, annotated);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "1 tasks without an annotation skipped"));
    tu_run_free(&r);
    char *out = tu_read(imported, NULL);
    assert_int_equal(tu_count_lines(out), 19);
    json_t *rec = json_loadb(out, (size_t)(strchr(out, '\n') - out), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "id")),
                        "examples/iran-letters.txt#0");
    assert_string_equal(json_string_value(json_object_get(rec, "stance")), edited);
    assert_true(json_is_true(json_object_get(rec, "reviewed")));
    assert_non_null(json_string_value(json_object_get(rec, "text")));
    json_decref(rec);
    assert_null(strstr(out, "nonsense"));
    free(out);

    /* Training accepts the import as it is (with the fixture for enough
     * examples per label). */
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --data '%s' --out '%s' --jobs 1",
                  imported, model);
    if (r.status != 0)
        fail_msg("train refused the import: %s", r.err);
    assert_non_null(strstr(r.out, "73 examples"));
    tu_run_free(&r);
    free(edited);
    free(labels);
    free(tasks);
    free(config);
    free(annotated);
    free(imported);
    free(model);
}

static void test_doccano_round_trip_and_bad_lines(void **state)
{
    (void)state;
    char *labels = tu_path(work, "dl.jsonl"), *tasks = tu_path(work, "doccano.jsonl");
    char *edited = tu_path(work, "doccano-edited.jsonl");
    tu_run r = tu_tiesvm(NULL, "classify --out '%s' examples/iran-letters.txt", labels);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "export --to doccano -o '%s' '%s'", tasks, labels);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    char *exported = tu_read(tasks, NULL);
    assert_int_equal(tu_count_lines(exported), 7);
    json_t *first = json_loadb(exported, (size_t)(strchr(exported, '\n') - exported), 0, NULL);
    json_t *list = json_object_get(first, "label");
    assert_int_equal(json_array_size(list), 2);
    const char *stance = json_string_value(json_array_get(list, 0));
    assert_true(strncmp(stance, "stance:", 7) == 0);
    assert_true(strncmp(json_string_value(json_array_get(list, 1)), "topic:", 6) == 0);
    assert_int_equal(json_integer_value(json_object_get(first, "para")), 0);
    /* Edit: the first line gets another stance; then one line in "labels"
     * form, one span-labeled, one without labels, one malformed. */
    char *new_label;
    if (asprintf(&new_label, "stance:%s", other_stance(stance + 7)) < 0)
        abort();
    json_array_set_new(list, 0, json_string(new_label));
    char *line0 = json_dumps(first, JSON_COMPACT);
    FILE *f = fopen(edited, "w");
    fprintf(f, "%s\n%s", line0, strchr(exported, '\n') + 1);
    fputs("{\"text\": \"Tehran denied it.\", \"labels\": [\"stance:disputes\", \"topic:other\"], "
          "\"doc\": \"manual\", \"para\": 4}\n",
          f);
    fputs("{\"text\": \"Spans.\", \"label\": [[0, 5, \"ORG\"]]}\n", f);
    fputs("{\"text\": \"Nobody labeled this.\", \"label\": []}\n", f);
    fputs("{\"text\": \"Broken\", \n", f);
    fputs("{\"text\": \"No head.\", \"label\": [\"asserts\"]}\n", f);
    fclose(f);
    free(line0);
    json_decref(first);
    free(exported);

    r = tu_tiesvm(NULL, "import --from doccano '%s'", edited);
    assert_int_equal(r.status, 2);
    char *where;
    if (asprintf(&where, "%s:9: span label", edited) < 0)
        abort();
    assert_non_null(strstr(r.err, where));
    free(where);
    assert_non_null(strstr(r.err, "doccano-edited.jsonl:11: malformed JSON"));
    assert_non_null(strstr(r.err, "doccano-edited.jsonl:12: label \"asserts\" is not HEAD:LABEL"));
    assert_non_null(strstr(r.err, "1 tasks without an annotation skipped"));
    assert_int_equal(tu_count_lines(r.out), 8); /* 7 exported + the "labels" line */
    assert_non_null(strstr(r.out, new_label + 7));
    json_t *rec = json_loadb(r.out, (size_t)(strchr(r.out, '\n') - r.out), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "stance")), new_label + 7);
    assert_string_equal(json_string_value(json_object_get(rec, "id")),
                        "examples/iran-letters.txt#0");
    json_decref(rec);
    assert_non_null(strstr(r.out, "{\"id\":\"manual#4\",\"doc\":\"manual\",\"para\":4,"
                                  "\"text\":\"Tehran denied it.\",\"stance\":\"disputes\","
                                  "\"topic\":\"other\",\"reviewed\":true}\n"));
    tu_run_free(&r);
    free(new_label);
    free(labels);
    free(tasks);
    free(edited);
}

static void test_export_and_import_bad_input(void **state)
{
    (void)state;
    char *in = tu_path(work, "mixed.jsonl");
    const char *lines =
        "{\"doc\": \"a\", \"para\": 0, \"start\": 0, \"end\": 3, \"text\": \"a, \\\"b\\\"\","
        " \"stance\": {\"label\": \"asserts\", \"confidence\": 0.5, \"scores\": {}},"
        " \"actors\": [], \"model\": \"m\"}\n"
        "{\"doc\": \"gone.txt\", \"error\": \"gone.txt: cannot open\"}\n"
        "{\"doc\": \"b\", \"para\": 0, \"stance\": {\"label\": \"neutral\"}}\n"
        "[1, 2\n";
    tu_write(in, lines, strlen(lines));
    tu_run r = tu_tiesvm(NULL, "export --to labelstudio '%s'", in);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "mixed.jsonl:2: an error record"));
    assert_non_null(strstr(r.err, "mixed.jsonl:3: no \"text\""));
    assert_non_null(strstr(r.err, "mixed.jsonl:4: malformed JSON"));
    json_t *all = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(all), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(all, 0), "data"), "text")),
        "a, \"b\"");
    json_decref(all);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "export '%s'", in);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--to"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "export --to doccano /nonexistent.jsonl");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "/nonexistent.jsonl: cannot open"));
    tu_run_free(&r);

    /* Label Studio: bad tasks in a JSON array are reported with the line
     * they start on; the rest still converts. */
    char *ls = tu_path(work, "ls-bad.json");
    const char *doc = "[\n"
                      "  {\"data\": {\"text\": \"One.\", \"doc\": \"d\", \"para\": 0},\n"
                      "   \"annotations\": [{\"result\": [{\"from_name\": \"stance\", \"to_name\":"
                      " \"text\", \"type\": \"choices\", \"value\": {\"choices\": [\"neutral\"]}}]}]},\n"
                      "  {\"data\": {\"body\": \"no text\"}},\n"
                      "  {\"data\": {\"text\": \"Two.\"}, \"id\": 7, \"annotations\": [{\"result\": "
                      "[{\"from_name\": \"stance\", \"type\": \"choices\", \"value\": {\"choices\":"
                      " [\"asserts\", \"neutral\"]}}]}]},\n"
                      "  {\"data\": {\"text\": \"Three.\"}, \"id\": 8, \"annotations\": [{\"result\": "
                      "[{\"from_name\": \"stance\", \"type\": \"choices\", \"value\": {\"choices\":"
                      " [\"asserts\"]}}, {\"from_name\": \"note\", \"type\": \"textarea\", \"value\":"
                      " {\"text\": [\"x\"]}}]}]}\n"
                      "]\n";
    tu_write(ls, doc, strlen(doc));
    r = tu_tiesvm(NULL, "import --from labelstudio '%s'", ls);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ls-bad.json:4: a task needs \"data\" with a \"text\""));
    assert_non_null(strstr(r.err, "ls-bad.json:5: head \"stance\" needs exactly one choice"));
    assert_int_equal(tu_count_lines(r.out), 2);
    assert_non_null(strstr(r.out, "{\"id\":\"d#0\",\"doc\":\"d\",\"para\":0,\"text\":\"One.\","
                                  "\"stance\":\"neutral\",\"reviewed\":true}\n"));
    assert_non_null(strstr(r.out, "{\"id\":\"labelstudio-8\",\"text\":\"Three.\","
                                  "\"stance\":\"asserts\",\"reviewed\":true}\n"));
    tu_run_free(&r);
    free(ls);
    free(in);
}

static const char EDGE_RECORDS[] =
    "{\"doc\": \"a\", \"actors\": [\"iran\", \"al-qaeda\"], \"stance\": {\"label\": \"asserts\","
    " \"scores\": {\"asserts\": 0.6, \"disputes\": 0.3, \"neutral\": 0.1}}}\n"
    "{\"doc\": \"b\", \"actors\": [\"al-qaeda\", \"iran\", \"taliban\"], \"stance\": \"disputes\"}\n"
    "{\"doc\": \"a\", \"actors\": [\"iran\", \"al-qaeda\", \"iran\"], \"stance\": {\"label\": "
    "\"neutral\"}}\n"
    "{\"doc\": \"gone\", \"error\": \"gone: cannot open\"}\n"
    "{\"doc\": \"x,\\\"y\\\"<&>\", \"actors\": [\"taliban\", \"al-qaeda\"], \"stance\": {\"label\":"
    " \"asserts\"}}\n"
    "{\"doc\": \"c\", \"actors\": [\"isis\"], \"stance\": {\"label\": \"neutral\"}}\n";

static const char EDGE_CSV[] = "source,target,paragraphs,asserts,disputes,neutral,documents\r\n"
                               "al-qaeda,iran,3,1,1,1,a;b\r\n"
                               "al-qaeda,taliban,2,1,1,0,\"b;x,\"\"y\"\"<&>\"\r\n"
                               "iran,taliban,1,0,1,0,b\r\n";

static void test_edges_csv_and_graphml(void **state)
{
    (void)state;
    char *in = tu_path(work, "edges.jsonl"), *rev = tu_path(work, "edges-rev.jsonl");
    tu_write(in, EDGE_RECORDS, strlen(EDGE_RECORDS));
    tu_run r = tu_tiesvm(NULL, "edges '%s'", in);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, EDGE_CSV);
    tu_run_free(&r);
    /* The same records in reverse order give the same bytes. */
    char *cmd;
    if (asprintf(&cmd, "tac '%s' > '%s'", in, rev) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
    r = tu_tiesvm(NULL, "edges '%s'", rev);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, EDGE_CSV);
    tu_run_free(&r);

    char *graph = tu_path(work, "actors.graphml");
    r = tu_tiesvm(NULL, "edges --format graphml -o '%s' '%s'", graph, in);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    char *xml = tu_read(graph, NULL);
    assert_non_null(strstr(xml, "<graph id=\"actors\" edgedefault=\"undirected\">"));
    assert_non_null(strstr(xml, "<key id=\"e_label1\" for=\"edge\" attr.name=\"disputes\" "
                                "attr.type=\"int\"/>"));
    assert_non_null(strstr(xml, "<node id=\"al-qaeda\"><data key=\"n_paragraphs\">4</data>"));
    assert_non_null(strstr(xml, "<node id=\"isis\"><data key=\"n_paragraphs\">1</data>"));
    assert_non_null(strstr(xml, "<edge source=\"al-qaeda\" target=\"iran\">\n"
                                "      <data key=\"e_paragraphs\">3</data>"));
    assert_non_null(strstr(xml, "b;x,&quot;y&quot;&lt;&amp;&gt;</data>"));
    free(xml);
    /* Well-formed XML, when python3 is there to parse it. */
    if (system("command -v python3 >/dev/null 2>&1") == 0) {
        if (asprintf(&cmd, "python3 -c 'import sys, xml.dom.minidom as m; "
                           "d = m.parse(sys.argv[1]); "
                           "assert len(d.getElementsByTagName(\"edge\")) == 3' '%s'",
                     graph) < 0)
            abort();
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    free(graph);
    free(rev);
    free(in);
}

static void test_edges_head_choice_and_bad_lines(void **state)
{
    (void)state;
    char *in = tu_path(work, "kind.jsonl");
    const char *lines =
        "{\"doc\": \"a\", \"actors\": [\"iran\", \"isis\"], \"kind\": {\"label\": \"body\"}}\n"
        "{\"doc\": \"b\", \"actors\": [\"iran\", \"isis\"], \"kind\": {\"label\": \"furniture\"}}\n";
    tu_write(in, lines, strlen(lines));
    tu_run r = tu_tiesvm(NULL, "edges '%s'", in);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no record has the head \"stance\""));
    assert_non_null(strstr(r.err, "heads seen: kind"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "edges --head kind '%s'", in);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "source,target,paragraphs,body,furniture,documents\r\n"
                               "iran,isis,2,1,1,a;b\r\n");
    tu_run_free(&r);

    char *bad = tu_path(work, "edges-bad.jsonl");
    const char *text = "{\"doc\": \"a\", \"actors\": [\"iran\", \"isis\"], \"stance\": \"asserts\"}\n"
                       "not json\n"
                       "{\"doc\": \"b\", \"actors\": \"iran\", \"stance\": \"asserts\"}\n";
    tu_write(bad, text, strlen(text));
    r = tu_tiesvm(NULL, "edges '%s'", bad);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "edges-bad.jsonl:2: malformed JSON"));
    assert_non_null(strstr(r.err, "edges-bad.jsonl:3: no \"actors\" list"));
    assert_string_equal(r.out, "source,target,paragraphs,asserts,documents\r\n"
                               "iran,isis,1,1,a\r\n");
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "edges --format dot '%s'", bad);
    assert_int_equal(r.status, 1);
    tu_run_free(&r);
    free(bad);
    free(in);
}

static void test_help(void **state)
{
    (void)state;
    const char *commands[] = {"export", "import", "edges"};
    for (size_t i = 0; i < 3; i++) {
        tu_run r = tu_tiesvm(NULL, "%s --help", commands[i]);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "usage: tiesvm"));
        assert_non_null(strstr(r.out, "example"));
        tu_run_free(&r);
        r = tu_tiesvm(NULL, "%s", commands[i]);
        assert_int_equal(r.status, 1);
        tu_run_free(&r);
    }
    tu_run r = tu_tiesvm(NULL, "--help");
    assert_non_null(strstr(r.out, "edges"));
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_csv_quoting_and_errors),
        cmocka_unit_test(test_classify_json_array_and_determinism),
        cmocka_unit_test(test_labelstudio_round_trip),
        cmocka_unit_test(test_doccano_round_trip_and_bad_lines),
        cmocka_unit_test(test_export_and_import_bad_input),
        cmocka_unit_test(test_edges_csv_and_graphml),
        cmocka_unit_test(test_edges_head_choice_and_bad_lines),
        cmocka_unit_test(test_help),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
