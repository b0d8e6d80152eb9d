/* test_segment.c - paragraph segmentation: offsets into the original bytes. */
#include "testutil.h"

static void expect(const char *text, size_t len, const size_t *pairs, size_t count)
{
    tv_span *spans;
    size_t n;
    tv_segment(text, len, &spans, &n);
    assert_int_equal(n, count);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(spans[i].start, pairs[2 * i]);
        assert_int_equal(spans[i].end, pairs[2 * i + 1]);
    }
    free(spans);
}

static void test_blank_lines_separate(void **state)
{
    (void)state;
    const char *t = "First para\nstill first.\n\nSecond.\n\n\n\nThird";
    size_t want[] = {0, 23, 25, 32, 36, 41};
    expect(t, strlen(t), want, 3);
}

static void test_crlf_and_whitespace_lines(void **state)
{
    (void)state;
    /* A line of spaces and tabs is blank; CRLF endings are not text. */
    const char *t = "One\r\n \t \r\nTwo  \r\n";
    size_t want[] = {0, 3, 10, 13};
    expect(t, strlen(t), want, 2);
}

static void test_bom_and_leading_blanks(void **state)
{
    (void)state;
    const char *t = "\xEF\xBB\xBF\n\n  Indented start\n";
    size_t want[] = {7, 21};
    expect(t, strlen(t), want, 1);
}

static void test_unicode_space_line_is_blank(void **state)
{
    (void)state;
    /* A line holding only a no-break space (as scraped pages have). */
    const char *t = "A\n\xC2\xA0\nB";
    size_t want[] = {0, 1, 5, 6};
    expect(t, strlen(t), want, 2);
}

static void test_empty_and_short(void **state)
{
    (void)state;
    expect("", 0, NULL, 0);
    expect("\n\n \n", 4, NULL, 0);
    size_t one[] = {0, 1};
    expect("x", 1, one, 1); /* short paragraphs are kept */
}

static void test_text_matches_offsets(void **state)
{
    (void)state;
    const char *t = "\xEF\xBB\xBFTitle line\r\n\r\nBody with \xE2\x80\x9Cquotes\xE2\x80\x9D.\r\n";
    tv_span *spans;
    size_t n;
    tv_segment(t, strlen(t), &spans, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(t + spans[0].start, "Title line", 10);
    assert_int_equal(spans[0].end - spans[0].start, 10);
    assert_memory_equal(t + spans[1].start, "Body with \xE2\x80\x9Cquotes\xE2\x80\x9D.",
                        spans[1].end - spans[1].start);
    free(spans);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_lines_separate),
        cmocka_unit_test(test_crlf_and_whitespace_lines),
        cmocka_unit_test(test_bom_and_leading_blanks),
        cmocka_unit_test(test_unicode_space_line_is_blank),
        cmocka_unit_test(test_empty_and_short),
        cmocka_unit_test(test_text_matches_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
