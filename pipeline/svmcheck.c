/*
 * svmcheck.c - a strict reader of libsvm's model text format, used only to
 * decide whether libsvm may load a file.
 */
#include "svmcheck.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct cursor {
    const char *p, *end;
    const char *name;
    long line;
    tv_error *err;
} cursor;

static tv_status bad(cursor *c, const char *what)
{
    return tv_fail(c->err, TV_ERR_MODEL, c->name, c->line, "invalid libsvm model: %s", what);
}

/* The next line without its newline; 0 at the end of the data. */
static int next_line(cursor *c, const char **line, size_t *len)
{
    if (c->p >= c->end)
        return 0;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *stop = nl ? nl : c->end;
    *line = c->p;
    *len = (size_t)(stop - c->p);
    c->p = nl ? nl + 1 : c->end;
    c->line++;
    return 1;
}

/* Copies a line into a NUL-terminated scratch buffer for strtod/strtol. */
static char *dup_line(const char *line, size_t len)
{
    return tv_xstrndup(line, len);
}

static int parse_double(char **s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(*s, &end);
    if (end == *s || errno == ERANGE || !isfinite(v))
        return -1;
    *s = end;
    *out = v;
    return 0;
}

static int parse_long(char **s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(*s, &end, 10);
    if (end == *s || errno == ERANGE)
        return -1;
    *s = end;
    *out = v;
    return 0;
}

static int at_end(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    return *s == '\0';
}

/* Reads exactly n numbers after the key; doubles or longs into out. */
static int numbers(char *rest, size_t n, int integers, double *dout, long *lout)
{
    for (size_t i = 0; i < n; i++) {
        if (integers ? parse_long(&rest, &lout[i]) : parse_double(&rest, &dout[i]))
            return -1;
    }
    return at_end(rest) ? 0 : -1;
}

