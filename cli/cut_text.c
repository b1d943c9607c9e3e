/* zhseg cut's text writer: the tokens of each input line on one output
 * line, separated by the delimiter. */
#include "cli/cut_private.h"

/* ------------------------------------------------ through the context */

/* Text output of a chunk of --raw input: its line feeds end output lines. */
void text_raw_chunk(CutContext *ctx, const InputChunk *chunk)
{
  GString *out = ctx->out;
  for (guint i = 0; i < ctx->tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(ctx->tokens, ZhsegToken, i);
    const char *text = chunk->text + t->start;
    gsize len = t->end - t->start;
    gsize newlines = t->type == ZHSEG_TOKEN_SPACE ? count_newlines(text, len) : 0;
    if (t->type == ZHSEG_TOKEN_SPACE) {
      for (gsize k = 0; k < newlines; k++)
        g_string_append_c(out, '\n');
      if (newlines > 0)
        ctx->line_has_token = FALSE;
    } else {
      if (ctx->line_has_token)
        put(out, ctx->delimiter, ctx->delimiter_len);
      /* Words, Latin words and numbers are valid UTF-8 without NUL as the
       * segmenter made them, copied as they are; the other tokens may hold
       * bad bytes or a NUL, which the output replaces. */
      if (t->type == ZHSEG_TOKEN_WORD || t->type == ZHSEG_TOKEN_LATIN || t->type == ZHSEG_TOKEN_NUMBER)
        put(out, text, len);
      else
        cut_append_text(out, text, len, FORMAT_TEXT);
      ctx->line_has_token = TRUE;
    }
    ctx->line += newlines;
  }
}

/* Text output of one token of a normalized chunk that the general lookups
 * (cut_map.c) found on input line `line`. */
void emit_text(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 line)
{
  GString *out = ctx->out;
  if (t->type == ZHSEG_TOKEN_SPACE)
    return;
  /* One output line per input line: a token is printed on the line where
   * it starts in the input, even when the normalizer joined lines. */
  for (; ctx->line < line; ctx->line++) {
    g_string_append_c(out, '\n');
    ctx->line_has_token = FALSE;
  }
  if (ctx->line_has_token)
    put(out, ctx->delimiter, ctx->delimiter_len);
  put(out, text, len); /* normalized or decoded text: valid UTF-8 */
  ctx->line_has_token = TRUE;
}

/* ------------------------------------------------ a normalized chunk
 * Text output is what zhseg cut is mostly run for: per token, the loop
 * below costs about a short copy and a delimiter. Tokens come in order
 * (precise mode) or close to it, and mostly inside copied text. */

/* The text output being written, held in locals of the chunk loop rather
 * than in the context (whose fields a store through a char pointer could
 * alias, so the compiler would load them again after every byte written). */
typedef struct {
  GString *out;
  char *d;     /* where the next byte goes */
  char *limit; /* the end of the room (one byte short, for the NUL) */
  guint64 line;
  gboolean has_token;
  const char *delimiter;
  gsize delimiter_len;
} TextOut;

static inline TextOut text_out_begin(const CutContext *ctx)
{
  GString *out = ctx->out;
  return (TextOut){out, out->str + out->len, out->str + out->allocated_len - 1, ctx->line, ctx->line_has_token,
                   ctx->delimiter, ctx->delimiter_len};
}

static inline void text_out_end(const TextOut *w, CutContext *ctx)
{
  w->out->len = (gsize)(w->d - w->out->str);
  *w->d = '\0';
  ctx->line = w->line;
  ctx->line_has_token = w->has_token;
}

/* Room for n more bytes at w->d. */
static inline void text_room(TextOut *w, gsize n)
{
  if (G_UNLIKELY((gsize)(w->limit - w->d) < n)) {
    w->d = cut_out_grow(w->out, w->d, n);
    w->limit = w->out->str + w->out->allocated_len - 1;
  }
}

/* Ends the output lines before input line `line`, and writes the delimiter
 * unless the token is the first of its line: a token is printed on the line
 * where it starts in the input, even when the normalizer joined lines. */
