/* test_schema.c - docs/record.schema.json against real classify output
 * (text and JSONL input, --no-text, meta, flags, failed documents, --format
 * json), and the small validator itself on documents that must fail. */
#include "testutil.h"

#include <jansson.h>

#include "schema_check.h"

static json_t *schema;

static int setup(void **state)
{
    (void)state;
    json_error_t e;
    schema = json_load_file("docs/record.schema.json", 0, &e);
    if (!schema)
        fprintf(stderr, "docs/record.schema.json:%d: %s\n", e.line, e.text);
    return schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(schema);
    return 0;
}

static int valid_text(const char *json, char *msg, size_t size)
{
    json_error_t e;
    json_t *doc = json_loads(json, 0, &e);
    if (!doc)
        fail_msg("test document is not JSON: %s: %s", json, e.text);
    int ok = schema_check(schema, doc, msg, size);
    json_decref(doc);
    return ok;
}

static void assert_valid(const char *json)
{
    char msg[1024];
    if (!valid_text(json, msg, sizeof msg))
        fail_msg("should be valid: %s\n  %s", json, msg);
}

/* Invalid, for the reason given (a part of the message). */
static void assert_invalid(const char *json, const char *reason)
{
    char msg[1024];
    if (valid_text(json, msg, sizeof msg))
        fail_msg("should be invalid: %s", json);
    if (!strstr(msg, reason))
        fail_msg("wrong reason for %s:\n  %s\n  (expected \"%s\")", json, msg, reason);
}

#define HEAD "{\"label\":\"asserts\",\"confidence\":0.8,\"scores\":{\"asserts\":0.8,\"neutral\":0.2}}"
#define BASE "\"doc\":\"a.txt\",\"para\":0,\"start\":0,\"end\":5,\"actors\":[\"iran\"],\"model\":\"tv1-x\""

static void test_validator_accepts_and_rejects(void **state)
{
    (void)state;
    assert_valid("{" BASE ",\"stance\":" HEAD "}");
    assert_valid("{" BASE ",\"text\":\"Iran.\",\"kind\":" HEAD ",\"flags\":[\"utf16\"],"
                 "\"meta\":{\"x\":[1]},\"reviewed\":true,"
                 "\"why\":{\"kind\":[[\"tehran\",0.41],[\"%ties\",-0.2]]}}");
    assert_valid("{\"doc\":\"b.jsonl:2\",\"error\":\"b.jsonl:2: malformed JSON\"}");

    assert_invalid("{\"para\":0,\"start\":0,\"end\":5,\"actors\":[],\"model\":\"m\"}",
                   "no branch");
    assert_invalid("{" BASE ",\"stance\":{\"label\":\"asserts\",\"confidence\":0.8}}",
                   "missing required property scores");
    assert_invalid("{" BASE ",\"stance\":{\"label\":\"a\",\"confidence\":1.5,\"scores\":{}}}",
                   "above the maximum");
    assert_invalid("{" BASE ",\"stance\":\"asserts\"}", "not of type object");
    assert_invalid("{\"doc\":\"a.txt\",\"para\":-1,\"start\":0,\"end\":5,\"actors\":[],"
                   "\"model\":\"m\"}",
                   "below the minimum");
    assert_invalid("{\"doc\":\"a.txt\",\"para\":0.5,\"start\":0,\"end\":5,\"actors\":[],"
                   "\"model\":\"m\"}",
                   "not of type integer");
    assert_invalid("{" BASE ",\"flags\":[\"odd\"]}", "enum");
    assert_invalid("{" BASE ",\"flags\":[]}", "too few items");
    assert_invalid("{" BASE ",\"actors\":[\"iran\",3]}", "/actors/1");
    assert_invalid("{" BASE ",\"reviewed\":\"yes\"}", "not of type boolean");
    assert_invalid("{" BASE ",\"why\":{\"stance\":[[\"term\"]]}}", "too few items");
    assert_invalid("{" BASE ",\"why\":{\"stance\":[[1, 0.5]]}}", "not of type string");
    assert_invalid("{\"doc\":\"a\",\"error\":\"x\",\"extra\":1}", "no branch");
    assert_invalid("[1]", "no branch");

    /* A schema keyword the validator does not know is an error, not ignored. */
    json_t *odd = json_pack("{s:s}", "pattern", "^a");
    json_t *inst = json_string("b");
    char msg[256];
    assert_false(schema_check(odd, inst, msg, sizeof msg));
    assert_non_null(strstr(msg, "unsupported keyword pattern"));
    json_decref(odd);
    json_decref(inst);
}

