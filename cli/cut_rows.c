/* zhseg cut's tsv and jsonl writer: one row per token, with its input
 * offsets, line, type and tag. A row is written straight into the output
 * buffer, with room made once for all of it: the token's text (escaped when
 * it must be), five numbers, the type, the tag and the file (escaped once
 * per file). */
#include "cli/cut_private.h"

/* The longest number a row holds, and the bytes of a row besides its text,
 * its tag and its file. */
#define ROW_NUMBER_MAX 20
#define ROW_FIXED_MAX (5 * ROW_NUMBER_MAX + 128)

/* "00" to "99": digits two at a time. */
static const char decimal_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                    "8081828384858687888990919293949596979899";

/* The decimal digits of v at d, at most ROW_NUMBER_MAX of them; returns
 * their count. A hot path (five numbers a row, where printf cost several
 * times the rest of the row): written from the last digit, two at a time,
 * into a buffer whose end is fixed, then copied at once. */
static inline guint put_decimal(char *d, guint64 v)
{
  char buf[2 * ROW_NUMBER_MAX];
  char *end = buf + ROW_NUMBER_MAX, *q = end;
  while (v >= 100) {
    guint r = (guint)(v % 100);
    v /= 100;
    q -= 2;
    memcpy(q, decimal_pairs + 2 * r, 2);
  }
  if (v >= 10) {
    q -= 2;
    memcpy(q, decimal_pairs + 2 * v, 2);
  } else {
    *--q = (char)('0' + v);
  }
  memcpy(d, q, ROW_NUMBER_MAX); /* (the digits and what follows them in buf) */
  return (guint)(end - q);
}

/* The last number written of a kind, with its digits: a token's start is
 * mostly the end of the one before, its line that one's line. */
typedef struct {
  guint64 v;
  guint n;
  char digits[ROW_NUMBER_MAX];
} DecimalCache;

static inline char *put_decimal_cached(char *d, DecimalCache *c, guint64 v)
{
  if (v != c->v) {
    c->v = v;
    c->n = put_decimal(c->digits, v);
  }
  memcpy(d, c->digits, ROW_NUMBER_MAX);
  return d + c->n;
}

/* put_decimal_cached for a number a little above the cached one (a
 * token's end, after its start): mostly only the last two digits change,
 * and they are the sum of theirs and the difference. */
static inline char *put_decimal_after(char *d, DecimalCache *c, guint64 v)
{
  if (v > c->v && v - c->v < 100 && c->n >= 2) {
    char *last2 = c->digits + c->n - 2;
    guint x = (guint)(last2[0] - '0') * 10 + (guint)(last2[1] - '0') + (guint)(v - c->v);
    if (x < 100) {
      memcpy(last2, decimal_pairs + 2 * x, 2);
      c->v = v;
      memcpy(d, c->digits, ROW_NUMBER_MAX);
      return d + c->n;
    }
  }
  return put_decimal_cached(d, c, v);
}

/* The row output being written: a pointer into the output's room. */
typedef struct RowOut {
  GString *out;
  char *d;     /* where the next byte goes */
  char *limit; /* the end of the room (one byte short, for the NUL) */
  DecimalCache bytes, chars, lines;
} RowOut;

static inline void row_out_begin(RowOut *w, GString *out)
{
  w->out = out;
  w->d = out->str + out->len;
  w->limit = out->str + out->allocated_len - 1;
}

static inline void row_out_end(const RowOut *w)
{
  w->out->len = (gsize)(w->d - w->out->str);
  *w->d = '\0';
}

