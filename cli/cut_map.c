/* Where a token of a normalized chunk stands in the input, for both of
 * zhseg cut's writers: the line cursor (the input line of each token), and
 * the general lookups for a token the writers' short ways do not take. */
#include "cli/cut_private.h"

static gsize next_lf_from(const NormChunk *chunk, gsize from)
{
  const char *p = from < chunk->raw_len ? memchr(chunk->raw + from, '\n', chunk->raw_len - from) : NULL;
  return p != NULL ? (gsize)(p - chunk->raw) : chunk->raw_len;
}

/* token_line outside the current line. Forward in UTF-8 input, the line
 * feeds passed are counted (one memchr a line); else the line is looked up
 * in the map (a 0x0A byte is a line feed in every supported encoding but
 * UTF-16, where a stray one only costs this lookup). Returns the moved
 * cursor (by value: the caller's copy stays its own, in registers). */
G_GNUC_NO_INLINE LineCursor line_cursor_move(LineCursor lc, gsize start, gsize ra)
{
  const NormChunk *chunk = lc.chunk;
  gsize next_lf = lc.lo + lc.span;
  if (chunk->lf_bytes && lc.lo != G_MAXSIZE && ra > next_lf && ra <= chunk->raw_len) {
    while (next_lf < ra) {
      lc.line++;
      lc.lo = next_lf + 1;
      next_lf = next_lf_from(chunk, lc.lo);
    }
  } else if (ra <= chunk->raw_len) {
    zhseg_normalized_orig_line_col(chunk->res, start, &lc.line, NULL);
    lc.lo = ra;
    next_lf = next_lf_from(chunk, ra);
  } else {
    /* Not in the chunk's input (no known case): looked up every time. */
    zhseg_normalized_orig_line_col(chunk->res, start, &lc.line, NULL);
    lc.lo = G_MAXSIZE;
    next_lf = G_MAXSIZE;
  }
  lc.span = next_lf - lc.lo;
  return lc;
}

/* Writes one token of a normalized chunk: `text` is what to print, the
 * offsets and line are the input file's. */
static void emit_mapped(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len,
                        guint64 start, guint64 end, guint64 cstart, guint64 cend, guint64 line)
{
  if (ctx->format == FORMAT_TEXT) {
    emit_text(ctx, t, text, len, line);
    return;
  }
  if (t->type == ZHSEG_TOKEN_SPACE && !ctx->keep_space)
    return;
  emit_record(ctx, t, text, len, start, end, cstart, cend, line);
}

/* A token outside copied text: found by the general lookups (in the slow
 * segment the cursor stands in, when it is inside one), printed as it stands
 * in the input (decoded from it when its bytes differ). */
void cut_norm_token(CutContext *ctx, const NormChunk *chunk, const NzMapCursor *cur, LineCursor *lc, guint *ip)
{
  guint i = *ip, n = ctx->tokens->len;
  ZhsegToken t = g_array_index(ctx->tokens, ZhsegToken, i);
  /* A boundary inside the expansion of one input character (℃ -> °C)
   * belongs to no token: such neighbours are one token. */
  while (i + 1 < n && !nz_map_cursor_is_boundary(cur, t.end)) {
    i++;
    t.end = g_array_index(ctx->tokens, ZhsegToken, i).end;
  }
  *ip = i;
  /* Text output prints no character offsets: not computing them saves a
   * count per token. */
  guint64 a, b, ca = 0, cb = 0;
  gboolean chars = ctx->format != FORMAT_TEXT;
  nz_map_cursor_span(cur, t.start, t.end, &a, &b, chars ? &ca : NULL, chars ? &cb : NULL);
  guint64 line = token_line(lc, t.start, (gsize)(a - chunk->byte_base));
  const char *norm_text = chunk->text + t.start;
  gsize norm_len = t.end - t.start;
  gsize ra = (gsize)(a - chunk->byte_base), rb = (gsize)(b - chunk->byte_base);
  /* U+FFFD standing for bytes the normalizer could not decode. */
  if (norm_len == 3 && memcmp(norm_text, "\xEF\xBF\xBD", 3) == 0) {
    if (rb > chunk->raw_len || rb - ra != 3 || memcmp(chunk->raw + ra, norm_text, 3) != 0)
      t.type = ZHSEG_TOKEN_INVALID;
  }
  /* As it stands in the input: the input's bytes when they are the same
   * UTF-8 (no copy), else decoded from the input. */
  if (ctx->print_normalized ||
      (rb <= chunk->raw_len && rb - ra == norm_len && memcmp(chunk->raw + ra, norm_text, norm_len) == 0)) {
    emit_mapped(ctx, &t, norm_text, norm_len, a, b, ca, cb, line);
  } else {
    /* (Into the scratch buffer: zhseg_normalized_original_text would
     * allocate a string per token, twice what decoding it costs.) */
    g_string_truncate(ctx->scratch, 0);
    nz_map_append_original(chunk->res, t.start, t.end, ctx->scratch);
    emit_mapped(ctx, &t, ctx->scratch->str, ctx->scratch->len, a, b, ca, cb, line);
  }
}
