# tiesvm - build, test and install.  See README.md.
#   make                  libtiesvm.a and the tiesvm binary
#   make check            build and run every test
#   make check-asan       the tests under AddressSanitizer + UBSan
#   make check-valgrind   the end-to-end tests under valgrind (no leaks, no errors)
#   make check-big-input  a 1 GB file without a blank line, in bounded memory
#   make check-parallel   GNU parallel --pipe gives the records of a single run
#   make deps             install the Debian packages needed (as root)
#   make model            rebuild models/default from training/corpus
#   make lofo             leave-one-file-out validation of the corpus
#   make bench            the speed and memory benchmark (bench/run.sh)
#   make fuzz             libFuzzer harnesses, FUZZ_SECONDS each (clang)
#   make lint             cppcheck
#   make check-browser    the review page in headless Chromium (Node, playwright-core)
#   make install PREFIX=/usr/local   /   make uninstall   /   make check-install

CC       ?= cc
PREFIX   ?= /usr/local
DATADIR  ?= $(PREFIX)/share/tiesvm
BUILD    ?= build
PKGS      = libpcre2-8 jansson

CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -Iinclude -Ipipeline -Itraining -I/usr/include/libsvm \
            -DTIESVM_DATADIR='"$(DATADIR)"' -D_POSIX_C_SOURCE=200809L
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(shell pkg-config --cflags $(PKGS)) -pthread
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lsvm -lm -pthread
TEST_LIBS = $(shell pkg-config --libs cmocka)

