/* zhseg cut: segment files, folders or stdin, streaming in bounded memory. */
#include "cli/cli.h"
#include "cli/input.h"
#include "cli/normstream.h"
#include "tokenizer/normalize_map.h"

#include <string.h>
#include <unistd.h>

typedef enum { FORMAT_TEXT, FORMAT_TSV, FORMAT_JSONL } Format;

typedef struct {
  ZhsegSegmenter *seg;
  Format format;
  const char *delimiter;
  gsize delimiter_len;
  char delimiter16[16]; /* a delimiter of up to 16 bytes, padded: copied 16 bytes at a time */
  gboolean keep_space;
  gboolean print_normalized; /* --normalized: print tokens as normalized */
  GArray *tokens;
  GString *out;
  /* tsv and jsonl rows (row_format_init) */
  guint8 byte_class[256];
  /* Names by type and tag id, padded to 8 bytes (copied 8 at a time). */
  char types[256][8], tags8[256][8];
  const char *tags[256];
  guint8 type_lens[256], tag_lens[256];
  gsize tag_len_max;
  GString *row_tail; /* the end of each row of the current file */
  struct RowOut *rows; /* the row output, between chunks */
  GString *scratch;    /* a token's text decoded from the input */
  /* Per file. */
  const char *file;
  gsize line;            /* current line, 1-based (raw: of the token; text output: of the output) */
  gboolean line_has_token;
} CutContext;

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

/* Appends `text` with invalid UTF-8 replaced by U+FFFD, escaped for the
 * format; runs that need nothing are copied whole. */
static void append_text(GString *out, const char *text, gsize len, Format format)
{
  /* Only raw-mode invalid tokens hold bad UTF-8: the caller knows. */
  if (format == FORMAT_TEXT && g_utf8_validate_len(text, len, NULL)) {
    put(out, text, len);
    return;
  }
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *valid_end;
    g_utf8_validate_len(p, (gsize)(end - p), &valid_end);
    const char *run = p;
    for (const char *q = p; q < valid_end; q++) {
      unsigned char c = (unsigned char)*q;
      if (G_LIKELY(!needs_escape(c, format)))
        continue;
      put(out, run, (gsize)(q - run));
      run = q + 1;
      if (format == FORMAT_JSONL) {
        if (c == '"' || c == '\\') {
          g_string_append_c(out, '\\');
          g_string_append_c(out, (char)c);
        } else {
          g_string_append_printf(out, c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : "\\u%04x", c);
        }
      } else {
        g_string_append(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\\\");
      }
    }
    put(out, run, (gsize)(valid_end - run));
    if (valid_end < end) {
      /* One U+FFFD per bad sequence: its lead byte and continuation bytes. */
      g_string_append(out, "\xEF\xBF\xBD");
      valid_end++;
      while (valid_end < end && ((unsigned char)*valid_end & 0xC0) == 0x80)
        valid_end++;
    }
    p = valid_end;
  }
}

/* ------------------------------------------------ tsv and jsonl rows
 * A row is written straight into the output buffer, with room made once
 * for all of it: the token's text (escaped when it must be), five numbers,
 * the type, the tag and the file (escaped once per file). */

/* Classes of a byte in token text (CutContext.byte_class). */
enum {
  BYTE_STARTS_CHAR = 1, /* not a UTF-8 continuation byte: counts a character */
  BYTE_NEEDS_CARE = 2,  /* escaped by the format, or not valid in UTF-8 text (NUL) */
};

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
static void row_format_init(CutContext *ctx, ZhsegDict *dict)
{
  for (guint c = 0; c < 256; c++) {
    guint8 k = (c & 0xC0) != 0x80 ? BYTE_STARTS_CHAR : 0;
    /* NUL: GLib's validator calls it invalid, so it becomes U+FFFD. */
    if (c == 0 || needs_escape((unsigned char)c, ctx->format))
      k |= BYTE_NEEDS_CARE;
    ctx->byte_class[c] = k;
  }
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
  ctx->scratch = g_string_new(NULL);
  /* Caches that hold 0: right for any number asked. */
  DecimalCache zero = {0, 1, "0"};
  ctx->rows->bytes = ctx->rows->chars = ctx->rows->lines = zero;
}

