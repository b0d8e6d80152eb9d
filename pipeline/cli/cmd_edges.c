/*
 * cmd_edges.c - "tiesvm edges": the actor network of classify records.  One
 * undirected edge per pair of actors named in the same paragraph, with the
 * number of paragraphs per label of one head (stance by default) and the
 * documents behind it; written as CSV or GraphML.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: tiesvm edges [--format csv|graphml] [--head NAME] [-o FILE] LABELS.jsonl...\n"
    "\n"
    "Builds the actor network of classify records (JSON Lines or classify\n"
    "--format json; imported training records work too): one undirected edge\n"
    "per pair of actors named in the same paragraph (\"actors\"), counting the\n"
    "paragraphs in all and per label of the head (by default \"stance\"), with\n"
    "the documents they come from.  Edges are sorted by source then target;\n"
    "source sorts before target.\n"
    "\n"
    "  csv      source,target,paragraphs,LABEL...,documents (labels sorted, so\n"
    "           for stance: asserts,disputes,neutral); documents is the sorted\n"
    "           list of distinct docs joined by ';'.  RFC 4180, CRLF line ends\n"
    "  graphml  nodes (id = actor, attribute paragraphs = paragraphs naming it)\n"
    "           and undirected edges with the same attributes as the CSV\n"
    "\n"
    "options:\n"
    "  --format FMT    csv (default) or graphml\n"
    "  --head NAME     the head whose labels are counted (default: stance)\n"
    "  -o, --out FILE  write to FILE (atomically) instead of stdout\n"
    "\n"
    "Error records are skipped; bad lines are reported as FILE:LINE.  Exit\n"
    "status: 0 all read, 2 some lines or files failed, 1 nothing could run\n"
    "(also when no record has the head).\n"
    "\n"
    "example:\n"
    "  tiesvm edges --format graphml -o actors.graphml labels.jsonl\n";

/* One actor pair seen in one paragraph. */
typedef struct pair_seen {
    char *source, *target; /* source < target */
    const char *label;     /* the head's label, or NULL (owned by labels) */
    char *doc;
} pair_seen;

typedef struct edges_state {
    const char *head;
    pair_seen *pairs;
    size_t pair_count, pair_cap;
    char **mentions; /* one actor name per paragraph naming it */
    size_t mention_count, mention_cap;
    char **labels;   /* distinct labels of the head, sorted at the end */
    size_t label_count;
    size_t records;       /* paragraph records read */
    size_t with_head;     /* records that have the head */
    size_t error_records;
    char **heads_seen;    /* object-valued heads, for the message when head is absent */
    size_t heads_seen_count;
} edges_state;

static char *xstrdup(const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        abort();
    return copy;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        abort();
    p = realloc(p, n * size);
    if (!p)
        abort();
    *cap = n;
    return p;
}

/* Index of s in a list, adding it if new (lists stay small: labels, heads). */
static const char *intern(char ***list, size_t *count, const char *s)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*list)[i], s) == 0)
            return (*list)[i];
    *list = realloc(*list, (*count + 1) * sizeof **list);
    if (!*list)
        abort();
    (*list)[*count] = xstrdup(s);
    return (*list)[(*count)++];
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The label of a head value: {"label": ...} (classify) or a string (training
 * records); also notes the label names of "scores". */
static const char *head_label(edges_state *st, json_t *value)
{
    const char *name;
    json_t *score;
    json_object_foreach(json_object_get(value, "scores"), name, score) {
        (void)score;
        intern(&st->labels, &st->label_count, name);
    }
    if (json_is_object(value))
        value = json_object_get(value, "label");
    const char *label = json_string_value(value);
    return label ? intern(&st->labels, &st->label_count, label) : NULL;
}

static void note_heads_seen(edges_state *st, json_t *record)
{
    const char *key;
    json_t *value;
    json_object_foreach(record, key, value) {
        if (json_is_string(json_object_get(value, "label")))
            intern(&st->heads_seen, &st->heads_seen_count, key);
    }
}

/* The record's actors, sorted and distinct, as an array of borrowed
 * strings; NULL (reported) when "actors" is not a list of strings. */
static const char **paragraph_actors(json_t *record, size_t *count, const char *path,
                                     long line)
{
    json_t *actors = json_object_get(record, "actors");
    if (!json_is_array(actors)) {
        cli_message("%s:%ld: no \"actors\" list", path, line);
        return NULL;
    }
    const char **names = calloc(json_array_size(actors) + 1, sizeof *names);
    if (!names)
        abort();
    size_t n = 0, i;
    json_t *a;
    json_array_foreach(actors, i, a) {
        if (!json_is_string(a)) {
            cli_message("%s:%ld: \"actors\" must hold strings", path, line);
            free(names);
            return NULL;
        }
        names[n++] = json_string_value(a);
    }
    qsort(names, n, sizeof *names, cmp_str);
    size_t distinct = 0;
    for (i = 0; i < n; i++)
        if (distinct == 0 || strcmp(names[distinct - 1], names[i]) != 0)
            names[distinct++] = names[i];
    *count = distinct;
    return names;
}

