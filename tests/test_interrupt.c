/* test_interrupt.c - kill "tiesvm train" at random moments: the previous
 * model stays byte-for-byte intact and loadable, and no temporary
 * directory is left beside it. */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <time.h>

static char *file_digest(const char *dir, const char *name)
{
    char *path = tu_path(dir, name);
    char hex[65];
    tv_error err;
    assert_int_equal(tv_sha256_file(path, hex, &err), TV_OK);
    free(path);
    return strdup(hex);
}

static int leftovers(const char *parent)
{
    DIR *d = opendir(parent);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void test_kill_train(void **state)
{
    (void)state;
    char *base = tu_mkdtemp();
    char *model = tu_path(base, "model");
    /* The model to protect, trained from the fixture. */
    tu_run r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s'", model);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    const char *files[] = {"manifest.json", "vocab.tsv", "head-0.svm", "head-1.svm"};
    char *before[4];
    for (int i = 0; i < 4; i++)
        before[i] = file_digest(model, files[i]);
    const char *bin = getenv("TIESVM") && getenv("TIESVM")[0] ? getenv("TIESVM") : "./tiesvm";
    /* Retrain on the corpus (seconds of work) and kill it part way. */
    unsigned delays_ms[] = {50, 300, 900, 1700, 2600};
    int signals[] = {SIGTERM, SIGINT, SIGTERM, SIGINT, SIGTERM};
    for (int k = 0; k < 5; k++) {
        char *cmd;
        if (asprintf(&cmd, "exec %s train --data training/corpus --out '%s' >/dev/null 2>&1", bin,
                     model) < 0)
            abort();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            setpgid(0, 0);
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        free(cmd);
        struct timespec ts = {delays_ms[k] / 1000, (long)(delays_ms[k] % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        kill(-pid, signals[k]); /* the whole group: the command and its workers */
        int status;
        waitpid(pid, &status, 0);
        /* Killed before finishing: the old model is untouched. */
        for (int i = 0; i < 4; i++) {
            char *now = file_digest(model, files[i]);
            if (strcmp(now, before[i]) != 0)
                fail_msg("kill %d (%s after %u ms, exit status %d): %s changed", k,
                         signals[k] == SIGINT ? "SIGINT" : "SIGTERM", delays_ms[k], status,
                         files[i]);
            free(now);
        }
        tv_model *m;
        tv_error err;
        assert_int_equal(tv_model_load(model, &m, &err), TV_OK);
        tv_model_free(&m);
        assert_int_equal(leftovers(base), 0);
    }
    for (int i = 0; i < 4; i++)
        free(before[i]);
    tu_rmrf(base);
    free(base);
    free(model);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_train),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
