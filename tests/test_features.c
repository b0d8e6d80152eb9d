/* test_features.c - terms from text (tokens, n-grams, actor tokens, actor
 * pairs) and TF-IDF values against hand-computed ones. */
#include "testutil.h"

#include <math.h>
#include <svm.h>

#include "featurize.h"
#include "util.h"

typedef struct terms {
    tv_buf joined; /* terms separated by '|' */
} terms;

static void collect(void *ctx, const char *term, size_t len)
{
    terms *t = ctx;
    if (t->joined.len)
        tv_buf_putc(&t->joined, '|');
    tv_buf_append(&t->joined, term, len);
}

static char *analyze(const char *text, const tv_feature_config *cfg, const tv_actors *actors)
{
    tv_analyzer *an = tv_analyzer_new(actors, NULL, cfg);
    tv_scratch *sc = tv_scratch_new(an);
    terms t = {{0}};
    tv_analyze(an, sc, text, strlen(text), collect, &t);
    tv_scratch_free(&sc);
    tv_analyzer_free(&an);
    if (!t.joined.data)
        tv_buf_puts(&t.joined, "");
    return t.joined.data;
}

static void test_unigrams_bigrams(void **state)
{
    (void)state;
    tv_feature_config cfg = {2, 0, 0, 0, 1, 0, 0};
    char *got = analyze("No EVIDENCE, they said\xE2\x80\x99s", &cfg, NULL);
    assert_string_equal(got, "no|no evidence|evidence|evidence they|they|they said|said");
    free(got);
}

static void test_actor_tokens_and_pairs(void **state)
{
    (void)state;
    const char *table = "al-qaeda\tal[- ]qaeda\niran\ttehran|iran\n";
    tv_actors *a;
    assert_int_equal(tv_actors_parse(table, strlen(table), "t", &a, NULL), TV_OK);
    tv_feature_config cfg = {1, 0, 0, 1, 1, 0, 0};
    char *got = analyze("Tehran and Al Qaeda", &cfg, a);
    assert_string_equal(got, "@iran|and|@al-qaeda|@al-qaeda+@iran");
    free(got);
    tv_actors_free(&a);
}

static void test_char_ngrams(void **state)
{
    (void)state;
    tv_feature_config cfg = {1, 3, 3, 0, 1, 0, 0};
    char *got = analyze("Iran", &cfg, NULL);
    assert_string_equal(got, "iran|~_ir|~ira|~ran|~an_");
    free(got);
}

static void test_cue_terms(void **state)
{
    (void)state;
    const char *table = "doubt\tdubious|no evidence\ndenial\tdenied\n";
    tv_actors *cues;
    assert_int_equal(tv_actors_parse(table, strlen(table), "c", &cues, NULL), TV_OK);
    tv_feature_config cfg = {1, 0, 0, 0, 1, 1, 0};
    tv_analyzer *an = tv_analyzer_new(NULL, cues, &cfg);
    tv_scratch *sc = tv_scratch_new(an);
    terms t = {{0}};
    const char *text = "A Dubious claim; they denied it with no  evidence";
    tv_analyze(an, sc, text, strlen(text), collect, &t);
    /* Cue terms come first and the words stay: "no evidence" spans two
     * spaces, so only the patterns' own spacing counts. */
    assert_string_equal(t.joined.data,
                        "%doubt|%denial|a|dubious|claim|they|denied|it|with|no|evidence");
    tv_buf_free(&t.joined);
    tv_scratch_free(&sc);
    tv_analyzer_free(&an);
    tv_actors_free(&cues);
}