LIB_SRC = $(wildcard pipeline/*.c) $(wildcard training/*.c)
CLI_SRC = $(wildcard pipeline/cli/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HEADERS = $(wildcard include/*.h pipeline/*.h training/*.h pipeline/cli/*.h)

.PHONY: lofo all check check-install check-parallel check-big-input check-asan check-valgrind check-browser deps model corpus-check bench fuzz lint clean install uninstall

all: libtiesvm.a tiesvm

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

# The review page (HTML, CSS and JavaScript in one file) is compiled into the
# binary as a C array by a small generator, so no xxd is needed.
$(BUILD)/scripts/text2c: scripts/text2c.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -o $@ $<

$(BUILD)/gen/review_page.h: pipeline/cli/review_page.html $(BUILD)/scripts/text2c
	@mkdir -p $(dir $@)
	$(BUILD)/scripts/text2c REVIEW_PAGE $< > $@.tmp && mv $@.tmp $@

$(BUILD)/pipeline/cli/cmd_review.o: $(BUILD)/gen/review_page.h
$(BUILD)/pipeline/cli/cmd_review.o: CPPFLAGS += -I$(BUILD)/gen

libtiesvm.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

tiesvm: $(CLI_OBJ) libtiesvm.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) libtiesvm.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h libtiesvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< libtiesvm.a $(LDLIBS) $(TEST_LIBS)

# The fuzz-input replay test also needs the fuzz targets.
$(BUILD)/tests/test_fuzz_inputs: tests/test_fuzz_inputs.c tests/fuzz/targets.c tests/fuzz/targets.h tests/testutil.h libtiesvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/targets.c libtiesvm.a $(LDLIBS) $(TEST_LIBS)

# The schema test also needs the small JSON Schema validator.
$(BUILD)/tests/test_schema: tests/test_schema.c tests/schema_check.c tests/schema_check.h tests/testutil.h libtiesvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/schema_check.c libtiesvm.a $(LDLIBS) $(TEST_LIBS)

# libFuzzer harnesses (clang), one per target in tests/fuzz/targets.h.
# make fuzz runs each for FUZZ_SECONDS over its seed corpus; a crash leaves
# its input in build-fuzz/ (add it to tests/fuzz/regressions/TARGET/).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = text jsonl dataset svm_model
FUZZ_FLAGS = -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined -Wall -Wextra
build-fuzz/fuzz_%: tests/fuzz/fuzz_main.c tests/fuzz/targets.c $(LIB_SRC) $(HEADERS)
	@mkdir -p build-fuzz
	clang $(CPPFLAGS) -DFUZZ_TARGET=fuzz_$* $(FUZZ_FLAGS) $(shell pkg-config --cflags $(PKGS)) \
	  -o $@ $< tests/fuzz/targets.c $(LIB_SRC) $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus-$$t; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  if ! build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 \
	      -artifact_prefix=build-fuzz/crash-$$t- -print_final_stats=1 \
	      build-fuzz/corpus-$$t tests/fuzz/corpus/$$t > build-fuzz/fuzz-$$t.log 2>&1; then \
	    tail -40 build-fuzz/fuzz-$$t.log; echo "fuzz_$$t: crash, input in build-fuzz/"; exit 1; \
	  fi; \
	  grep -E "^(Done|stat::number_of_executed_units)" build-fuzz/fuzz-$$t.log; \
	done; echo "fuzz: no crashes"

# Every test binary runs from the repository root (they use ./tiesvm and
# tests/fixtures); the run stops at the first failing binary.
check: all $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; TIESVM=./tiesvm $$t; done; \
	echo "all test binaries passed"

check-big-input: all
	sh tests/big_input.sh

# GNU parallel --pipe over 10,000 articles gives the records of one run.
check-parallel: all
	sh tests/parallel_test.sh

# The review page in a real browser: Debian's chromium driven by
# playwright-core (tests/browser/package.json, installed on first use).
check-browser: all
	@test -d tests/browser/node_modules || npm ci --prefix tests/browser --no-audit --no-fund
	node tests/browser/review.test.mjs

check-asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	        LDFLAGS="-fsanitize=address,undefined" clean-objects
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	        LDFLAGS="-fsanitize=address,undefined" check
	$(MAKE) clean-objects

check-valgrind: all $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== valgrind $$t"; \
	  TIESVM="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect ./tiesvm" \
	  TV_TEST_STRIDE=8 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $$t; done; \
	echo "valgrind: no errors, no leaks"

.PHONY: clean-objects
clean-objects:
	rm -rf $(BUILD) libtiesvm.a tiesvm

deps:
	sh scripts/install-deps

# The benchmark (see bench/run.sh); needs GNU time and, for the comparison,
# Debian's fasttext.
$(BUILD)/bench/abtest: bench/abtest.c libtiesvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< libtiesvm.a $(LDLIBS)

$(BUILD)/bench/ceiling: bench/ceiling.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $<

bench: all $(BUILD)/bench/abtest $(BUILD)/bench/ceiling
	bash bench/run.sh

# The default model: every corpus file, fixed seed, C chosen by 5-fold CV.
# Texts the corpus must not copy from (checked when present): the seed
# articles and the development set that sit beside the repository.
REFERENCE_TEXTS ?= ../shared/seeds ../shared/eval/seed-gold.jsonl
corpus-check:
	python3 training/corpus_check.py $(foreach r,$(wildcard $(REFERENCE_TEXTS)),--against $(r)) training/corpus

# Leave-one-file-out validation: how the model does on unseen writers.
lofo: tiesvm
	bash training/lofo.sh

model: tiesvm
	./tiesvm train --data training/corpus --out models/default --seed 1 --group-folds

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -Iinclude -Ipipeline -Itraining -Itests pipeline training pipeline/cli tests bench

clean:
	rm -rf build build-asan build-fuzz libtiesvm.a tiesvm

# The binary, library, header, pkg-config file, man page, actor and cue
# tables and the default model (found by the binary through DATADIR, or
# PREFIX/share/tiesvm beside PREFIX/bin when the tree is moved).
VERSION = $(shell sed -n 's/^\#define TIESVM_VERSION "\(.*\)"/\1/p' include/tiesvm.h)
MANDIR ?= $(PREFIX)/share/man
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	           $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(MANDIR)/man1 \
	           $(DESTDIR)$(DATADIR)/models/default
	install -m 755 tiesvm $(DESTDIR)$(PREFIX)/bin/tiesvm
	install -m 644 libtiesvm.a $(DESTDIR)$(PREFIX)/lib/libtiesvm.a
	install -m 644 include/tiesvm.h $(DESTDIR)$(PREFIX)/include/tiesvm.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' scripts/tiesvm.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tiesvm.pc
	install -m 644 docs/tiesvm.1 $(DESTDIR)$(MANDIR)/man1/tiesvm.1
	install -m 644 models/actors.tsv models/cues.tsv $(DESTDIR)$(DATADIR)/models/
	install -m 644 models/default/* $(DESTDIR)$(DATADIR)/models/default/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tiesvm $(DESTDIR)$(PREFIX)/lib/libtiesvm.a \
	      $(DESTDIR)$(PREFIX)/include/tiesvm.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/tiesvm.pc \
	      $(DESTDIR)$(MANDIR)/man1/tiesvm.1
	rm -rf $(DESTDIR)$(DATADIR)

# make install into a scratch prefix, then use what was installed: the
# binary with its model, the library through pkg-config, the man page.
check-install: all
	sh tests/install_test.sh