static inline void text_begin_token(TextOut *w, guint64 line, gsize n)
{
  if (G_UNLIKELY(w->line < line)) {
    gsize k = (gsize)(line - w->line);
    text_room(w, k);
    /* Mostly one line feed: a store, not a memset call. */
    if (k == 1)
      *w->d = '\n';
    else
      memset(w->d, '\n', k);
    w->d += k;
    w->line = line;
    w->has_token = FALSE;
  }
  text_room(w, n + w->delimiter_len);
  if (w->has_token) {
    if (w->delimiter_len == 1) {
      *w->d++ = w->delimiter[0];
    } else {
      memcpy(w->d, w->delimiter, w->delimiter_len);
      w->d += w->delimiter_len;
    }
  }
  w->has_token = TRUE;
}

/* Prints the n bytes at p, a token on input line `line`. Bytes up to
 * readable_end may be read: most tokens are a few characters, so a fixed
 * 16-byte copy (one load and one store) replaces a memcpy call. */
static inline void text_put(TextOut *w, guint64 line, const char *p, gsize n, const char *readable_end)
{
  text_begin_token(w, line, n + 16);
  if (G_LIKELY(n <= 16 && (gsize)(readable_end - p) >= 16))
    memcpy(w->d, p, 16);
  else
    memcpy(w->d, p, n);
  w->d += n;
}

/* Prints normalized [start, end) of the slow result `r` as it stands in
 * the input (decoded from the input). TextOut goes by value to the
 * functions that are not inlined, so that the caller's stays in registers. */
static G_GNUC_NO_INLINE TextOut text_put_original(TextOut w, guint64 line, const ZhsegNormalized *r, gsize start,
                                                  gsize end)
{
  text_begin_token(&w, line, 0);
  w.out->len = (gsize)(w.d - w.out->str);
  nz_map_append_original(r, start, end, w.out);
  w.d = w.out->str + w.out->len;
  w.limit = w.out->str + w.out->allocated_len - 1;
  return w;
}

/* The tokens the chunk loop prints with no lookup: those with start >= lo
 * and end <= stop. They are inside copied text (their bytes are the
 * input's), on the output line being written, which has a token already,
 * and 16 bytes can be read from their start. */
typedef struct {
  gsize lo, stop;
} FastRange;

static const FastRange no_fast_range = {G_MAXSIZE, 0};

/* The fast range after printing a token of text [lo, hi) whose byte x is
 * byte x + delta of the chunk's input: its bytes on the input line of that
 * token (whose offsets the line cursor holds). */
static inline FastRange fast_range(const TextOut *w, const LineCursor *lc, gsize lo, gsize hi, gsize delta,
                                   const NormChunk *chunk)
{
  if (w->delimiter_len > 16 || lc->lo == G_MAXSIZE || chunk->len + 1 < 16)
    return no_fast_range;
  gsize next_lf = lc->lo + lc->span; /* raw_len when there is none */
  FastRange r;
  r.lo = lc->lo > lo + delta ? lc->lo - delta : lo;
  /* A token that ends at the line feed starts before it. */
  r.stop = MIN(hi, next_lf - delta);
  r.stop = MIN(r.stop, chunk->len + 1 - 16);
  return r;
}

/* The input line feed the line cursor stands before, as an offset of the
 * text where byte x is byte x + delta of the input. */
static inline gsize line_end_in_text(const LineCursor *lc, gsize delta)
{
  return lc->lo + lc->span - delta;
}

/* The end of the text [start, end) that is the same as the input's bytes
 * from byte start + delta on: end, or the start of the first character
 * that differs. */
static gsize verbatim_end(const NormChunk *chunk, gsize start, gsize end, gsize delta)
{
  gsize ra = start + delta, len = end > start ? end - start : 0;
  if (ra > chunk->raw_len || len > chunk->raw_len - ra)
    return start;
  const char *norm = chunk->text + start, *raw = chunk->raw + ra;
  if (memcmp(norm, raw, len) == 0)
    return start + len;
  gsize x = 0;
  while (norm[x] == raw[x])
    x++;
  while (x > 0 && ((guchar)norm[x] & 0xC0) == 0x80)
    x--;
  return start + x;
}