static void test_sentence_scoped_cues(void **state)
{
    (void)state;
    const char *cue_table = "ties\thosted|shelter\n";
    const char *actor_table = "al-qaeda\tal-qaeda\niran\tiran|tehran\n";
    tv_actors *cues, *actors;
    assert_int_equal(tv_actors_parse(cue_table, strlen(cue_table), "c", &cues, NULL), TV_OK);
    assert_int_equal(tv_actors_parse(actor_table, strlen(actor_table), "a", &actors, NULL), TV_OK);
    tv_feature_config cfg = {1, 0, 0, 0, 1, 1, 0};
    tv_analyzer *an = tv_analyzer_new(actors, cues, &cfg);
    tv_scratch *sc = tv_scratch_new(an);
    terms t = {{0}};
    /* Sentence 1: negated tie with two actors.  Sentence 2: the negation of
     * sentence 1 does not carry over, and one actor is not a pair. */
    const char *text = "Iran never hosted al-Qaeda. Later it gave shelter to Iran's guests.";
    tv_analyze(an, sc, text, strlen(text), collect, &t);
    assert_non_null(t.joined.data);
    char *cues_only = strndup(t.joined.data, (size_t)(strstr(t.joined.data, "|@iran") - t.joined.data));
    assert_string_equal(cues_only, "%ties|%not-ties|%ties+pair|%ties");
    free(cues_only);
    tv_buf_free(&t.joined);
    tv_scratch_free(&sc);
    tv_analyzer_free(&an);
    tv_actors_free(&cues);
    tv_actors_free(&actors);
}

static void test_shape_terms(void **state)
{
    (void)state;
    tv_feature_config cfg = {1, 0, 0, 0, 1, 0, 1};
    char *got = analyze("See https://example.org/al-qaeda-iran?x=1 now", &cfg, NULL);
    /* The URL's words are not read (nor its '?'); it counts as one %url term. */
    assert_string_equal(got, "%url|%len-1-3|see|now");
    free(got);
    got = analyze("\"Will they split?\" he asked, and nobody in the room could answer him.",
                  &cfg, NULL);
    assert_string_equal(got, "%len-9-15|%question-mark|%quotation|will|they|split|he|asked|"
                             "and|nobody|in|the|room|could|answer|him");
    free(got);
}

static void test_idf(void **state)
{
    (void)state;
    assert_true(fabs(tv_idf(3, 1) - (log(4.0 / 2.0) + 1.0)) < 1e-12);
    assert_true(fabs(tv_idf(3, 3) - 1.0) < 1e-12);
}

static void test_tfidf_values(void **state)
{
    (void)state;
    /* Term 0 twice (idf 1), term 2 once (idf 2): sublinear tf gives
     * w0 = 1 + ln 2 = 1.693147..., w2 = 2; L2 norm = sqrt(w0^2 + 4). */
    double idf[] = {1.0, 5.0, 2.0};
    size_t ids[] = {2, 0, 0};
    struct svm_node *nodes = NULL;
    size_t cap = 0;
    size_t n = tv_vectorize(ids, 3, idf, 1, &nodes, &cap);
    assert_int_equal(n, 2);
    double w0 = 1.0 + log(2.0), w2 = 2.0, norm = sqrt(w0 * w0 + w2 * w2);
    assert_int_equal(nodes[0].index, 1);
    assert_true(fabs(nodes[0].value - w0 / norm) < 1e-12);
    assert_int_equal(nodes[1].index, 3);
    assert_true(fabs(nodes[1].value - w2 / norm) < 1e-12);
    assert_int_equal(nodes[2].index, -1);
    /* Raw tf: w0 = 2. */
    size_t ids2[] = {0, 0};
    n = tv_vectorize(ids2, 2, idf, 0, &nodes, &cap);
    assert_int_equal(n, 1);
    assert_true(fabs(nodes[0].value - 1.0) < 1e-12);
    /* Empty bag: only the terminator. */
    n = tv_vectorize(NULL, 0, idf, 1, &nodes, &cap);
    assert_int_equal(n, 0);
    assert_int_equal(nodes[0].index, -1);
    free(nodes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unigrams_bigrams),
        cmocka_unit_test(test_actor_tokens_and_pairs),
        cmocka_unit_test(test_char_ngrams),
        cmocka_unit_test(test_cue_terms),
        cmocka_unit_test(test_sentence_scoped_cues),
        cmocka_unit_test(test_shape_terms),
        cmocka_unit_test(test_idf),
        cmocka_unit_test(test_tfidf_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
