/* test_segment.c - paragraph segmentation: offsets into the original bytes,
 * and the streaming reader (textstream.c) splitting exactly as tv_segment. */
#include "testutil.h"

#include "textstream.h"
#include "util.h"

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

/* Deterministic pseudo-random numbers. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t next_random(void)
{
    return tu_random(&rng);
}

/* Pieces that exercise the blank-line rule: words, spaces of every kind,
 * CR, lone and doubled newlines, invalid and truncated UTF-8, a BOM. */
static const char *const PIECES[] = {
    "word ", "Iran ", "al-Qaeda", " ", "\t", "\r", "\n", "\n\n", "\n \t\n",
    "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\xA8", "\xEF\xBB\xBF", "\xFF", "\xC3",
    "\xE2\x80", "caf\xC3\xA9 ", ".\n\n\n", "\n\xC2\xA0\n"};

static void random_text(tv_buf *out, size_t target, int long_runs)
{
    tv_buf_clear(out);
    while (out->len < target) {
        size_t k = next_random() % (sizeof PIECES / sizeof *PIECES);
        /* Now and then a long stretch without a blank line. */
        if (long_runs && next_random() % 4000 == 0) {
            size_t run = 1 + next_random() % (3u << 20);
            for (size_t i = 0; i < run; i++)
                tv_buf_putc(out, (i % 61 == 60) ? '\n' : 'a' + (char)(i % 26));
            continue;
        }
        tv_buf_puts(out, PIECES[k]);
    }
}

/* Streams path and checks every paragraph against tv_segment of text. */
static void expect_stream_matches(const char *path, const char *text, size_t len)
{
    tv_span *spans;
    size_t n;
    tv_segment(text, len, &spans, &n);
    tv_error err;
    tv_textstream *ts = tv_textstream_open(path, &err);
    assert_non_null(ts);
    assert_false(tv_textstream_is_utf16(ts));
    tv_document doc;
    size_t seen = 0, parts = 0;
    memset(&doc, 0, sizeof doc);
    while (tv_textstream_next(ts, "doc", &doc)) {
        assert_false(doc.failed);
        assert_int_equal(doc.first_para, seen);
        assert_int_equal(doc.continues, parts > 0);
        for (size_t i = 0; i < doc.paragraph_count; i++, seen++) {
            const tv_paragraph *p = &doc.paragraphs[i];
            assert_true(seen < n);
            assert_int_equal(p->start, spans[seen].start);
            assert_int_equal(p->end, spans[seen].end);
            size_t full = p->end - p->start;
            /* Kept: everything, or more than the cap (so it is cut and
             * flagged the same way as the whole paragraph would be). */
            if (full <= TV_MAX_PARAGRAPH)
                assert_int_equal(p->text_len, full);
            else
                assert_true(p->text_len > TV_MAX_PARAGRAPH && p->text_len < full);
            assert_memory_equal(doc.text + p->text_at, text + p->start, p->text_len);
        }
        tv_document_clear(&doc);
        parts++;
    }
    assert_int_equal(seen, n);
    tv_textstream_close(&ts);
    free(spans);
}

static void test_stream_splits_like_segment(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_path(dir, "t.txt");
    tv_buf text = {0};
    /* Many small texts (chunk edges fall everywhere), then large ones that
     * span several parts and hold paragraphs over the cap. */
    for (int round = 0; round < 120; round++) {
        random_text(&text, next_random() % 100000, 0);
        tu_write(path, text.data ? text.data : "", text.len);
        expect_stream_matches(path, text.data ? text.data : "", text.len);
    }
    for (int round = 0; round < 2; round++) {
        random_text(&text, (9u << 20) + next_random() % (2u << 20), 1);
        tu_write(path, text.data, text.len);
        expect_stream_matches(path, text.data, text.len);
    }
    tv_buf_free(&text);
    tu_rmrf(dir);
    free(path);
    free(dir);
}

static void test_stream_read_error_keeps_what_was_read(void **state)
{
    (void)state;
    /* A directory opens but cannot be read: one failed part, nothing else. */
    tv_error err;
    tv_textstream *ts = tv_textstream_open("tests", &err);
    assert_non_null(ts);
    tv_document doc;
    memset(&doc, 0, sizeof doc);
    assert_int_equal(tv_textstream_next(ts, "tests", &doc), 1);
    assert_true(doc.failed);
    assert_non_null(strstr(doc.error.message, "cannot read"));
    tv_document_clear(&doc);
    assert_int_equal(tv_textstream_next(ts, "tests", &doc), 0);
    tv_textstream_close(&ts);
    assert_null(tv_textstream_open("tests/no-such-file.txt", &err));
    assert_non_null(strstr(err.message, "cannot open"));
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
        cmocka_unit_test(test_stream_splits_like_segment),
        cmocka_unit_test(test_stream_read_error_keeps_what_was_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