/* Validates every line of out (JSON Lines); returns the number of records. */
static size_t validate_lines(const char *out)
{
    size_t n = 0;
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        json_error_t e;
        json_t *rec = json_loadb(p, (size_t)(nl - p), 0, &e);
        if (!rec)
            fail_msg("not JSON: %.*s", (int)(nl - p), p);
        char msg[1024];
        if (!schema_check(schema, rec, msg, sizeof msg))
            fail_msg("record %zu does not match the schema: %s\n  %.*s", n, msg, (int)(nl - p),
                     p);
        json_decref(rec);
        n++;
        p = nl + 1;
    }
    return n;
}

static void test_real_output_matches(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    /* Text input, with an invalid UTF-8 byte (flags) and a missing file (an
     * error record). */
    char *bad_utf8 = tu_path(dir, "latin1.txt");
    tu_write(bad_utf8, "Tehran \xE9 al-Qaeda.\n\nSecond.\n", 27);
    tu_run r = tu_tiesvm(NULL, "classify examples '%s' '%s/missing.txt'", bad_utf8, dir);
    assert_int_equal(r.status, 2);
    assert_true(validate_lines(r.out) > 20);
    assert_non_null(strstr(r.out, "\"invalid-utf8\""));
    assert_non_null(strstr(r.out, "\"error\""));
    tu_run_free(&r);

    r = tu_tiesvm(NULL, "classify --no-text examples");
    assert_int_equal(r.status, 0);
    assert_int_equal(validate_lines(r.out), 20);
    tu_run_free(&r);

    /* --explain: "why" on every record. */
    r = tu_tiesvm(NULL, "classify --explain 4 examples");
    assert_int_equal(r.status, 0);
    assert_int_equal(validate_lines(r.out), 20);
    assert_int_equal(tu_count_lines(r.out), 20);
    assert_non_null(strstr(r.out, "\"why\":{\"stance\":[[\""));
    tu_run_free(&r);

    /* JSONL input: meta, an id-less line, and bad lines. */
    char *jl = tu_path(dir, "in.jsonl");
    const char *lines = "{\"id\":\"n1\",\"text\":\"Iran hosts al-Qaeda.\",\"source\":\"wire\","
                        "\"tags\":[1,2]}\n"
                        "{\"text\":\"No id.\"}\n"
                        "not json\n"
                        "{\"id\":\"n3\",\"text\":7}\n";
    tu_write(jl, lines, strlen(lines));
    r = tu_tiesvm(NULL, "classify --input-format jsonl '%s'", jl);
    assert_int_equal(r.status, 2);
    assert_int_equal(validate_lines(r.out), 4);
    assert_non_null(strstr(r.out, "\"meta\":{\"source\":\"wire\""));
    tu_run_free(&r);

    /* --format json: each element of the array. */
    r = tu_tiesvm(NULL, "classify --format json --input-format jsonl '%s'", jl);
    assert_int_equal(r.status, 2);
    json_t *all = json_loads(r.out, 0, NULL);
    assert_true(json_is_array(all));
    assert_int_equal(json_array_size(all), 4);
    size_t i;
    json_t *rec;
    json_array_foreach(all, i, rec) {
        char msg[1024];
        if (!schema_check(schema, rec, msg, sizeof msg))
            fail_msg("element %zu: %s", i, msg);
    }
    json_decref(all);
    tu_run_free(&r);
    /* (classify --explain is not on this branch; its "why" field is covered
     * by the validator test above.) */
    tu_rmrf(dir);
    free(dir);
    free(bad_utf8);
    free(jl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validator_accepts_and_rejects),
        cmocka_unit_test(test_real_output_matches),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