/* Sets what the rows of the format need that does not change per token. */
void row_format_init(CutContext *ctx, ZhsegDict *dict)
{
  /* NUL: GLib's validator calls it invalid, so it becomes U+FFFD. */
  for (guint c = 0; c < 256; c++)
    ctx->byte_needs_care[c] = c == 0 || needs_escape((unsigned char)c, ctx->format);
  for (guint type = 0; type < G_N_ELEMENTS(ctx->types); type++) {
    const char *name = zhseg_token_type_name((ZhsegTokenType)type);
    ctx->type_lens[type] = (guint8)MIN(strlen(name), 8);
    memcpy(ctx->types[type], name, ctx->type_lens[type]);
  }
  ctx->tag_len_max = 0;
  for (guint tag = 0; tag < G_N_ELEMENTS(ctx->tags); tag++) {
    ctx->tags[tag] = zhseg_dict_tag_name(dict, tag);
    ctx->tag_lens[tag] = (guint8)MIN(strlen(ctx->tags[tag]), 255);
    memcpy(ctx->tags8[tag], ctx->tags[tag], MIN(ctx->tag_lens[tag], 8));
    ctx->tag_len_max = MAX(ctx->tag_len_max, strlen(ctx->tags[tag]));
  }
  ctx->row_tail = g_string_new(NULL);
  ctx->rows = g_new0(RowOut, 1);
  /* Caches that hold 0: right for any number asked. */
  DecimalCache zero = {0, 1, "0"};
  ctx->rows->bytes = ctx->rows->chars = ctx->rows->lines = zero;
}

/* The end of every row of the current file: its name, escaped once. */
void row_format_set_file(CutContext *ctx)
{
  GString *tail = ctx->row_tail;
  g_string_truncate(tail, 0);
  g_string_append(tail, ctx->format == FORMAT_TSV ? "\t" : "\",\"file\":\"");
  cut_append_text(tail, ctx->file, strlen(ctx->file), ctx->format);
  g_string_append(tail, ctx->format == FORMAT_TSV ? "\n" : "\"}\n");
  /* Readable in 16-byte steps. */
  gsize len = tail->len;
  g_string_set_size(tail, len + 16);
  tail->len = len;
}
void row_format_clear(CutContext *ctx)
{
  if (ctx->row_tail != NULL)
    g_string_free(ctx->row_tail, TRUE);
  g_free(ctx->rows);
}

/* Room for n more bytes at w->d. */
static inline void row_room(RowOut *w, gsize n)
{
  if (G_UNLIKELY((gsize)(w->limit - w->d) < n)) {
    w->d = cut_out_grow(w->out, w->d, n);
    w->limit = w->out->str + w->out->allocated_len - 1;
  }
}

#define PUT_LITERAL(d, lit) ((d) = (char *)memcpy((d), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)

/* Writes token text [p, p + n) at d, escaped for the format. `valid`: the
 * text is known to be UTF-8 (but for NUL bytes). Most tokens need nothing:
 * one scan proves it, then one copy; the others take cut_append_text's way.
 * Room for 6 * n bytes is made; `readable`: how many bytes from p may be
 * read. */
static inline char *row_text(RowOut *w, const CutContext *ctx, const char *p, gsize n, gboolean valid,
                             gsize readable)
{
  guint care = 0;
  for (gsize k = 0; k < n; k++)
    care |= ctx->byte_needs_care[(guchar)p[k]];
  if (G_LIKELY(valid && !care)) {
    /* Most tokens are a few characters: a fixed 16-byte copy when 16
     * bytes can be read (the room holds them) instead of a memcpy call. */
    if (n <= 16 && readable >= 16)
      memcpy(w->d, p, 16);
    else
      memcpy(w->d, p, n);
    return w->d + n;
  }
  row_out_end(w);
  cut_append_text(w->out, p, n, ctx->format);
  /* (No reallocation: the room was made.) */
  return w->out->str + w->out->len;
}

/* The type's name: 8 bytes copied (the room was made). */
static inline char *put_type(char *d, const CutContext *ctx, guint8 type)
{
  memcpy(d, ctx->types[type], 8);
  return d + ctx->type_lens[type];
}

static inline char *put_tag(char *d, const CutContext *ctx, guint16 tag)
{
  if (G_UNLIKELY(tag >= G_N_ELEMENTS(ctx->tags)))
    return d; /* no name */
  gsize n = ctx->tag_lens[tag];
  if (G_LIKELY(n <= 8))
    memcpy(d, ctx->tags8[tag], 8);
  else
    memcpy(d, ctx->tags[tag], n);
  return d + n;
}

/* The start of a TSV row or JSON line, up to its text (escaped for the
 * format). The caller made room for the row (row_room_for). */
static inline void row_put_text(RowOut *w, const CutContext *ctx, const char *text, gsize len, gboolean valid,
                                gsize readable)
{
  if (ctx->format == FORMAT_JSONL)
    PUT_LITERAL(w->d, "{\"text\":\"");
  w->d = row_text(w, ctx, text, len, valid, readable);
}

