/* test_actors.c - the actor table: the shipped spellings map to the right
 * canonical names, and bad tables are refused with their line number. */
#include "testutil.h"

#include "actors.h"
#include "normalize.h"
#include "util.h"

static tv_actors *table;

static int setup(void **state)
{
    (void)state;
    tv_error err;
    if (tv_actors_load("models/actors.tsv", &table, &err) != TV_OK) {
        fprintf(stderr, "%s:%ld: %s\n", err.file, err.line, err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tv_actors_free(&table);
    return 0;
}

/* The canonical names found in text, comma-joined. */
static char *found(const char *text)
{
    tv_buf folded = {0}, out = {0}, names = {0};
    tv_fold_typography(text, strlen(text), &folded);
    unsigned char *seen = calloc(tv_actors_count(table) + 1, 1);
    tv_actor_matcher *md = tv_actor_matcher_new(table);
    tv_actors_rewrite(table, md, folded.data, folded.len, &out, seen);
    for (size_t i = 0; i < tv_actors_count(table); i++)
        if (seen[i]) {
            if (names.len)
                tv_buf_putc(&names, ',');
            tv_buf_puts(&names, tv_actors_name(table, i));
        }
    tv_actor_matcher_free(&md);
    free(seen);
    tv_buf_free(&folded);
    tv_buf_free(&out);
    if (!names.data)
        tv_buf_puts(&names, "");
    return names.data;
}

static void expect(const char *text, const char *want)
{
    char *got = found(text);
    if (strcmp(got, want) != 0)
        fail_msg("\"%s\": found [%s], expected [%s]", text, got, want);
    free(got);
}

static void test_alqaeda_spellings(void **state)
{
    (void)state;
    expect("al-Qaeda", "al-qaeda");
    expect("Al Qaida and AQAP", "al-qaeda");
    expect("al\xE2\x80\x99Qa\xE2\x80\x99ida", "al-qaeda");
    expect("AQIS fighters", "al-qaeda");
    expect("Osama bin Laden and Zawahiri", "al-qaeda");
    expect("Saif al-Adel", "al-qaeda");
}

static void test_isis_spellings(void **state)
{
    (void)state;
    expect("ISIS", "isis");
    expect("ISIL and Daesh", "isis");
    expect("IS-K", "isis");
    expect("ISKP", "isis");
    expect("Islamic State Khorasan Province", "isis");
    expect("al-Qaeda in Iraq", "isis"); /* predecessor counts with ISIS */
    expect("this is it", "");          /* lowercase 'is' is a word */
    expect("The IS attack", "isis");
}

static void test_other_actors(void **state)
{
    (void)state;
    expect("the Haqqani network", "taliban");
    expect("Islamic Emirate of Afghanistan", "taliban");
    expect("Tehran's Quds Force", "iran");
    expect("Iran\xE2\x80\x99s", "iran");
    expect("Tehrik-i-Taliban Pakistan", "ttp");
    expect("the Pakistani Taliban", "ttp");
    expect("Hizballah and the Houthis", "hezbollah,houthis");
    expect("al-Shabaab", "al-shabaab");
    expect("Iranian", "iran");
    expect("Iranians", ""); /* not part of a longer word */
}

static void test_rewrite_tokens(void **state)
{
    (void)state;
    tv_buf out = {0};
    unsigned char *seen = calloc(tv_actors_count(table) + 1, 1);
    tv_actor_matcher *md = tv_actor_matcher_new(table);
    const char *t = "Tehran hosted al-Qaida.";
    tv_actors_rewrite(table, md, t, strlen(t), &out, seen);
    assert_string_equal(out.data, " @iran  hosted  @al-qaeda .");
    tv_actor_matcher_free(&md);
    free(seen);
    tv_buf_free(&out);
}

static void bad_table(const char *text, long line, const char *fragment)
{
    tv_actors *a = NULL;
    tv_error err;
    assert_int_not_equal(tv_actors_parse(text, strlen(text), "t.tsv", &a, &err), TV_OK);
    assert_null(a);
    assert_string_equal(err.file, "t.tsv");
    assert_int_equal(err.line, line);
    if (!strstr(err.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
}

static void test_bad_tables(void **state)
{
    (void)state;
    bad_table("# c\nfoo bar\n", 2, "CANONICAL<TAB>PATTERN");
    bad_table("ok\tfoo\nBad Name\tx\n", 2, "canonical name");
    bad_table("x\t(unclosed\n", 1, "bad actor pattern");
    bad_table("x\ta*\n", 1, "empty string");
    bad_table("x\t\n", 1, "empty pattern");
}

static void test_custom_table(void **state)
{
    (void)state;
    const char *text = "# comment\r\nwidgets\twidget(?:s)?\r\n\r\nacme\t(?-i:ACME)\n";
    tv_actors *a;
    tv_error err;
    assert_int_equal(tv_actors_parse(text, strlen(text), "c.tsv", &a, &err), TV_OK);
    assert_int_equal(tv_actors_count(a), 2);
    assert_string_equal(tv_actors_name(a, 0), "acme");
    assert_string_equal(tv_actors_name(a, 1), "widgets");
    tv_actors_free(&a);
    assert_null(a);
}

/* Rewrites text with table a and returns the result (caller frees). */
static char *rewritten(const tv_actors *a, const char *text)
{
    tv_buf out = {0};
    unsigned char *seen = calloc(tv_actors_count(a) + 1, 1);
    tv_actor_matcher *m = tv_actor_matcher_new(a);
    tv_actors_rewrite(a, m, text, strlen(text), &out, seen);
    tv_actor_matcher_free(&m);
    free(seen);
    return out.data;
}

/*
 * A table too large for one PCRE2 pattern is split into parts, and still
 * matches as one alternation would: the leftmost mention wins, and at the
 * same position the entry listed first.
 */
static void test_large_table(void **state)
{
    (void)state;
    tv_buf text = {0};
    tv_buf_puts(&text, "first\talpha beta\nearly\tgamma\n");
    for (int i = 0; i < 6000; i++)
        tv_buf_printf(&text, "filler\tfiller%04d(?:s|ed|ing)?\n", i);
    tv_buf_puts(&text, "last\talpha|zeta\nlate\tbeta gamma\n");
    tv_actors *a;
    tv_error err;
    if (tv_actors_parse(text.data, text.len, "big.tsv", &a, &err) != TV_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    char *got = rewritten(a, "alpha beta gamma");
    assert_string_equal(got, " @first   @early ");
    free(got);
    got = rewritten(a, "so beta gamma then gamma, zeta and filler5999s");
    assert_string_equal(got, "so  @late  then  @early ,  @last  and  @filler ");
    free(got);
    tv_actors_free(&a);
    tv_buf_free(&text);
}

/* Matching at one position (how cue tables are read): the first-listed
 * entry wins, whole words only, split alternatives keep their order. */
static void test_match_at(void **state)
{
    (void)state;
    const char *tsv = "certain\tno doubt|beyond question\n"
                      "doubt\tdoubt\\w*|(?:little|no) proof\n"
                      "neg\tno|not\n";
    tv_actors *a;
    tv_error err;
    assert_int_equal(tv_actors_parse(tsv, strlen(tsv), "c.tsv", &a, &err), TV_OK);
    tv_actor_matcher *m = tv_actor_matcher_new(a);
    const char *t = "No doubt, little proof, not doubtful; nodoubt";
    size_t len = strlen(t), end = 0, name = 0;
    assert_true(tv_actors_match_at(m, t, len, 0, &end, &name));
    assert_int_equal(end, 8);
    assert_string_equal(tv_actors_name(a, name), "certain");
    assert_true(tv_actors_match_at(m, t, len, 10, &end, &name));
    assert_int_equal(end, 22);
    assert_string_equal(tv_actors_name(a, name), "doubt");
    assert_true(tv_actors_match_at(m, t, len, 24, &end, &name));
    assert_int_equal(end, 27);
    assert_string_equal(tv_actors_name(a, name), "neg");
    assert_true(tv_actors_match_at(m, t, len, 28, &end, &name));
    assert_int_equal(end, 36);
    assert_string_equal(tv_actors_name(a, name), "doubt");
    assert_false(tv_actors_match_at(m, t, len, 38, &end, &name)); /* "nodoubt" */
    assert_false(tv_actors_match_at(m, t, len, 40, &end, &name)); /* inside a word */
    assert_false(tv_actors_match_at(m, t, len, len, &end, &name));
    tv_actor_matcher_free(&m);
    tv_actors_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alqaeda_spellings),
        cmocka_unit_test(test_isis_spellings),
        cmocka_unit_test(test_other_actors),
        cmocka_unit_test(test_rewrite_tokens),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_custom_table),
        cmocka_unit_test(test_large_table),
        cmocka_unit_test(test_match_at),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