/* The end of every row of the current file: its name, escaped once. */
static void row_format_set_file(CutContext *ctx)
{
  GString *tail = ctx->row_tail;
  g_string_truncate(tail, 0);
  g_string_append(tail, ctx->format == FORMAT_TSV ? "\t" : "\",\"file\":\"");
  append_text(tail, ctx->file, strlen(ctx->file), ctx->format);
  g_string_append(tail, ctx->format == FORMAT_TSV ? "\n" : "\"}\n");
  /* Readable in 16-byte steps. */
  gsize len = tail->len;
  g_string_set_size(tail, len + 16);
  tail->len = len;
}

/* Makes room for n more bytes after d, the end of what is written in out
 * (rows and text alike keep that end in a local); returns the new end. */
static G_GNUC_NO_INLINE char *out_grow(GString *out, char *d, gsize n)
{
  gsize len = (gsize)(d - out->str);
  g_string_set_size(out, len + n);
  out->len = len;
  return out->str + len;
}

/* Room for n more bytes at w->d. */
static inline void row_room(RowOut *w, gsize n)
{
  if (G_UNLIKELY((gsize)(w->limit - w->d) < n)) {
    w->d = out_grow(w->out, w->d, n);
    w->limit = w->out->str + w->out->allocated_len - 1;
  }
}

#define PUT_LITERAL(d, lit) ((d) = (char *)memcpy((d), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)

/* Writes token text [p, p + n) at d, escaped for the format, and counts
 * its characters into *chars. `valid`: the text is known to be UTF-8 (but
 * for NUL bytes). Most tokens need nothing: one scan proves it, then one
 * copy; the others take append_text's way. Room for 6 * n bytes is made;
 * `readable`: how many bytes from p may be read. */
static inline char *row_text(RowOut *w, const CutContext *ctx, const char *p, gsize n, gboolean valid,
                             gsize readable, gsize *chars)
{
  guint care = 0;
  gsize count = 0;
  for (gsize k = 0; k < n; k++) {
    guint c = ctx->byte_class[(guchar)p[k]];
    count += c & BYTE_STARTS_CHAR;
    care |= c;
  }
  *chars = count;
  if (G_LIKELY(valid && !(care & BYTE_NEEDS_CARE))) {
    /* Most tokens are a few characters: a fixed 16-byte copy when 16
     * bytes can be read (the room holds them) instead of a memcpy call. */
    if (n <= 16 && readable >= 16)
      memcpy(w->d, p, 16);
    else
      memcpy(w->d, p, n);
    return w->d + n;
  }
  row_out_end(w);
  append_text(w->out, p, n, ctx->format);
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
 * format). The caller made room for the row (row_room_for). Returns the
 * number of characters of the text. */
static inline gsize row_put_text(RowOut *w, const CutContext *ctx, const char *text, gsize len, gboolean valid,
                                 gsize readable)
{
  gsize chars;
  if (ctx->format == FORMAT_JSONL)
    PUT_LITERAL(w->d, "{\"text\":\"");
  w->d = row_text(w, ctx, text, len, valid, readable, &chars);
  return chars;
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
static void emit_record(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 start,
                        guint64 end, guint64 cstart, guint64 cend, guint64 line)
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

static gsize count_newlines(const char *s, gsize len)
{
  gsize n = 0;
  for (const char *p = s; (p = memchr(p, '\n', len - (gsize)(p - s))) != NULL; p++)
    n++;
  return n;
}

/* Segments one chunk (whole lines of the input, or a safe piece of a very
 * long line) and formats its tokens into ctx->out. */
static void cut_chunk(CutContext *ctx, const InputChunk *chunk)
{
  g_array_set_size(ctx->tokens, 0);
  zhseg_segmenter_cut(ctx->seg, chunk->text, chunk->len, ctx->tokens);
  GString *out = ctx->out;
  for (guint i = 0; i < ctx->tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(ctx->tokens, ZhsegToken, i);
    const char *text = chunk->text + t->start;
    gsize len = t->end - t->start;
    gsize newlines = t->type == ZHSEG_TOKEN_SPACE ? count_newlines(text, len) : 0;
    if (ctx->format == FORMAT_TEXT) {
      if (t->type == ZHSEG_TOKEN_SPACE) {
        for (gsize k = 0; k < newlines; k++)
          g_string_append_c(out, '\n');
        if (newlines > 0)
          ctx->line_has_token = FALSE;
      } else {
        if (ctx->line_has_token)
          put(out, ctx->delimiter, ctx->delimiter_len);
        append_text(out, text, len, FORMAT_TEXT);
        ctx->line_has_token = TRUE;
      }
    } else if (t->type != ZHSEG_TOKEN_SPACE || ctx->keep_space) {
      emit_record(ctx, t, text, len, chunk->byte_base + t->start, chunk->byte_base + t->end,
                  chunk->char_base + t->cstart, chunk->char_base + t->cend, ctx->line);
    }
    ctx->line += newlines;
  }
}

/* Text output of one token of a normalized chunk, on input line `line`:
 * inline, since it is what most tokens cost besides segmenting. */
static inline void emit_text(CutContext *ctx, const ZhsegToken *t, const char *text, gsize len, guint64 line)
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
static G_GNUC_NO_INLINE LineCursor line_cursor_move(LineCursor lc, gsize start, gsize ra)
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

/* The line of the token at normalized offset `start`, raw offset ra. */
static inline guint64 token_line(LineCursor *lc, gsize start, gsize ra)
{
  if (G_UNLIKELY(ra - lc->lo > lc->span))
    *lc = line_cursor_move(*lc, start, ra);
  return lc->line;
}

/* A token outside copied text: found by the general lookups (in the slow
 * segment the cursor stands in, when it is inside one), printed as it stands
 * in the input (decoded from it when its bytes differ). */
static void cut_norm_token(CutContext *ctx, const NormChunk *chunk, const NzMapCursor *cur,
                           LineCursor *lc, guint *ip)
{
  const ZhsegNormalized *res = chunk->res;
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
    gsize olen;
    char *orig = zhseg_normalized_original_text(res, t.start, t.end, &olen);
    emit_mapped(ctx, &t, orig, olen, a, b, ca, cb, line);
    g_free(orig);
  }
}

