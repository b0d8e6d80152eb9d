/* test_normalize.c - typographic and case folding, UTF-8 handling, JSON
 * string escaping. */
#include "testutil.h"

#include "normalize.h"
#include "utf8.h"
#include "util.h"

static void fold(const char *in, const char *want, int want_invalid)
{
    tv_buf out = {0};
    int invalid = tv_fold_typography(in, strlen(in), &out);
    assert_int_equal(invalid, want_invalid);
    assert_string_equal(out.data ? out.data : "", want);
    tv_buf_free(&out);
}

static void test_typography(void **state)
{
    (void)state;
    fold("al\xE2\x80\x99Qaeda \xE2\x80\x9Chome base\xE2\x80\x9D", "al'Qaeda \"home base\"", 0);
    fold("Iran\xE2\x80\x93" "al-Qaeda \xE2\x80\x94 ties\xE2\x80\xA6", "Iran-al-Qaeda - ties...", 0);
    fold("a\xC2\xA0" "b\xE2\x80\x8B" "c", "a bc", 0);   /* NBSP to space, zero-width dropped */
    fold("mail@example", "mail example", 0);           /* '@' is reserved for actor tokens */
    fold("al-Qa\xCA\xBFida", "al-Qa'ida", 0);          /* modifier letter ayn */
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    fold("bad \xFF byte", "bad \xEF\xBF\xBD byte", 1);
    fold("cut \xE2\x80", "cut \xEF\xBF\xBD\xEF\xBF\xBD", 1);
    fold("overlong \xC0\xAF", "overlong \xEF\xBF\xBD\xEF\xBF\xBD", 1);
    fold("nul\x01here", "nul here", 0);
}

static void test_case(void **state)
{
    (void)state;
    char s[] = "TALIBAN \xC3\x89mirat \xD0\x90\xD0\x91 \xC5\xA0vejdov\xC3\x81";
    tv_fold_case(s, strlen(s));
    assert_string_equal(s, "taliban \xC3\xA9mirat \xD0\xB0\xD0\xB1 \xC5\xA1vejdov\xC3\xA1");
}

static void test_utf8_decode(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(tv_utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(tv_utf8_decode("\xED\xA0\x80", 3, &cp), 1); /* surrogate */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(tv_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    char enc[4];
    assert_int_equal(tv_utf8_encode(0x1F600, enc), 4);
    assert_memory_equal(enc, "\xF0\x9F\x98\x80", 4);
}

static void test_json_string(void **state)
{
    (void)state;
    tv_buf b = {0};
    tv_buf_json_string(&b, "a\"b\\c\n\x01\xFF\xC3\xA9", 10);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\xC3\xA9\"");
    tv_buf_clear(&b);
    tv_buf_json_prob(&b, 0.123456);
    assert_string_equal(b.data, "0.1235");
    tv_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typography),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_case),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_json_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
