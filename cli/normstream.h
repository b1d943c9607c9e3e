/* The normalizer in the commands: its options (shared by normalize, cut and
 * analyze, so they spell them alike) and a reader that streams a file
 * through it in bounded memory, in chunks cut where normalizing chunk by
 * chunk gives the same result as the whole file. */
#ifndef ZHSEG_CLI_NORMSTREAM_H
#define ZHSEG_CLI_NORMSTREAM_H

#include "cli/cli.h"

typedef struct {
  char *encoding;
  char *t2s;  /* off|on|auto */
  char *join; /* auto|always|never */
  gboolean strict, no_nfkc, no_fold, no_dedup;
} CliNormOptions;

/* Adds --encoding --strict --t2s --join-lines --no-nfkc --no-fold-punct
 * --no-dedup to `context` as the group "normalize" (shown by --help-normalize
 * unless `main_group`, then among the command's own options). */
void cli_norm_add_options(GOptionContext *context, CliNormOptions *opts, gboolean main_group);
/* A normalizer set up from the options; NULL with ZHSEG_ERROR_INVALID on a
 * bad value. */
ZhsegNormalizer *cli_norm_new(const CliNormOptions *opts, GError **error);
void cli_norm_options_clear(CliNormOptions *opts);

typedef struct NormReader NormReader;

typedef struct {
  ZhsegNormalized *res; /* the chunk's result: owned by the reader until the next call */
  const char *text;     /* its normalized text */
  gsize len;
  guint64 byte_base;    /* file offset of the chunk's first input byte */
  const char *raw;      /* the chunk's input bytes, valid until the next call */
  gsize raw_len;
  gboolean lf_bytes;    /* UTF-8: the input's line feeds are its 0x0A bytes (no
                         * 0x0A byte is part of another character, even a bad one) */
} NormChunk;

/* `path` "-" is stdin. The normalizer's stream is restarted for the file.
 * With `read_ahead`, a thread reads and normalizes ahead of the caller (two
 * chunks at most), for a caller with work of its own on each chunk: until
 * norm_reader_free() the normalizer is that thread's, so the caller must
 * not use it, only the chunks' results. */
NormReader *norm_reader_open(ZhsegNormalizer *norm, const char *path, gboolean read_ahead, GError **error);
/* FALSE at the end of the input or on error (then *error is set, naming the
 * file; for undecodable bytes in strict mode, with their byte offset). */
gboolean norm_reader_next(NormReader *reader, NormChunk *chunk, GError **error);
void norm_reader_free(NormReader *reader);

#endif