static void add_paragraph(edges_state *st, const char **actors, size_t n, const char *label,
                          const char *doc)
{
    st->mentions = grow(st->mentions, &st->mention_cap, st->mention_count + n,
                        sizeof *st->mentions);
    for (size_t i = 0; i < n; i++)
        st->mentions[st->mention_count++] = xstrdup(actors[i]);
    size_t pairs = n * (n - (n > 0)) / 2;
    st->pairs = grow(st->pairs, &st->pair_cap, st->pair_count + pairs, sizeof *st->pairs);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            pair_seen *p = &st->pairs[st->pair_count++];
            p->source = xstrdup(actors[i]);
            p->target = xstrdup(actors[j]);
            p->label = label;
            p->doc = xstrdup(doc);
        }
}

static int read_record(void *ctx, json_t *record, const char *path, long line)
{
    edges_state *st = ctx;
    if (!json_is_object(record)) {
        cli_message("%s:%ld: not a JSON object", path, line);
        return 1;
    }
    if (json_object_get(record, "error")) {
        st->error_records++;
        return 0;
    }
    const char *doc = json_string_value(json_object_get(record, "doc"));
    if (!doc) {
        cli_message("%s:%ld: no \"doc\" string", path, line);
        return 1;
    }
    size_t n;
    const char **actors = paragraph_actors(record, &n, path, line);
    if (!actors)
        return 1;
    note_heads_seen(st, record);
    const char *label = head_label(st, json_object_get(record, st->head));
    st->records++;
    st->with_head += label != NULL;
    add_paragraph(st, actors, n, label, doc);
    free(actors);
    return 0;
}

static int cmp_pairs(const void *a, const void *b)
{
    const pair_seen *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    if (!c)
        c = strcmp(x->target, y->target);
    return c ? c : strcmp(x->doc, y->doc);
}

/* One edge: pairs[from, to) share source and target. */
typedef struct edge {
    const char *source, *target;
    size_t paragraphs;
    size_t *per_label;  /* label_count counts, sorted label order */
    char *documents;    /* distinct docs joined by ';' */
} edge;

static size_t label_index(const edges_state *st, const char *label)
{
    char *const *hit = bsearch(&label, st->labels, st->label_count, sizeof *st->labels, cmp_str);
    return hit ? (size_t)(hit - st->labels) : (size_t)-1;
}

static void build_edge(const edges_state *st, size_t from, size_t to, edge *e)
{
    const pair_seen *p = st->pairs;
    e->source = p[from].source;
    e->target = p[from].target;
    e->paragraphs = to - from;
    e->per_label = calloc(st->label_count + 1, sizeof *e->per_label);
    size_t docs_len = 0;
    for (size_t i = from; i < to; i++)
        docs_len += strlen(p[i].doc) + 1;
    e->documents = calloc(docs_len + 1, 1);
    if (!e->per_label || !e->documents)
        abort();
    char *w = e->documents;
    for (size_t i = from; i < to; i++) {
        if (p[i].label)
            e->per_label[label_index(st, p[i].label)]++;
        if (i > from && strcmp(p[i].doc, p[i - 1].doc) == 0)
            continue;
        if (w != e->documents)
            *w++ = ';';
        size_t n = strlen(p[i].doc);
        memcpy(w, p[i].doc, n);
        w += n;
    }
    *w = '\0';
}

static void free_edge(edge *e)
{
    free(e->per_label);
    free(e->documents);
}

/* ---- CSV */

static void csv_field(FILE *f, const char *s)
{
    tv_buf b = {0};
    tv_table_append_field(&b, s, strlen(s), TV_OUTPUT_CSV);
    if (b.len)
        fwrite(b.data, 1, b.len, f);
    tv_buf_free(&b);
}

static void csv_header(const edges_state *st, FILE *f)
{
    fputs("source,target,paragraphs", f);
    for (size_t l = 0; l < st->label_count; l++) {
        fputc(',', f);
        csv_field(f, st->labels[l]);
    }
    fputs(",documents\r\n", f);
}

static void csv_edge(const edges_state *st, const edge *e, FILE *f)
{
    csv_field(f, e->source);
    fputc(',', f);
    csv_field(f, e->target);
    fprintf(f, ",%zu", e->paragraphs);
    for (size_t l = 0; l < st->label_count; l++)
        fprintf(f, ",%zu", e->per_label[l]);
    fputc(',', f);
    csv_field(f, e->documents);
    fputs("\r\n", f);
}

/* ---- GraphML */

static void graphml_key(FILE *f, const char *id, const char *target, const char *name,
                        const char *type)
{
    fprintf(f, "  <key id=\"%s\" for=\"%s\" attr.name=\"", id, target);
    cli_put_xml_text(f, name);
    fprintf(f, "\" attr.type=\"%s\"/>\n", type);
}