/* ------------------------------------------------ text output of a chunk
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
    w->d = out_grow(w->out, w->d, n);
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

static void cut_norm_token(CutContext *ctx, const NormChunk *chunk, const NzMapCursor *cur,
                           LineCursor *lc, guint *ip);

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
 * the compiler keeps them in registers. */
static G_GNUC_NO_INLINE guint text_fast_run(const ZhsegToken *tokens, guint i, guint n, FastRange fr,
                                            const char *text, const char *delimiter16, gsize delimiter_len,
                                            char **dp, const char *limit)
{
  char *d = *dp;
  /* Room for this many tokens. */
  guint last = i + (guint)MIN((gsize)(n - i), (gsize)(limit - d) / 32);
  for (; i < last; i++) {
    const ZhsegToken *t = &tokens[i];
    gsize len = t->end - t->start;
    if (!(t->start >= fr.lo && t->end <= fr.stop && len <= 16))
      break;
    /* (Tokens are whole characters: end is a boundary too.) */
    if (t->type != ZHSEG_TOKEN_SPACE) {
      memcpy(d, delimiter16, 16);
      d += delimiter_len;
      memcpy(d, text + t->start, 16);
      d += len;
    }
  }
  *dp = d;
  return i;
}

/* Text output of a normalized chunk. A token in the fast range (copied
 * text, the current line) costs a delimiter and a copy; the others, about
 * one or two a line in clean text, find their place in the map. */
static G_GNUC_NO_INLINE void text_norm_chunk(CutContext *ctx, const NormChunk *chunk)
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
 * (most) is written in place with its offsets found by a subtraction and
 * its characters counted as its text is scanned; the others take the
 * general lookups. */
static G_GNUC_NO_INLINE void rows_norm_chunk(CutContext *ctx, const NormChunk *chunk)
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
      guint64 cb = ca + row_put_text(&w, ctx, chunk->text + t->start, len, TRUE, chunk->len + 1 - t->start);
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

/* Segments the normalized text of a chunk and reports every token at the
 * bytes of the input it came from, printed as it stands in the input (less
 * joined line breaks), or as normalized with --normalized. */
static void cut_norm_chunk(CutContext *ctx, const NormChunk *chunk)
{
  g_array_set_size(ctx->tokens, 0);
  zhseg_segmenter_cut(ctx->seg, chunk->text, chunk->len, ctx->tokens);
  if (ctx->format == FORMAT_TEXT) {
    text_norm_chunk(ctx, chunk);
    return;
  }
  rows_norm_chunk(ctx, chunk);
}

