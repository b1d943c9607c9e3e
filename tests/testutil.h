/* Shared helpers for the test programs. */
#ifndef ZHSEG_TESTUTIL_H
#define ZHSEG_TESTUTIL_H

#include "include/zhseg.h"

/* The default dictionary, opened once per test program (never freed). */
ZhsegDict *test_default_dict(void);

/* Path under the source tree / shared data; g_free the result. */
char *test_source_path(const char *relative);
/* The contents of a file of the source tree (g_free); fails the test if
 * it cannot be read. */
char *test_read_source(const char *relative, gsize *len);
/* `len` bytes of UTF-8 converted to `encoding` with ICU (g_free;
 * unencodable characters become the encoding's substitute). */
char *test_encode(const char *utf8, gsize len, const char *encoding, gsize *out_len);
/* Returns NULL (and the caller should g_test_skip) when ../shared/eval is absent. */
char *test_shared_path(const char *relative);

/* Segments `text` and returns the tokens joined by " | " (whitespace tokens
 * dropped), for readable assertions. g_free the result. */
char *test_cut_joined(ZhsegSegmenter *seg, const char *text);

/* Splits text at '\n' (g_strsplit is quadratic under AddressSanitizer's
 * strstr interceptor, which measures the rest of the text at every call). */
char **test_split_lines(const char *text);

/* Runs the zhseg program with `args` (NULL-terminated, without argv[0]),
 * feeding `stdin_text` (may be NULL). Returns the exit status and stores
 * stdout/stderr (g_free) where not NULL. */
int test_run_cli(const char *const *args, const char *stdin_text, char **out, char **err);

/* Writes `contents` (len bytes, -1: up to its NUL) to a new temporary file
 * named after `name_template` (g_file_open_tmp's XXXXXX form) and returns
 * its path (g_free; the caller removes the file). */
char *test_write_temp(const char *name_template, const char *contents, gssize len);

/* Compiles `lexicon_text` (zhseg_dict_compile's lexicon format, no HMM)
 * into a temporary image and opens it; both files are removed once the
 * image is mapped. zhseg_dict_unref the result. */
ZhsegDict *test_compile_dict(const char *lexicon_text);

/* Undoes zhseg cut's TSV escaping (\t \n \r \\) of one field: appended to
 * `o`, or returned (g_free). */
void test_tsv_unescape_into(GString *o, const char *field);
char *test_tsv_unescape(const char *field);

#endif