static void graphml_header(const edges_state *st, FILE *f)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
          f);
    graphml_key(f, "n_paragraphs", "node", "paragraphs", "int");
    graphml_key(f, "e_paragraphs", "edge", "paragraphs", "int");
    for (size_t l = 0; l < st->label_count; l++) {
        char id[32];
        snprintf(id, sizeof id, "e_label%zu", l);
        graphml_key(f, id, "edge", st->labels[l], "int");
    }
    graphml_key(f, "e_documents", "edge", "documents", "string");
    fputs("  <graph id=\"actors\" edgedefault=\"undirected\">\n", f);
}

static void graphml_nodes(const edges_state *st, FILE *f)
{
    for (size_t i = 0; i < st->mention_count;) {
        size_t j = i;
        while (j < st->mention_count && strcmp(st->mentions[j], st->mentions[i]) == 0)
            j++;
        fputs("    <node id=\"", f);
        cli_put_xml_text(f, st->mentions[i]);
        fprintf(f, "\"><data key=\"n_paragraphs\">%zu</data></node>\n", j - i);
        i = j;
    }
}

static void graphml_edge(const edges_state *st, const edge *e, FILE *f)
{
    fputs("    <edge source=\"", f);
    cli_put_xml_text(f, e->source);
    fputs("\" target=\"", f);
    cli_put_xml_text(f, e->target);
    fprintf(f, "\">\n      <data key=\"e_paragraphs\">%zu</data>\n", e->paragraphs);
    for (size_t l = 0; l < st->label_count; l++)
        fprintf(f, "      <data key=\"e_label%zu\">%zu</data>\n", l, e->per_label[l]);
    fputs("      <data key=\"e_documents\">", f);
    cli_put_xml_text(f, e->documents);
    fputs("</data>\n    </edge>\n", f);
}

static void write_network(edges_state *st, int graphml, FILE *f)
{
    qsort(st->labels, st->label_count, sizeof *st->labels, cmp_str);
    qsort(st->mentions, st->mention_count, sizeof *st->mentions, cmp_str);
    qsort(st->pairs, st->pair_count, sizeof *st->pairs, cmp_pairs);
    if (graphml) {
        graphml_header(st, f);
        graphml_nodes(st, f);
    } else {
        csv_header(st, f);
    }
    for (size_t i = 0; i < st->pair_count;) {
        size_t j = i;
        while (j < st->pair_count && strcmp(st->pairs[j].source, st->pairs[i].source) == 0 &&
               strcmp(st->pairs[j].target, st->pairs[i].target) == 0)
            j++;
        edge e;
        build_edge(st, i, j, &e);
        if (graphml)
            graphml_edge(st, &e, f);
        else
            csv_edge(st, &e, f);
        free_edge(&e);
        i = j;
    }
    if (graphml)
        fputs("  </graph>\n</graphml>\n", f);
}

static void free_list(char **list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(list[i]);
    free(list);
}

static void free_state(edges_state *st)
{
    for (size_t i = 0; i < st->pair_count; i++) {
        free(st->pairs[i].source);
        free(st->pairs[i].target);
        free(st->pairs[i].doc);
    }
    free(st->pairs);
    free_list(st->mentions, st->mention_count);
    free_list(st->labels, st->label_count);
    free_list(st->heads_seen, st->heads_seen_count);
}

/* With records but none with the head: says which heads there are. */
static void report_missing_head(const edges_state *st)
{
    char seen[1024] = "";
    size_t used = 0;
    for (size_t h = 0; h < st->heads_seen_count && used < sizeof seen; h++)
        used += (size_t)snprintf(seen + used, sizeof seen - used, "%s%s", h ? ", " : "",
                                 st->heads_seen[h]);
    cli_message("no record has the head \"%s\"; choose one with --head NAME (heads seen: %s)",
                st->head, st->heads_seen_count ? seen : "none");
}

int cmd_edges(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"head", required_argument, NULL, 'H'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    edges_state st = {.head = "stance"};
    const char *out_path = NULL;
    int graphml = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "graphml") != 0) {
                cli_message("--format must be csv or graphml, not '%s'", optarg);
                return EXIT_FATAL;
            }
            graphml = strcmp(optarg, "graphml") == 0;
            break;
        case 'H': st.head = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h':
            fputs(USAGE, stdout);
            return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
        default:
            fputs(USAGE, stderr);
            return EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        cli_message("edges needs a LABELS.jsonl file ('-' for stdin)");
        fputs(USAGE, stderr);
        return EXIT_FATAL;
    }
    size_t bad = 0, unreadable = 0, read_ok = 0;
    for (int i = optind; i < argc; i++)
        if (cli_each_json_item(argv[i], read_record, &st, &bad) != 0)
            unreadable++;
        else
            read_ok++;
    if (st.with_head == 0 && st.records > 0) {
        report_missing_head(&st);
        free_state(&st);
        return EXIT_FATAL;
    }
    cli_output out;
    if (read_ok == 0 || cli_output_open(&out, out_path) != 0) {
        free_state(&st);
        return EXIT_FATAL;
    }
    write_network(&st, graphml, out.f);
    free_state(&st);
    if (cli_output_close(&out, 1) != 0)
        return EXIT_FATAL;
    if (bad || unreadable) {
        cli_message("%zu bad lines and %zu unreadable files (see above)", bad, unreadable);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}
