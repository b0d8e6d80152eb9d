/*
 * main.c - the tiesvm command line: finds the command in the table and
 * runs it.  Each command lives in its own cmd_*.c file.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command COMMANDS[] = {
    {"classify", cmd_classify, "label the paragraphs of articles (JSON Lines, CSV, ...)"},
    {"train", cmd_train, "train a model from labeled JSON Lines"},
    {"eval", cmd_eval, "score a model on labeled JSON Lines"},
    {"inspect", cmd_inspect, "show a model's settings, scores and heaviest terms"},
    {"review", cmd_review, "write an HTML page to review, correct and export labels"},
    {"export", cmd_export, "write classify records as doccano or Label Studio tasks"},
    {"import", cmd_import, "read doccano or Label Studio annotations as training data"},
    {"edges", cmd_edges, "the actor network of classify records (CSV or GraphML)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tiesvm COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Labels paragraphs of articles about armed groups and states: whether each\n"
            "asserts or disputes ties between actors (stance) and which relationship it\n"
            "is about (topic), with one SVM per label field.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out,
            "\n"
            "'tiesvm COMMAND --help' describes a command.  'tiesvm --version' prints the\n"
            "version.  Exit status: 0 all processed, 2 some inputs failed, 1 nothing\n"
            "could run.\n"
            "\n"
            "example:\n"
            "  tiesvm classify examples/ > labels.jsonl\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_FATAL;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("tiesvm %s (model format %d)\n", TIESVM_VERSION, TIESVM_MODEL_FORMAT_VERSION);
        return cli_finish_stdout() ? EXIT_FATAL : EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    cli_message("unknown command '%s' (try 'tiesvm --help')", name);
    return EXIT_FATAL;
}
