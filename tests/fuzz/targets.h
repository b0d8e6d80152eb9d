/*
 * targets.h - the code paths the fuzzers drive, shared by the libFuzzer
 * harness (fuzz_main.c, built once per target) and by the regression test that replays every saved
 * input under make check (tests/test_fuzz_inputs.c).  Each function takes
 * arbitrary bytes and aborts if an invariant breaks.
 */
#ifndef TV_FUZZ_TARGETS_H
#define TV_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Loads the default model once (from models/default, or $TIESVM_MODEL). */
int fuzz_setup(void);
/* Segments the bytes as an article, classifies every paragraph and formats
 * its record; every record must be valid JSON and spans must be ordered. */
void fuzz_text(const uint8_t *data, size_t len);
/* Reads the bytes as a JSONL input file of classify. */
void fuzz_jsonl(const uint8_t *data, size_t len);
/* Reads the bytes as a training-data file. */
void fuzz_dataset(const uint8_t *data, size_t len);
/* Checks the bytes as a libsvm model file; what passes must load in libsvm. */
void fuzz_svm_model(const uint8_t *data, size_t len);

#endif
