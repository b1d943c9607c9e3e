/* What the files of `zhseg cut` share: the command's state, the output
 * buffer's helpers, the line cursor, and each file's entry points.
 *   cmd_cut.c    options, and the loop over files and chunks
 *   cut_text.c   the text writer
 *   cut_rows.c   the tsv and jsonl row writer
 *   cut_map.c    where a token of a normalized chunk stands in the input:
 *                the line cursor and the general lookups both writers use
 *   cut_output.c the output buffer: growing it, text made valid and escaped
 * Private to these files. */
#ifndef ZHSEG_CLI_CUT_PRIVATE_H
#define ZHSEG_CLI_CUT_PRIVATE_H

#include "cli/cli.h"
#include "cli/input.h"
#include "cli/normstream.h"
#include "tokenizer/normalize_map.h"

#include <string.h>

typedef enum { FORMAT_TEXT, FORMAT_TSV, FORMAT_JSONL } Format;

typedef struct {
  ZhsegSegmenter *seg;
  Format format;
  const char *delimiter;
  gsize delimiter_len;
  char delimiter16[16]; /* a delimiter of up to 16 bytes, padded: copied 16 bytes at a time */
  gboolean keep_space;
  gboolean print_normalized; /* --normalized: print tokens as normalized */
  GArray *tokens;            /* the current chunk's */
  GString *out;              /* the current chunk's output */
  GString *scratch;          /* a token's text decoded from the input */
  /* tsv and jsonl rows (cut_rows.c: row_format_init) */
  guint8 byte_needs_care[256]; /* escaped by the format, or not valid in UTF-8 text (NUL) */
  /* Names by type and tag id, padded to 8 bytes (copied 8 at a time). */
  char types[256][8], tags8[256][8];
  const char *tags[256];
  guint8 type_lens[256], tag_lens[256];
  gsize tag_len_max;
  GString *row_tail; /* the end of each row of the current file */
  struct RowOut *rows; /* the row output, between chunks */
  /* Per file. */
  const char *file;
  gsize line;            /* current line, 1-based (raw: of the token; text output: of the output) */
  gboolean line_has_token;
} CutContext;

/* ------------------------------------------------ the output buffer */

/* g_string_append_len without a library call when the buffer has room:
 * output is written a token at a time, so this is on the hot path. */
static inline void put(GString *s, const char *p, gsize n)
{
  if (G_LIKELY(s->len + n < s->allocated_len)) {
    memcpy(s->str + s->len, p, n);
    s->len += n;
    s->str[s->len] = '\0';
  } else {
    g_string_append_len(s, p, (gssize)n);
  }
}

/* Does byte c need escaping in the format? */
static inline gboolean needs_escape(unsigned char c, Format format)
{
  if (format == FORMAT_JSONL)
    return c == '"' || c == '\\' || c < 0x20;
  if (format == FORMAT_TSV)
    return c == '\t' || c == '\n' || c == '\r' || c == '\\';
  return FALSE;
}

void cut_append_text(GString *out, const char *text, gsize len, Format format);
char *cut_out_grow(GString *out, char *d, gsize n);

static inline gsize count_newlines(const char *s, gsize len)
{
  gsize n = 0;
  for (const char *p = s; (p = memchr(p, '\n', len - (gsize)(p - s))) != NULL; p++)
    n++;
  return n;
}

/* ------------------------------------------------ the line cursor */

/* The input line of each token of a chunk. Tokens come in order (precise
 * mode) or close to it: the line stays the same while the token's input
 * offset stays between the last line feed passed and the next one. */
typedef struct {
  const NormChunk *chunk;
  guint64 line; /* the line of raw offsets [lo, lo + span] */
  gsize lo, span;
} LineCursor;

static inline LineCursor line_cursor_init(const NormChunk *chunk)
{
  /* Knows no line yet: every offset is outside. */
  return (LineCursor){chunk, 1, G_MAXSIZE, 0};
}

LineCursor line_cursor_move(LineCursor lc, gsize start, gsize ra);

/* The line of the token at normalized offset `start`, raw offset ra. */
static inline guint64 token_line(LineCursor *lc, gsize start, gsize ra)
{
  if (G_UNLIKELY(ra - lc->lo > lc->span))
    *lc = line_cursor_move(*lc, start, ra);
  return lc->line;
}

void cut_norm_token(CutContext *ctx, const NormChunk *chunk, const NzMapCursor *cur, LineCursor *lc, guint *ip);

/* ------------------------------------------------ the writers
 * A chunk's tokens are in ctx->tokens; its output goes to ctx->out. */

void text_raw_chunk(CutContext *ctx, const InputChunk *chunk);
void text_norm_chunk(CutContext *ctx, const NormChunk *chunk);
void emit_text(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 line);

void row_format_init(CutContext *ctx, ZhsegDict *dict);
void row_format_set_file(CutContext *ctx);
void row_format_clear(CutContext *ctx);
void rows_raw_chunk(CutContext *ctx, const InputChunk *chunk);
void rows_norm_chunk(CutContext *ctx, const NormChunk *chunk);
void emit_record(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 start, guint64 end,
                 guint64 cstart, guint64 cend, guint64 line);

#endif