tv_status tv_svm_check(const char *data, size_t len, const char *name, size_t max_labels,
                       size_t dim, tv_error *err)
{
    cursor c = {data, data + len, name, 0, err};
    long nr_class = -1, total_sv = -1;
    int have_rho = 0, have_label = 0, have_nr_sv = 0, have_proba = 0, have_probb = 0;
    int rbf = -1, have_gamma = 0;
    long *labels = NULL, *nr_sv = NULL;
    double *tmp = NULL;
    const char *line;
    size_t ll;
    tv_status st = TV_OK;
    if (memchr(data, '\0', len))
        return bad(&c, "NUL byte");
    if (len == 0 || data[len - 1] != '\n')
        return bad(&c, "truncated (no final newline)");
    for (;;) {
        if (!next_line(&c, &line, &ll)) {
            st = bad(&c, "truncated header (no SV line)");
            goto done;
        }
        char *s = dup_line(line, ll);
        char *sp = strchr(s, ' ');
        char *rest = sp ? sp + 1 : s + strlen(s);
        if (sp)
            *sp = '\0';
        size_t pairs = nr_class > 1 ? (size_t)(nr_class * (nr_class - 1) / 2) : 0;
        int fail = 0;
        if (strcmp(s, "SV") == 0 && at_end(rest)) {
            free(s);
            break;
        } else if (strcmp(s, "svm_type") == 0) {
            fail = strcmp(rest, "c_svc") != 0;
        } else if (strcmp(s, "kernel_type") == 0) {
            if (strcmp(rest, "linear") == 0)
                rbf = 0;
            else if (strcmp(rest, "rbf") == 0)
                rbf = 1;
            else
                fail = 1;
        } else if (strcmp(s, "gamma") == 0) {
            double g;
            fail = numbers(rest, 1, 0, &g, NULL) || !(g > 0);
            have_gamma = 1;
        } else if (strcmp(s, "nr_class") == 0) {
            fail = nr_class != -1 || numbers(rest, 1, 1, NULL, &nr_class) || nr_class < 2 ||
                   (size_t)nr_class > max_labels || nr_class > TV_SVM_MAX_CLASSES;
        } else if (strcmp(s, "total_sv") == 0) {
            fail = total_sv != -1 || numbers(rest, 1, 1, NULL, &total_sv) || total_sv < 1 ||
                   total_sv > TV_SVM_MAX_SV;
        } else if (strcmp(s, "rho") == 0 || strcmp(s, "probA") == 0 || strcmp(s, "probB") == 0) {
            int *flag = s[0] == 'r' ? &have_rho : s[4] == 'A' ? &have_proba : &have_probb;
            if (nr_class < 2 || *flag) {
                fail = 1;
            } else {
                tmp = tv_xreallocarray(tmp, pairs, sizeof *tmp);
                fail = numbers(rest, pairs, 0, tmp, NULL);
                *flag = 1;
            }
        } else if (strcmp(s, "label") == 0) {
            if (nr_class < 2 || have_label) {
                fail = 1;
            } else {
                labels = tv_xcalloc((size_t)nr_class, sizeof *labels);
                fail = numbers(rest, (size_t)nr_class, 1, NULL, labels);
                for (long i = 0; !fail && i < nr_class; i++) {
                    fail = labels[i] < 0 || (size_t)labels[i] >= max_labels;
                    for (long j = 0; !fail && j < i; j++)
                        fail = labels[i] == labels[j];
                }
                have_label = 1;
            }
        } else if (strcmp(s, "nr_sv") == 0) {
            if (nr_class < 2 || have_nr_sv) {
                fail = 1;
            } else {
                nr_sv = tv_xcalloc((size_t)nr_class, sizeof *nr_sv);
                fail = numbers(rest, (size_t)nr_class, 1, NULL, nr_sv);
                long sum = 0;
                for (long i = 0; !fail && i < nr_class; i++) {
                    fail = nr_sv[i] < 0 || nr_sv[i] > TV_SVM_MAX_SV;
                    sum += nr_sv[i];
                }
                fail = fail || sum != total_sv;
                have_nr_sv = 1;
            }
        } else {
            fail = 1;
        }
        free(s);
        if (fail) {
            st = bad(&c, "bad or unexpected header line");
            goto done;
        }
    }
    if (rbf < 0 || (rbf && !have_gamma) || nr_class < 2 || total_sv < 1 || !have_rho ||
        !have_label || !have_nr_sv || have_proba != have_probb) {
        st = bad(&c, "incomplete header");
        goto done;
    }
    for (long k = 0; k < total_sv; k++) {
        if (!next_line(&c, &line, &ll)) {
            st = bad(&c, "fewer support vectors than total_sv");
            goto done;
        }
        char *s = dup_line(line, ll);
        char *p = s;
        int fail = 0;
        for (long i = 0; !fail && i < nr_class - 1; i++) {
            double coef;
            fail = parse_double(&p, &coef);
        }
        long prev = 0, beyond = 0;
        while (!fail && !at_end(p)) {
            long index;
            double value;
            fail = parse_long(&p, &index) || *p != ':' || index <= prev;
            if (!fail && (size_t)index > dim) {
                beyond = index;
                fail = 1;
            }
            if (!fail) {
                p++;
                fail = parse_double(&p, &value);
            }
            prev = index;
        }
        free(s);
        if (beyond) {
            st = tv_fail(err, TV_ERR_MODEL, name, c.line,
                         "invalid libsvm model: feature %ld is beyond the vocabulary's %zu terms "
                         "(does vocab.tsv belong to this model?)",
                         beyond, dim);
            goto done;
        }
        if (fail) {
            st = bad(&c, "bad support vector line (numbers, or feature index order)");
            goto done;
        }
    }
    while (next_line(&c, &line, &ll)) {
        for (size_t i = 0; i < ll; i++)
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                st = bad(&c, "data after the last support vector");
                goto done;
            }
    }
done:
    free(labels);
    free(nr_sv);
    free(tmp);
    return st;
}