/* The rest of the row: the token's offsets, line, type and tag, and the
 * file. */
static G_ALWAYS_INLINE inline void row_put_fields(RowOut *w, const CutContext *ctx, const ZhsegToken *t, guint64 start,
                                                   guint64 end, guint64 cstart, guint64 cend, guint64 line)
{
  char *d = w->d;
  if (ctx->format == FORMAT_TSV) {
    *d++ = '\t';
    d = put_decimal_cached(d, &w->bytes, start);
    *d++ = '\t';
    d = put_decimal_after(d, &w->bytes, end);
    *d++ = '\t';
    d = put_decimal_cached(d, &w->chars, cstart);
    *d++ = '\t';
    d = put_decimal_after(d, &w->chars, cend);
    *d++ = '\t';
    d = put_decimal_cached(d, &w->lines, line);
    *d++ = '\t';
    d = put_type(d, ctx, t->type);
    *d++ = '\t';
  } else {
    PUT_LITERAL(d, "\",\"start\":");
    d = put_decimal_cached(d, &w->bytes, start);
    PUT_LITERAL(d, ",\"end\":");
    d = put_decimal_after(d, &w->bytes, end);
    PUT_LITERAL(d, ",\"cstart\":");
    d = put_decimal_cached(d, &w->chars, cstart);
    PUT_LITERAL(d, ",\"cend\":");
    d = put_decimal_after(d, &w->chars, cend);
    PUT_LITERAL(d, ",\"line\":");
    d = put_decimal_cached(d, &w->lines, line);
    PUT_LITERAL(d, ",\"type\":\"");
    d = put_type(d, ctx, t->type);
    PUT_LITERAL(d, "\",\"tag\":\"");
  }
  d = put_tag(d, ctx, t->tag);
  /* The file's tail, 16 bytes at a time (its buffer has the room). */
  const char *tail = ctx->row_tail->str;
  gsize tail_len = ctx->row_tail->len;
  for (gsize k = 0; k < tail_len; k += 16)
    memcpy(d + k, tail + k, 16);
  w->d = d + tail_len;
}

/* Room for a row whose text is n bytes. */
static inline void row_room_for(RowOut *w, const CutContext *ctx, gsize n)
{
  row_room(w, 6 * n + ROW_FIXED_MAX + ctx->tag_len_max + ctx->row_tail->len + 16);
}

/* Writes one TSV row or JSON line: the token's text and its input offsets. */
void emit_record(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 start, guint64 end,
                 guint64 cstart, guint64 cend, guint64 line)
{
  RowOut *w = ctx->rows;
  row_out_begin(w, ctx->out);
  row_room_for(w, ctx, len);
  /* Normalized text is UTF-8; so is every token of the segmenter but those
   * of type invalid: it makes each byte it cannot decode one of those. */
  row_put_text(w, ctx, text, len, t->type != ZHSEG_TOKEN_INVALID, len);
  row_put_fields(w, ctx, t, start, end, cstart, cend, line);
  row_out_end(w);
}


/* Rows of a chunk of --raw input: the tokens' offsets are the input's. */
void rows_raw_chunk(CutContext *ctx, const InputChunk *chunk)
{
  for (guint i = 0; i < ctx->tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(ctx->tokens, ZhsegToken, i);
    const char *text = chunk->text + t->start;
    gsize len = t->end - t->start;
    gsize newlines = t->type == ZHSEG_TOKEN_SPACE ? count_newlines(text, len) : 0;
    if (t->type != ZHSEG_TOKEN_SPACE || ctx->keep_space)
      emit_record(ctx, t, text, len, chunk->byte_base + t->start, chunk->byte_base + t->end,
                  chunk->char_base + t->cstart, chunk->char_base + t->cend, ctx->line);
    ctx->line += newlines;
  }
}

/* A token of the slow segment (or slow result) the cursor stands in, that
 * ends on a token boundary there: its offsets found in the segment's own
 * map (what cut_norm_token finds, with no lookup in the whole result).
 * Returns FALSE, writing nothing, for a token the general lookups take. */
