/* fuzz_jsonl.c - libFuzzer entry point for fuzz_jsonl (see targets.h). */
#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return fuzz_setup();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_jsonl(data, size);
    return 0;
}
