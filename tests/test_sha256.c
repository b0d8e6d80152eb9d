/* test_sha256.c - SHA-256 against the FIPS 180-4 example vectors. */
#include "testutil.h"

static void test_known_vectors(void **state)
{
    (void)state;
    char hex[65];
    tv_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    tv_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    tv_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_and_file(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *a = malloc(n);
    memset(a, 'a', n);
    char hex[65];
    tv_sha256_hex(a, n, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    char *dir = tu_mkdtemp();
    char *path = tu_path(dir, "a.bin");
    tu_write(path, a, n);
    char fhex[65];
    tv_error err;
    assert_int_equal(tv_sha256_file(path, fhex, &err), TV_OK);
    assert_string_equal(fhex, hex);
    assert_int_equal(tv_sha256_file("/nonexistent/x", fhex, &err), TV_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/x");
    tu_rmrf(dir);
    free(dir);
    free(path);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_million_a_and_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