static G_ALWAYS_INLINE inline gboolean row_slow_token(RowOut *w, LineCursor *lc, CutContext *ctx,
                                                      const NormChunk *chunk, const NzMapCursor *cur,
                                                      const ZhsegToken *t)
{
  const ZhsegNormalized *sub = cur->sub;
  gsize s = t->start - cur->lo, e = t->end - cur->lo;
  if (!nz_slow_is_boundary(sub, e))
    return FALSE; /* inside one input character's expansion */
  if (t->type == ZHSEG_TOKEN_SPACE && !ctx->keep_space)
    return TRUE;
  guint32 oc, oce;
  nz_slow_orig_range(sub, s, e, &oc, &oce);
  guint64 a = nz_slow_orig_offset(sub, oc), b = nz_slow_orig_offset(sub, oce);
  gsize ra = (gsize)(a - chunk->byte_base), rb = (gsize)(b - chunk->byte_base);
  guint64 line = token_line(lc, t->start, ra);
  const char *norm = chunk->text + t->start;
  gsize len = t->end - t->start;
  ZhsegToken tt = *t;
  const char *text = norm;
  if (!(rb <= chunk->raw_len && rb - ra == len && memcmp(chunk->raw + ra, norm, len) == 0)) {
    /* U+FFFD standing for bytes the normalizer could not decode. */
    if (len == 3 && memcmp(norm, "\xEF\xBF\xBD", 3) == 0)
      tt.type = ZHSEG_TOKEN_INVALID;
    if (!ctx->print_normalized) {
      /* As it stands in the input: decoded from it. */
      g_string_truncate(ctx->scratch, 0);
      nz_map_append_original(sub, s, e, ctx->scratch);
      text = ctx->scratch->str;
      len = ctx->scratch->len;
    }
  }
  row_room_for(w, ctx, len);
  row_put_text(w, ctx, text, len, TRUE, len);
  row_put_fields(w, ctx, &tt, a, b, nz_slow_orig_char(sub, oc), nz_slow_orig_char(sub, oce), line);
  return TRUE;
}

/* TSV or JSONL output of a normalized chunk. A token inside copied text
 * (most) is written in place with its offsets found by a subtraction (its
 * character count is the segmenter's); the others take the general
 * lookups. */
void rows_norm_chunk(CutContext *ctx, const NormChunk *chunk)
{
  const ZhsegNormalized *res = chunk->res;
  NzMapCursor cur;
  nz_map_cursor_init(&cur, res);
  LineCursor lc = line_cursor_init(chunk);
  /* Copied text is the input's bytes at the same place when the result's
   * base is the chunk's (always, in the reader): then a token inside it is
   * printed as it is and is no undecodable byte, with nothing to compare. */
  gboolean same_base = res->base == chunk->byte_base;
  const ZhsegToken *tokens = (const ZhsegToken *)ctx->tokens->data;
  /* A copy of the row output in locals, that stores through w.d cannot
   * alias. */
  RowOut w = *ctx->rows;
  row_out_begin(&w, ctx->out);
  for (guint i = 0; i < ctx->tokens->len; i++) {
    const ZhsegToken *t = &tokens[i];
    guint64 a, b;
    if (G_LIKELY(same_base && nz_map_cursor_copied(&cur, t->start, t->end, &a, &b))) {
      if (t->type == ZHSEG_TOKEN_SPACE && !ctx->keep_space)
        continue;
      guint64 line = token_line(&lc, t->start, (gsize)(a - chunk->byte_base));
      guint64 ca = nz_map_cursor_char(&cur, t->start);
      gsize len = t->end - t->start;
      row_room_for(&w, ctx, len);
      row_put_text(&w, ctx, chunk->text + t->start, len, TRUE, chunk->len + 1 - t->start);
      /* Copied text is the input's: its characters are the segmenter's. */
      guint64 cb = ca + (t->cend - t->cstart);
      nz_map_cursor_note_char(&cur, t->end, cb);
      row_put_fields(&w, ctx, t, a, b, ca, cb, line);
    } else if (cur.sub != NULL && t->start >= cur.lo && t->start < t->end && t->end <= cur.hi &&
               row_slow_token(&w, &lc, ctx, chunk, &cur, t)) {
      continue;
    } else {
      row_out_end(&w);
      *ctx->rows = w;
      cut_norm_token(ctx, chunk, &cur, &lc, &i);
      w = *ctx->rows;
      row_out_begin(&w, ctx->out);
    }
  }
  row_out_end(&w);
  *ctx->rows = w;
}