/* memcmp(a, b, n) == 0, for the few bytes of a token without a call:
 * two loads of each that overlap when n is not their size. */
static inline gboolean same_bytes(const char *a, const char *b, gsize n)
{
  if (n >= 8 && n <= 16) {
    guint64 a0, a1, b0, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    memcpy(&a1, a + n - 8, 8);
    memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4 && n < 8) {
    guint32 a0, a1, b0, b1;
    memcpy(&a0, a, 4);
    memcpy(&b0, b, 4);
    memcpy(&a1, a + n - 4, 4);
    memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n > 0 && n < 4)
    return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
  return memcmp(a, b, n) == 0;
}

/* A token of the slow segment (or slow result) the cursor stands in. When
 * it ends on a token boundary, prints it (as normalized if that is how it
 * stands in the input, else decoded from the input, both found in the
 * segment's own map) and returns TRUE; else FALSE, for the general
 * lookups. */
static G_ALWAYS_INLINE inline gboolean text_slow_token(TextOut *w, LineCursor *lc, FastRange *fr,
                                                       const CutContext *ctx, const NormChunk *chunk,
                                                       const NzMapCursor *cur, const ZhsegToken *t)
{
  const ZhsegNormalized *sub = cur->sub;
  gsize s = t->start - cur->lo, e = t->end - cur->lo;
  if (!nz_slow_is_boundary(sub, e))
    return FALSE; /* inside one input character's expansion */
  if (t->type == ZHSEG_TOKEN_SPACE)
    return TRUE; /* prints nothing */
  guint32 oc, oce;
  nz_slow_orig_range(sub, s, e, &oc, &oce);
  gsize ra = (gsize)(nz_slow_orig_offset(sub, oc) - chunk->byte_base);
  gsize rb = (gsize)(nz_slow_orig_offset(sub, oce) - chunk->byte_base);
  guint64 line = token_line(lc, t->start, ra);
  const char *norm = chunk->text + t->start;
  gsize len = t->end - t->start;
  if (rb <= chunk->raw_len && rb - ra == len && same_bytes(chunk->raw + ra, norm, len)) {
    text_put(w, line, norm, len, chunk->text + chunk->len + 1);
    /* Text that stands as in the input often goes on: the verbatim run
     * from this token on, on its line, is a fast range too. */
    gsize delta = ra - t->start;
    gsize end = cur->lo + nz_slow_verbatim_end(sub, s, line_end_in_text(lc, delta) - cur->lo);
    *fr = fast_range(w, lc, t->start, verbatim_end(chunk, t->start, end, delta), delta, chunk);
  } else if (ctx->print_normalized) {
    text_put(w, line, norm, len, chunk->text + chunk->len + 1);
  } else {
    *w = text_put_original(*w, line, sub, s, e);
  }
  return TRUE;
}

/* The general lookups for token i of text output (across segments, or
 * inside one character's replacement), written through the context.
 * Returns the index of the last token it printed. */
static G_GNUC_NO_INLINE guint text_general_token(CutContext *ctx, const NormChunk *chunk, const NzMapCursor *cur,
                                                 LineCursor *lc, guint i)
{
  cut_norm_token(ctx, chunk, cur, lc, &i);
  return i;
}

/* Text output of token i, outside the fast range: moves the cursor to its
 * segment. A token that ends on a token boundary inside it takes a short
 * way; the others the general lookups. Sets the fast range anew and returns
 * the index of the last token it printed. */