static const char cut_description[] =
  "Segments UTF-8 text into words. With no FILE, or FILE '-', reads stdin; a\n"
  "folder means every *.txt file under it, in name order.\n\n"
  "Modes:\n"
  "  precise  the most probable segmentation (default)\n"
  "  search   precise tokens plus the 2- and 3-character dictionary words inside\n"
  "           longer ones (for search indexes)\n"
  "  full     every dictionary word found, overlapping\n\n"
  "Output formats:\n"
  "  text   one output line per input line, tokens separated by --delimiter;\n"
  "         white space is dropped\n"
  "  tsv    a header line, then one token per line with the columns\n"
  "           text start end cstart cend line type tag file\n"
  "         start/end: half-open byte offsets into the input file as given;\n"
  "         cstart/cend: character offsets; line: 1-based line of the token's\n"
  "         start; type: word latin number punct space symbol invalid; tag: POS\n"
  "         tag from the dictionary (n, v, nr, eng, m, x ...); TAB, newline and\n"
  "         backslash in text are escaped as \\t \\n \\\\\n"
  "  jsonl  one JSON object per token with the same fields\n"
  "The input is normalized first (see 'zhseg normalize --help' and\n"
  "--help-normalize): any of UTF-8, UTF-16, GB18030/GBK or Big5, full-width\n"
  "letters and digits, hard-wrapped lines and doubled captions are handled, and\n"
  "every token still reports the bytes of the input it came from. Text output\n"
  "prints tokens as they stand in the input (--normalized: as normalized); a\n"
  "token across a joined line break is printed on the line where it starts.\n"
  "--raw segments the bytes as given (UTF-8), skipping the normalizer. Bytes\n"
  "that cannot be decoded become U+FFFD (type invalid; --strict: an error).\n\n"
  "User dictionaries (--user-dict FILE, repeatable) hold 'word [freq] [tag]'\n"
  "lines (TAB-separated if a word has spaces). A word without a frequency gets\n"
  "one high enough to beat its own split; see 'zhseg dict --help'.\n\n"
  "Examples:\n"
  "  echo '我们在社区开展志愿服务' | zhseg cut\n"
  "  zhseg cut --mode search --delimiter ' / ' article.txt\n"
  "  zhseg cut --format jsonl --user-dict terms.txt examples/bulletins/ > tokens.jsonl\n";

