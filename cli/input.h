/* Reading inputs in bounded memory: files, folders and stdin, delivered as
 * chunks of whole lines (or safe pieces of very long lines). */
#ifndef ZHSEG_CLI_INPUT_H
#define ZHSEG_CLI_INPUT_H

#include "cli/cli.h"

typedef struct InputReader InputReader;

typedef struct {
  const char *text; /* the chunk's bytes, owned by the reader until the next call */
  gsize len;
  gsize byte_base;  /* offset of text[0] in the file */
  gsize char_base;  /* characters before text[0] (a bad UTF-8 sequence counts one) */
} InputChunk;

/* Chunks hold at most this many bytes unless a single character is longer.
 * As with the normalizer's chunks (cli/normstream.c), 256 KiB keeps a
 * chunk's tokens from pushing the trie out of the cache: `zhseg cut --raw`
 * ran 1.085x as fast as with 1 MiB. */
#define INPUT_CHUNK_BYTES (256u << 10)

/* `path` "-" is stdin. */
InputReader *input_reader_open(const char *path, GError **error);
/* FALSE at the end of input or on error (then *error is set). */
gboolean input_reader_next(InputReader *reader, InputChunk *chunk, GError **error);
void input_reader_free(InputReader *reader);

/* Expands command-line inputs: none means "-"; a folder means its *.txt files,
 * recursively, in name order. Fails on a missing path. */
gboolean cli_expand_inputs(char **args, int n, GPtrArray **files, GError **error);

/* precise|search|full; prints an error and returns FALSE otherwise. */
gboolean cli_parse_mode(const char *name, ZhsegMode *mode);

/* A progress line on stderr, only when stderr is a terminal and the run has
 * taken more than a second. */
typedef struct {
  const char *what;
  gboolean tty;
  gint64 start, last;
  guint64 bytes;
  gboolean shown;
} CliProgress;
void cli_progress_init(CliProgress *p, const char *what);
void cli_progress_update(CliProgress *p, gsize bytes);
void cli_progress_done(CliProgress *p);

#endif