static G_ALWAYS_INLINE inline guint text_norm_token(TextOut *w, LineCursor *lc, FastRange *fr, CutContext *ctx,
                                    const NormChunk *chunk, NzMapCursor *cur, guint i)
{
  const ZhsegToken *t = &g_array_index(ctx->tokens, ZhsegToken, i);
  *fr = no_fast_range;
  if (t->start < cur->lo || t->start >= cur->hi)
    nz_map_cursor_seek(cur, t->start);
  gboolean inside = t->start >= cur->lo && t->start < t->end && t->end <= cur->hi;
  if (inside && cur->copied) {
    /* (Tokens are whole characters: end is a boundary.) */
    if (t->type == ZHSEG_TOKEN_SPACE)
      return i; /* prints nothing */
    gsize ra = (gsize)(cur->o0 + (t->start - cur->lo) - chunk->byte_base);
    text_put(w, token_line(lc, t->start, ra), chunk->text + t->start, t->end - t->start,
             chunk->text + chunk->len + 1);
    *fr = fast_range(w, lc, cur->lo, cur->hi, ra - t->start, chunk);
    return i;
  }
  if (inside && cur->sub != NULL && text_slow_token(w, lc, fr, ctx, chunk, cur, t))
    return i;
  if (inside && t->end == cur->hi && t->type == ZHSEG_TOKEN_SPACE)
    return i; /* a replacement's white space: prints nothing */
  /* Through the context and a copy of the line cursor: w and lc stay
   * the caller's own. */
  text_out_end(w, ctx);
  LineCursor moved = *lc;
  i = text_general_token(ctx, chunk, cur, &moved, i);
  *lc = moved;
  *w = text_out_begin(ctx);
  return i;
}

/* Prints tokens i, i + 1, ... while they are in the fast range, their
 * text at most 16 bytes and room is left: each costs a 16-byte copy of the
 * delimiter and one of the token (the delimiter buffer and the text hold 16
 * readable bytes, the room is checked). Returns the index of the first
 * token it did not print. A function of its own, on plain locals, so that
 * the compiler keeps them in registers: the delimiter and each token's
 * start are copied to locals, which the stores through d cannot change
 * (else they would be loaded again for every token). */
static G_GNUC_NO_INLINE guint text_fast_run(const ZhsegToken *tokens, guint i, guint n, FastRange fr,
                                            const char *text, const char *delimiter16, gsize delimiter_len,
                                            char **dp, const char *limit)
{
  char *d = *dp;
  char delimiter[16];
  memcpy(delimiter, delimiter16, 16);
  const ZhsegToken *t = &tokens[i];
  /* Room for this many tokens. */
  const ZhsegToken *last = t + MIN((gsize)(n - i), (gsize)(limit - d) / 32);
  for (; t < last; t++) {
    gsize start = t->start, len = t->end - start;
    if (!(start >= fr.lo && t->end <= fr.stop && len <= 16))
      break;
    /* (Tokens are whole characters: end is a boundary too.) */
    if (t->type != ZHSEG_TOKEN_SPACE) {
      memcpy(d, delimiter, 16);
      d += delimiter_len;
      memcpy(d, text + start, 16);
      d += len;
    }
  }
  *dp = d;
  return (guint)(t - tokens);
}

/* Text output of a normalized chunk. A token in the fast range (copied
 * text, the current line) costs a delimiter and a copy; the others, about
 * one or two a line in clean text, find their place in the map. */
void text_norm_chunk(CutContext *ctx, const NormChunk *chunk)
{
  NzMapCursor cur;
  nz_map_cursor_init(&cur, chunk->res);
  LineCursor lc = line_cursor_init(chunk);
  TextOut w = text_out_begin(ctx);
  FastRange fr = no_fast_range;
  const ZhsegToken *tokens = (const ZhsegToken *)ctx->tokens->data;
  guint n = ctx->tokens->len;
  const char *text = chunk->text;
  for (guint i = 0; i < n; i++) {
    const ZhsegToken *t = &tokens[i];
    if (t->start >= fr.lo && t->end <= fr.stop) {
      i = text_fast_run(tokens, i, n, fr, text, ctx->delimiter16, w.delimiter_len, &w.d, w.limit);
      if (i >= n)
        break;
      t = &tokens[i];
    }
    /* Still in the slow segment of the token before. */
    fr = no_fast_range;
    if (cur.sub != NULL && t->start >= cur.lo && t->end <= cur.hi && t->start < t->end &&
        text_slow_token(&w, &lc, &fr, ctx, chunk, &cur, t))
      continue;
    i = text_norm_token(&w, &lc, &fr, ctx, chunk, &cur, i);
  }
  text_out_end(&w, ctx);
}