int cli_cmd_cut(int argc, char **argv)
{
  char *mode = NULL, *format = NULL, *delimiter = NULL, *dict_path = NULL;
  char **user = NULL;
  gboolean no_hmm = FALSE, keep_space = FALSE, raw = FALSE, normalized = FALSE;
  CliNormOptions nopts = {0};
  ZhsegNormalizer *norm = NULL;
  GOptionEntry entries[] = {
    {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "precise (default), search or full", "MODE"},
    {"no-hmm", 0, 0, G_OPTION_ARG_NONE, &no_hmm, "Do not recover unknown words with the HMM", NULL},
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "Dictionary image (default: $ZHSEG_DICT, then share/zhseg/zhseg.zdict)", "FILE"},
    {"user-dict", 'u', 0, G_OPTION_ARG_FILENAME_ARRAY, &user, "Add a user dictionary (repeatable)", "FILE"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "text (default), tsv or jsonl", "FORMAT"},
    {"delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter, "Token separator of the text format (default: one space)", "STRING"},
    {"keep-space", 0, 0, G_OPTION_ARG_NONE, &keep_space, "tsv/jsonl: also list white-space tokens", NULL},
    {"raw", 0, 0, G_OPTION_ARG_NONE, &raw, "Segment the bytes as given (UTF-8), without the normalizer", NULL},
    {"normalized", 0, 0, G_OPTION_ARG_NONE, &normalized, "Print tokens as normalized, not as they stand in the input", NULL},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("[FILE...] - segment Chinese text into words");
  g_option_context_add_main_entries(ctx, entries, NULL);
  cli_norm_add_options(ctx, &nopts, FALSE);
  g_option_context_set_description(ctx, cut_description);
  int status = 2;
  ZhsegDict *dict = NULL;
  CutContext cut = {0};
  if (!cli_parse(ctx, &argc, &argv))
    goto out;
  ZhsegMode m = ZHSEG_MODE_PRECISE;
  if (mode != NULL && !cli_parse_mode(mode, &m))
    goto out;
  cut.format = FORMAT_TEXT;
  if (format != NULL) {
    if (strcmp(format, "text") == 0) cut.format = FORMAT_TEXT;
    else if (strcmp(format, "tsv") == 0) cut.format = FORMAT_TSV;
    else if (strcmp(format, "jsonl") == 0) cut.format = FORMAT_JSONL;
    else {
      fprintf(stderr, "zhseg cut: unknown format '%s' (text, tsv or jsonl)\n", format);
      goto out;
    }
  }
  GError *error = NULL;
  if (!raw && (norm = cli_norm_new(&nopts, &error)) == NULL) {
    fprintf(stderr, "zhseg cut: %s\n", error->message);
    g_clear_error(&error);
    goto out;
  }
  dict = cli_open_dict(dict_path, user, &error);
  if (dict == NULL) {
    status = cli_fail(error);
    goto out;
  }
  cut.seg = zhseg_segmenter_new(dict, m, no_hmm ? ZHSEG_SEGMENTER_NO_HMM : 0);
  cut.delimiter = delimiter != NULL ? delimiter : " ";
  cut.delimiter_len = strlen(cut.delimiter);
  memcpy(cut.delimiter16, cut.delimiter, MIN(cut.delimiter_len, 16));
  cut.keep_space = keep_space;
  cut.print_normalized = normalized;
  cut.tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  cut.out = g_string_sized_new(1 << 20);
  if (cut.format != FORMAT_TEXT)
    row_format_init(&cut, dict);
  if (cut.format == FORMAT_TSV)
    fputs("text\tstart\tend\tcstart\tcend\tline\ttype\ttag\tfile\n", stdout);

  GPtrArray *files = NULL;
  if (!cli_expand_inputs(argv + 1, argc - 1, &files, &error)) {
    status = cli_fail(error);
    goto out;
  }
  status = 0;
  CliProgress progress;
  cli_progress_init(&progress, "cut");
  for (guint f = 0; f < files->len; f++) {
    const char *path = g_ptr_array_index(files, f);
    cut.file = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (cut.format != FORMAT_TEXT)
      row_format_set_file(&cut);
    cut.line = 1;
    cut.line_has_token = FALSE;
    if (norm != NULL) {
      NormReader *reader = norm_reader_open(norm, path, &error);
      guint64 last_line = 1;
      NormChunk chunk;
      while (reader != NULL && norm_reader_next(reader, &chunk, &error)) {
        cut_norm_chunk(&cut, &chunk);
        zhseg_normalized_orig_line_col(chunk.res, chunk.len, &last_line, NULL);
        fwrite(cut.out->str, 1, cut.out->len, stdout);
        g_string_truncate(cut.out, 0);
        cli_progress_update(&progress, chunk.raw_len);
      }
      /* As many output lines as the input has lines. */
      if (cut.format == FORMAT_TEXT)
        for (; cut.line < last_line; cut.line++) {
          fputc('\n', stdout);
          cut.line_has_token = FALSE;
        }
      norm_reader_free(reader);
    } else {
      InputReader *reader = input_reader_open(path, &error);
      InputChunk chunk;
      while (reader != NULL && input_reader_next(reader, &chunk, &error)) {
        cut_chunk(&cut, &chunk);
        fwrite(cut.out->str, 1, cut.out->len, stdout);
        g_string_truncate(cut.out, 0);
        cli_progress_update(&progress, chunk.len);
      }
      input_reader_free(reader);
    }
    if (error != NULL) {
      status = cli_fail(error);
      error = NULL;
    }
    /* A file whose last line lacks a newline still ends its output line. */
    if (cut.format == FORMAT_TEXT && cut.line_has_token)
      fputc('\n', stdout);
  }
  cli_progress_done(&progress);
  g_ptr_array_free(files, TRUE);
  if (fflush(stdout) != 0) {
    perror("zhseg cut: writing output");
    status = 1;
  }
out:
  if (cut.tokens != NULL)
    g_array_free(cut.tokens, TRUE);
  if (cut.out != NULL)
    g_string_free(cut.out, TRUE);
  if (cut.row_tail != NULL)
    g_string_free(cut.row_tail, TRUE);
  g_free(cut.rows);
  if (cut.scratch != NULL)
    g_string_free(cut.scratch, TRUE);
  zhseg_segmenter_free(cut.seg);
  zhseg_dict_unref(dict);
  zhseg_normalizer_free(norm);
  cli_norm_options_clear(&nopts);
  g_option_context_free(ctx);
  g_free(mode);
  g_free(format);
  g_free(delimiter);
  g_free(dict_path);
  g_strfreev(user);
  return status;
}
