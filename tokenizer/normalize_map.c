/* The offset map: from a normalized byte offset back to the input file.
 *
 * Two forms. The identity map (clean UTF-8 went through unchanged) stores
 * nothing per character: byte offsets are the same, and character offsets
 * are counted from a checkpoint every 4 KiB. The general map stores, per
 * normalized character, its byte offset and the range of original characters
 * it came from; original characters keep their byte offsets, so every
 * character of an expansion (℃ -> °C) maps to the span of the one original. */
#include "tokenizer/normalize_map.h"

#include <string.h>

ZhsegNormalized *nz_result_new(NzPool *pool, guint64 base, guint64 base_char)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status))
    return NULL;
  ZhsegNormalized *r = g_new0(ZhsegNormalized, 1);
  r->pool = nz_pool_ref(pool);
  r->base = base;
  r->base_char = base_char;
  r->nfkc = nfkc;
  return r;
}

/* Characters (UTF-8 lead bytes) in s[0..n), eight bytes at a time: a
 * continuation byte is 10xxxxxx. */
guint64 nz_count_chars(const guchar *s, gsize n)
{
  guint64 count = 0;
  gsize i = 0;
  for (; i + 8 <= n; i += 8) {
    guint64 x;
    memcpy(&x, s + i, 8);
    /* continuation bytes (10xxxxxx) as one bit each at bit 0 of their byte,
     * summed by a multiply (no popcount instruction is assumed) */
    guint64 cont = (x & ~(x << 1) & G_GUINT64_CONSTANT(0x8080808080808080)) >> 7;
    count += 8 - ((cont * G_GUINT64_CONSTANT(0x0101010101010101)) >> 56);
  }
  for (; i < n; i++)
    count += (s[i] & 0xC0) != 0x80;
  return count;
}

/* Continuation bytes (10xxxxxx) in the 64 bytes at s, eight at a time. */
static inline guint32 continuations64(const guchar *s)
{
  guint64 sum = 0;
  for (int i = 0; i < NZ_CKPT_BYTES; i += 8) {
    guint64 x;
    memcpy(&x, s + i, 8);
    sum += (x & ~(x << 1) & G_GUINT64_CONSTANT(0x8080808080808080)) >> 7;
  }
  /* eight byte-wide counts of at most 8 each: summed by a multiply */
  return (guint32)((sum * G_GUINT64_CONSTANT(0x0101010101010101)) >> 56);
}

/* ckpt[k]: the characters of text that start before byte k * NZ_CKPT_BYTES.
 * One pass over the text, whole blocks without a call each (it runs over
 * every chunk). */
static guint64 *checkpoints(NzPool *pool, const char *text, gsize len)
{
  G_STATIC_ASSERT(NZ_CKPT_BYTES == 64);
  gsize nck = len / NZ_CKPT_BYTES + 1;
  guint64 *ckpt = nz_pool_alloc(pool, nck * sizeof *ckpt);
  const guchar *s = (const guchar *)text;
  guint64 count = 0;
  gsize k = 0;
  for (; (k + 1) * NZ_CKPT_BYTES <= len; k++) {
    ckpt[k] = count;
    count += NZ_CKPT_BYTES - continuations64(s + k * NZ_CKPT_BYTES);
  }
  ckpt[k] = count; /* the last, partial block needs no count after it */
  return ckpt;
}

void nz_result_set_identity(ZhsegNormalized *r, const char *bytes, gsize len, guint64 n_chars)
{
  r->identity = TRUE;
  r->text = nz_pool_alloc(r->pool, len + 1);
  memcpy(r->text, bytes, len);
  r->text[len] = '\0';
  r->len = len;
  r->ckpt = checkpoints(r->pool, r->text, len);
  r->n_orig_chars = n_chars;
  r->stats.n_chars = n_chars;
}

/* ------------------------------------------------------------ pieces */

void nz_result_begin_pieces(ZhsegNormalized *r, gsize len_hint)
{
  r->segs = nz_pool_take_array(r->pool, NZ_ARRAY_SEGS, sizeof(NzSeg));
  r->subs = g_ptr_array_new_with_free_func((GDestroyNotify)zhseg_normalized_free);
  r->repl_orig = g_string_new(NULL);
  r->text = NULL;
  r->len = 0;
  /* The text is rarely longer than the input: one allocation, not a
   * series of reallocations. */
  r->text_cap = len_hint + 16;
  r->text = nz_pool_alloc(r->pool, r->text_cap);
}

static void append_text(ZhsegNormalized *r, const char *bytes, gsize len)
{
  if (r->len + len + 1 > r->text_cap) {
    r->text_cap = MAX(r->len + len + 1, 2 * r->text_cap);
    r->text = nz_pool_realloc(r->pool, r->text, r->text_cap);
  }
  memcpy(r->text + r->len, bytes, len);
  r->len += len;
}

static void add_seg(ZhsegNormalized *r, guint32 kind, guint32 ob, guint64 oc, guint32 aux)
{
  NzSeg seg = {(guint32)r->len, ob, oc, r->n_norm_chars, kind, aux};
  g_array_append_val(r->segs, seg);
}

void nz_result_add_copy_counted(ZhsegNormalized *r, const char *bytes, gsize len, guint32 ob, guint64 oc,
                                guint64 n_chars)
{
  if (len == 0)
    return;
  /* Copies that continue each other are one segment. */
  NzSeg *last = r->segs->len > 0 ? &g_array_index(r->segs, NzSeg, r->segs->len - 1) : NULL;
  if (last == NULL || last->kind != NZ_SEG_COPY || last->ob + (r->len - last->nb) != ob)
    add_seg(r, NZ_SEG_COPY, ob, oc, 0);
  append_text(r, bytes, len);
  r->n_norm_chars += n_chars;
}

void nz_result_add_copy(ZhsegNormalized *r, const char *bytes, gsize len, guint32 ob, guint64 oc)
{
  nz_result_add_copy_counted(r, bytes, len, ob, oc, nz_count_chars((const guchar *)bytes, len));
}

/* A segment whose text `norm` comes from all of `orig` (kept for the
 * line index). */
static void add_replaced(ZhsegNormalized *r, guint32 kind, const char *norm, gsize nlen, const char *orig,
                         gsize olen, guint32 ob, guint64 oc)
{
  add_seg(r, kind, ob, oc, (guint32)r->repl_orig->len);
  g_string_append_len(r->repl_orig, orig, (gssize)olen);
  append_text(r, norm, nlen);
  r->n_norm_chars += nz_count_chars((const guchar *)norm, nlen);
}

void nz_result_add_repl(ZhsegNormalized *r, const char *norm, gsize nlen, const char *orig, gsize olen,
                        guint32 ob, guint64 oc)
{
  add_replaced(r, NZ_SEG_REPL, norm, nlen, orig, olen, ob, oc);
}

void nz_result_add_join(ZhsegNormalized *r, const char *norm, gsize nlen, const char *orig, gsize olen,
                        guint32 ob, guint64 oc)
{
  add_replaced(r, NZ_SEG_JOIN, norm, nlen, orig, olen, ob, oc);
}

void nz_result_add_slow(ZhsegNormalized *r, ZhsegNormalized *sub, guint32 ob, guint64 oc)
{
  nz_result_index_lines(sub, 0, 0);
  if (sub->len > 0) {
    add_seg(r, NZ_SEG_SLOW, ob, oc, r->subs->len);
    append_text(r, sub->text, sub->len);
    r->n_norm_chars += sub->n;
  }
  /* A sub whose text is empty (all of it removed) still has its lines. */
  g_ptr_array_add(r->subs, sub);
}

void nz_result_end_pieces(ZhsegNormalized *r, guint32 chunk_len, guint64 n_orig_chars)
{
  append_text(r, "", 0);
  r->text[r->len] = '\0';
  NzSeg end = {(guint32)r->len, chunk_len, n_orig_chars, r->n_norm_chars, NZ_SEG_COPY, 0};
  g_array_append_val(r->segs, end);
  gsize nck = r->len / NZ_CKPT_BYTES + 1;
  r->ckpt = checkpoints(r->pool, r->text, r->len);
  r->blk = nz_pool_alloc(r->pool, nck * sizeof *r->blk);
  guint32 s = 0;
  const NzSeg *segs = (const NzSeg *)r->segs->data;
  for (gsize k = 0; k < nck; k++) {
    gsize b = k * NZ_CKPT_BYTES;
    while (s + 1 < r->segs->len - 1 && segs[s + 1].nb <= b)
      s++;
    r->blk[k] = s;
  }
  r->n_orig_chars = n_orig_chars;
  r->stats.n_chars = r->n_norm_chars;
}

/* g_unichar_to_utf8 inline: it runs for every character of a slow result. */
static inline gsize utf8_encode(guint32 c, char *out)
{
  guchar *u = (guchar *)out;
  if (c < 0x80) {
    u[0] = (guchar)c;
    return 1;
  }
  if (c < 0x800) {
    u[0] = (guchar)(0xC0 | c >> 6);
    u[1] = (guchar)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    u[0] = (guchar)(0xE0 | c >> 12);
    u[1] = (guchar)(0x80 | (c >> 6 & 0x3F));
    u[2] = (guchar)(0x80 | (c & 0x3F));
    return 3;
  }
  u[0] = (guchar)(0xF0 | c >> 18);
  u[1] = (guchar)(0x80 | (c >> 12 & 0x3F));
  u[2] = (guchar)(0x80 | (c >> 6 & 0x3F));
  u[3] = (guchar)(0x80 | (c & 0x3F));
  return 4;
}

void nz_result_set_slow(ZhsegNormalized *r, const WChar *w, gsize n, GArray *o)
{
  /* The text keeps its worst-case room (four bytes a character): the pool
   * reuses the block for the next chunk, where shrinking it would copy it. */
  char *text = nz_pool_alloc(r->pool, n * 4 + 1);
  gsize len = 0;
  r->n = n;
  r->nb = nz_pool_alloc(r->pool, (n + 1) * sizeof *r->nb);
  r->noc = nz_pool_alloc(r->pool, (n + 1) * sizeof *r->noc);
  r->noce = nz_pool_alloc(r->pool, (n + 1) * sizeof *r->noce);
  for (gsize k = 0; k < n; k++) {
    r->nb[k] = (guint32)len;
    r->noc[k] = w[k].oc;
    r->noce[k] = w[k].oce;
    len += utf8_encode(w[k].cp, text + len);
  }
  text[len] = '\0';
  r->nb[n] = (guint32)len;
  r->noc[n] = r->noce[n] = o->len - 1;
  /* Byte -> character, so every offset lookup is O(1): cut maps each token. */
  r->bc = nz_pool_alloc(r->pool, (len + 1) * sizeof *r->bc);
  for (gsize k = 0; k < n; k++)
    for (guint32 b = r->nb[k]; b < r->nb[k + 1]; b++)
      r->bc[b] = (guint32)k;
  r->bc[len] = (guint32)n;
  r->len = len;
  r->text = text;
  r->o = o;
  r->n_orig_chars = o->len - 1 - r->char_adjust;
  r->stats.n_chars = n;
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return x < y ? -1 : x > y;
}

static guint64 ident_chars(const ZhsegNormalized *r, gsize off)
{
  off = MIN(off, r->len);
  gsize k = off / NZ_CKPT_BYTES;
  return r->ckpt[k] + nz_count_chars((const guchar *)r->text + k * NZ_CKPT_BYTES, off - k * NZ_CKPT_BYTES);
}

/* The segment holding normalized byte x (x < len). */
static const NzSeg *seg_at(const ZhsegNormalized *r, gsize x)
{
  const NzSeg *segs = (const NzSeg *)r->segs->data;
  guint32 s = r->blk[x / NZ_CKPT_BYTES];
  while (segs[s + 1].nb <= x)
    s++;
  return &segs[s];
}

static const ZhsegNormalized *seg_sub(const ZhsegNormalized *r, const NzSeg *g)
{
  return g_ptr_array_index(r->subs, g->aux);
}

/* Input offset and character of normalized byte x of a copied segment g,
 * x on a character boundary. */
static void copy_point(const ZhsegNormalized *r, const NzSeg *g, gsize x, guint64 *o, guint64 *c)
{
  *o = r->base + g->ob + (x - g->nb);
  if (c != NULL)
    *c = r->base_char + g->oc + (ident_chars(r, x) - g->nc);
}

/* Input offset and character of the start of normalized byte x (in g). */
static void seg_start_point(const ZhsegNormalized *r, const NzSeg *g, gsize x, guint64 *o, guint64 *c)
{
  switch (g->kind) {
  case NZ_SEG_COPY:
    copy_point(r, g, x, o, c);
    break;
  case NZ_SEG_REPL:
  case NZ_SEG_JOIN:
    *o = r->base + g->ob;
    if (c != NULL)
      *c = r->base_char + g->oc;
    break;
  default:
    zhseg_normalized_map_span(seg_sub(r, g), x - g->nb, x - g->nb, o, NULL, c, NULL);
  }
}

/* Input offset and character just past the normalized character holding
 * byte e - 1 (in g). */
static void seg_end_point(const ZhsegNormalized *r, const NzSeg *g, gsize e, guint64 *o, guint64 *c)
{
  const NzSeg *next = g + 1;
  switch (g->kind) {
  case NZ_SEG_COPY:
    while (e < next->nb && ((guchar)r->text[e] & 0xC0) == 0x80)
      e++;
    copy_point(r, g, e, o, c);
    break;
  case NZ_SEG_REPL:
  case NZ_SEG_JOIN:
    *o = r->base + next->ob;
    if (c != NULL)
      *c = r->base_char + next->oc;
    break;
  default:
    zhseg_normalized_map_span(seg_sub(r, g), e - 1 - g->nb, e - g->nb, NULL, o, NULL, c);
  }
}

static void pieces_map_span(const ZhsegNormalized *r, gsize start, gsize end, guint64 *a, guint64 *b,
                            guint64 *ca, guint64 *cb)
{
  start = MIN(start, r->len);
  end = MIN(end, r->len);
  if (start == r->len) {
    const NzSeg *last = &g_array_index(r->segs, NzSeg, r->segs->len - 1);
    *a = *b = r->base + last->ob;
    if (ca != NULL)
      *ca = *cb = r->base_char + last->oc;
    return;
  }
  seg_start_point(r, seg_at(r, start), start, a, ca);
  if (end <= start) {
    *b = *a;
    if (ca != NULL)
      *cb = *ca;
    return;
  }
  seg_end_point(r, seg_at(r, end - 1), end, b, cb);
}

/* Calls func on each segment overlapping [start, end), with the overlap,
 * and on each empty one strictly inside it (a dropped space's input is
 * text of the span: the slow path's span of original characters holds
 * it). */
typedef gboolean (*SegFunc)(const ZhsegNormalized *r, const NzSeg *g, gsize s, gsize e, gpointer data);

static gboolean each_seg(const ZhsegNormalized *r, gsize start, gsize end, SegFunc func, gpointer data)
{
  end = MIN(end, r->len);
  if (start >= end)
    return FALSE;
  /* seg_at gives the last segment that starts at or before `start`: the
   * empty ones at `start` come before it. */
  for (const NzSeg *g = seg_at(r, start); g->nb < end; g++)
    if (func(r, g, MAX(start, (gsize)g->nb), MIN(end, (gsize)g[1].nb), data))
      return TRUE;
  return FALSE;
}

static gboolean seg_original(const ZhsegNormalized *r, const NzSeg *g, gsize s, gsize e, gpointer data)
{
  GString *out = data;
  if (g->kind == NZ_SEG_COPY)
    g_string_append_len(out, r->text + s, (gssize)(e - s));
  else if (g->kind == NZ_SEG_REPL)
    g_string_append_len(out, r->repl_orig->str + g->aux, (gssize)((g + 1)->ob - g->ob));
  else if (g->kind == NZ_SEG_SLOW)
    nz_map_append_original(seg_sub(r, g), s - g->nb, e - g->nb, out);
  /* (a join's input is not text: the slow path drops it too) */
  return FALSE;
}

/* zhseg_normalized_span_joined, segment by segment: a join inside the span
 * (an empty one strictly inside, as each_seg visits them: the slow path's
 * span of original characters ends before the removed break when the span
 * ends at the join, and starts after it when the span starts there), or a
 * slow segment that joined inside its part of the span. */
static gboolean seg_joined(const ZhsegNormalized *r, const NzSeg *g, gsize s, gsize e, gpointer data)
{
  return g->kind == NZ_SEG_JOIN ||
         (g->kind == NZ_SEG_SLOW && zhseg_normalized_span_joined(seg_sub(r, g), s - g->nb, e - g->nb));
}

/* Stream character offsets just past each LF of the input, segment by
 * segment (slow segments have theirs already). */
static void pieces_index_lines(ZhsegNormalized *r)
{
  const NzSeg *segs = (const NzSeg *)r->segs->data;
  for (guint k = 0; k + 1 < r->segs->len; k++) {
    const NzSeg *g = &segs[k];
    const char *p, *end;
    if (g->kind == NZ_SEG_SLOW)
      continue;
    if (g->kind == NZ_SEG_COPY) {
      p = r->text + g->nb;
      end = r->text + g[1].nb;
    } else {
      p = r->repl_orig->str + g->aux;
      end = p + (g[1].ob - g->ob);
    }
    guint64 c = r->base_char + g->oc;
    for (const char *prev = p; (p = memchr(p, '\n', (gsize)(end - p))) != NULL; prev = p) {
      p++;
      c += nz_count_chars((const guchar *)prev, (gsize)(p - prev));
      g_array_append_val(r->lf_after, c);
    }
  }
  /* Slow segments (and subs with no text) hold the rest: merge in order. */
  for (guint i = 0; i < r->subs->len; i++) {
    const ZhsegNormalized *sub = g_ptr_array_index(r->subs, i);
    g_array_append_vals(r->lf_after, sub->lf_after->data, sub->lf_after->len);
  }
  g_array_sort(r->lf_after, cmp_u64);
}

void nz_result_set_lines(ZhsegNormalized *r, GArray *lf_after)
{
  nz_pool_give_array(r->pool, NZ_ARRAY_LINES, r->lf_after);
  r->lf_after = lf_after;
}

void nz_result_index_lines(ZhsegNormalized *r, guint64 base_line, guint64 line_start_char)
{
  r->base_line = base_line;
  r->line_start_char = (gint64)line_start_char;
  if (r->lf_after != NULL)
    return; /* the builder found them (nz_result_set_lines) */
  r->lf_after = nz_pool_take_array(r->pool, NZ_ARRAY_LINES, sizeof(guint64));
  if (r->segs != NULL) {
    pieces_index_lines(r);
  } else if (r->identity) {
    /* Characters are counted from one LF to the next. */
    guint64 c = r->base_char;
    const char *prev = r->text;
    for (const char *p = r->text, *end = r->text + r->len; (p = memchr(p, '\n', (gsize)(end - p))) != NULL;) {
      p++;
      c += nz_count_chars((const guchar *)prev, (gsize)(p - prev));
      prev = p;
      g_array_append_val(r->lf_after, c);
    }
  } else {
    for (guint i = 0; i + 1 < r->o->len; i++)
      if ((g_array_index(r->o, OChar, i).cp & OCHAR_CP_MASK) == '\n') {
        guint64 c = r->base_char + (i + 1 >= r->char_adjust ? i + 1 - r->char_adjust : 0);
        g_array_append_val(r->lf_after, c);
      }
  }
}

void zhseg_normalized_free(ZhsegNormalized *r)
{
  if (r == NULL)
    return;
  /* Each block and array goes back to the normalizer's pool, for its
   * next results (normalize_pool.h). */
  nz_pool_give_array(r->pool, NZ_ARRAY_LINES, r->lf_after);
  nz_pool_give(r->pool, r->text);
  nz_pool_give(r->pool, r->ckpt);
  nz_pool_give(r->pool, r->nb);
  nz_pool_give(r->pool, r->bc);
  nz_pool_give(r->pool, r->noc);
  nz_pool_give(r->pool, r->noce);
  nz_pool_give(r->pool, r->blk);
  nz_pool_give_array(r->pool, NZ_ARRAY_SEGS, r->segs);
  if (r->subs != NULL)
    g_ptr_array_free(r->subs, TRUE);
  if (r->repl_orig != NULL)
    g_string_free(r->repl_orig, TRUE);
  nz_pool_give_array(r->pool, NZ_ARRAY_OCHARS, r->o);
  nz_pool_unref(r->pool);
  g_free(r);
}

const char *zhseg_normalized_text(const ZhsegNormalized *r, gsize *len)
{
  g_return_val_if_fail(r != NULL, NULL);
  if (len != NULL)
    *len = r->len;
  return r->text;
}

const ZhsegNormalizeStats *zhseg_normalized_stats(const ZhsegNormalized *r)
{
  g_return_val_if_fail(r != NULL, NULL);
  return &r->stats;
}

void zhseg_normalized_map_span(const ZhsegNormalized *r, gsize start, gsize end, guint64 *os,
                               guint64 *oe, guint64 *ocs, guint64 *oce)
{
  g_return_if_fail(r != NULL);
  guint64 a, b, ca, cb;
  if (end < start)
    end = start;
  /* Character offsets cost a count in copied text: only when asked. */
  gboolean chars = ocs != NULL || oce != NULL;
  ca = cb = 0;
  if (r->segs != NULL) {
    pieces_map_span(r, start, end, &a, &b, chars ? &ca : NULL, chars ? &cb : NULL);
  } else if (r->identity) {
    start = MIN(start, r->len);
    end = MIN(end, r->len);
    a = r->base + start;
    b = r->base + end;
    if (chars) {
      ca = r->base_char + ident_chars(r, start);
      cb = start == end ? ca : r->base_char + ident_chars(r, end);
    }
  } else {
    guint32 oc, oce;
    nz_slow_orig_range(r, start, end, &oc, &oce);
    a = nz_slow_orig_offset(r, oc);
    b = nz_slow_orig_offset(r, oce);
    ca = nz_slow_orig_char(r, oc);
    cb = nz_slow_orig_char(r, oce);
  }
  if (os != NULL)
    *os = a;
  if (oe != NULL)
    *oe = b;
  if (ocs != NULL)
    *ocs = ca;
  if (oce != NULL)
    *oce = cb;
}

guint64 zhseg_normalized_orig_offset(const ZhsegNormalized *r, gsize offset)
{
  guint64 o = 0;
  zhseg_normalized_map_span(r, offset, offset, &o, NULL, NULL, NULL);
  return o;
}

guint64 zhseg_normalized_orig_char(const ZhsegNormalized *r, gsize offset)
{
  guint64 c = 0;
  zhseg_normalized_map_span(r, offset, offset, NULL, NULL, &c, NULL);
  return c;
}

void zhseg_normalized_orig_line_col(const ZhsegNormalized *r, gsize offset, guint64 *line, guint64 *column)
{
  g_return_if_fail(r != NULL);
  guint64 c = zhseg_normalized_orig_char(r, offset);
  /* LFs of the chunk before c: binary search in lf_after. */
  const guint64 *lf = (const guint64 *)r->lf_after->data;
  guint lo = 0, hi = r->lf_after->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (lf[mid] <= c)
      lo = mid + 1;
    else
      hi = mid;
  }
  guint64 start = lo > 0 ? lf[lo - 1] : (guint64)r->line_start_char;
  if (line != NULL)
    *line = r->base_line + lo + 1;
  if (column != NULL)
    *column = c - start + 1;
}

gboolean zhseg_normalized_is_boundary(const ZhsegNormalized *r, gsize offset)
{
  g_return_val_if_fail(r != NULL, FALSE);
  if (offset == 0 || offset >= r->len)
    return TRUE;
  if (r->identity)
    return ((guchar)r->text[offset] & 0xC0) != 0x80;
  if (r->segs != NULL) {
    const NzSeg *g = seg_at(r, offset);
    if (offset == g->nb)
      return TRUE;
    if (g->kind == NZ_SEG_COPY)
      return ((guchar)r->text[offset] & 0xC0) != 0x80;
    if (g->kind == NZ_SEG_SLOW)
      return nz_slow_is_boundary(seg_sub(r, g), offset - g->nb);
    return FALSE; /* inside one replacement (a join's space is one byte) */
  }
  return nz_slow_is_boundary(r, offset);
}

gboolean zhseg_normalized_span_joined(const ZhsegNormalized *r, gsize start, gsize end)
{
  g_return_val_if_fail(r != NULL, FALSE);
  if (r->identity || end <= start)
    return FALSE;
  if (r->segs != NULL)
    return each_seg(r, start, end, seg_joined, NULL);
  guint32 oc, oce;
  nz_slow_orig_range(r, start, end, &oc, &oce);
  for (guint32 i = oc; i < oce; i++)
    if (g_array_index(r->o, OChar, i).cp & OCHAR_JOINED)
      return TRUE;
  return FALSE;
}

/* The original characters of a slow result, in UTF-8, less those removed
 * as joined line breaks or repeated copies and the BOM. */
static void slow_append_original(const ZhsegNormalized *r, gsize start, gsize end, GString *out)
{
  guint32 oc, oce;
  nz_slow_orig_range(r, start, end, &oc, &oce);
  const OChar *o = (const OChar *)r->o->data;
  for (guint32 i = MAX(oc, r->char_adjust); i < oce; i++) {
    if (o[i].cp & (OCHAR_JOINED | OCHAR_DUP))
      continue;
    /* zhseg cut prints every token that differs from the input this way:
     * g_unichar_to_utf8 into the string's spare room, not a GString call
     * per character. */
    if (out->allocated_len - out->len <= 4) {
      gsize len = out->len;
      g_string_set_size(out, len + 4);
      out->len = len;
    }
    out->len += (gsize)g_unichar_to_utf8(o[i].cp & OCHAR_CP_MASK, out->str + out->len);
  }
  out->str[out->len] = '\0';
}

gsize nz_slow_verbatim_end(const ZhsegNormalized *r, gsize x, gsize limit)
{
  limit = MIN(limit, r->len);
  gsize k = nz_slow_char_at(r, x);
  if (x >= limit || r->nb[k] != x)
    return x;
  const OChar *o = (const OChar *)r->o->data;
  for (guint32 oc = r->noc[k]; k < r->n && r->nb[k] < limit; k++, oc++)
    if (r->noc[k] != oc || r->noce[k] != oc + 1 || (o[oc].cp & ~OCHAR_CP_MASK) != 0 ||
        o[oc + 1].off - o[oc].off != r->nb[k + 1] - r->nb[k])
      break;
  return MIN(r->nb[k], limit);
}

void nz_map_append_original(const ZhsegNormalized *r, gsize start, gsize end, GString *out)
{
  if (end <= start)
    return;
  if (r->segs != NULL) {
    each_seg(r, start, end, seg_original, out);
  } else if (r->identity) {
    start = MIN(start, r->len);
    end = MIN(end, r->len);
    g_string_append_len(out, r->text + start, (gssize)(end - start));
  } else {
    slow_append_original(r, start, end, out);
  }
}

char *zhseg_normalized_original_text(const ZhsegNormalized *r, gsize start, gsize end, gsize *len)
{
  g_return_val_if_fail(r != NULL, NULL);
  GString *s = g_string_new(NULL);
  nz_map_append_original(r, start, end, s);
  if (len != NULL)
    *len = s->len;
  return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------ cursor */

void nz_map_cursor_init(NzMapCursor *c, const ZhsegNormalized *r)
{
  memset(c, 0, sizeof *c);
  c->r = r;
}

void nz_map_cursor_seek(NzMapCursor *c, gsize x)
{
  const ZhsegNormalized *r = c->r;
  c->copied = FALSE;
  c->sub = NULL;
  c->lo = c->hi = 0; /* past the end, or a slow result: look up every time */
  if (x >= r->len)
    return;
  if (r->segs != NULL) {
    const NzSeg *g = seg_at(r, x);
    c->lo = g->nb;
    c->hi = g[1].nb;
    if (g->kind == NZ_SEG_SLOW)
      c->sub = seg_sub(r, g);
    if (g->kind != NZ_SEG_COPY)
      return;
    c->o0 = r->base + g->ob;
    c->c0 = r->base_char + g->oc;
  } else if (r->identity) {
    c->lo = 0;
    c->hi = r->len;
    c->o0 = r->base;
    c->c0 = r->base_char;
  } else {
    /* A slow result is one slow segment. */
    c->hi = r->len;
    c->sub = r;
    return;
  }
  c->copied = TRUE;
  c->cpos = c->lo;
  c->cchars = c->c0;
}

/* Stream character offset of copied byte x: counted from the last position
 * on, since tokens come in order (each byte is counted about once); a step
 * back (search mode's sub-words) counts back from there, not again from the
 * segment's start. */
guint64 nz_map_cursor_count_to(NzMapCursor *c, gsize x)
{
  const guchar *text = (const guchar *)c->r->text;
  if (x >= c->cpos)
    c->cchars += nz_count_chars(text + c->cpos, x - c->cpos);
  else
    c->cchars -= nz_count_chars(text + x, c->cpos - x);
  c->cpos = x;
  return c->cchars;
}

void nz_map_cursor_chars(NzMapCursor *c, gsize start, gsize end, guint64 *cs, guint64 *ce)
{
  *cs = nz_map_cursor_char(c, start);
  *ce = nz_map_cursor_char(c, end);
}

/* Inside a slow segment (not at its start, where a boundary always is),
 * the pieces' answers are its own result's, shifted by its start. */
gboolean nz_map_cursor_is_boundary(const NzMapCursor *c, gsize x)
{
  if (c->sub != NULL && x > c->lo && x < c->hi)
    return zhseg_normalized_is_boundary(c->sub, x - c->lo);
  return zhseg_normalized_is_boundary(c->r, x);
}

void nz_map_cursor_span(const NzMapCursor *c, gsize start, gsize end, guint64 *os, guint64 *oe, guint64 *ocs,
                        guint64 *oce)
{
  if (c->sub != NULL && start >= c->lo && start < end && end <= c->hi)
    zhseg_normalized_map_span(c->sub, start - c->lo, end - c->lo, os, oe, ocs, oce);
  else
    zhseg_normalized_map_span(c->r, start, end, os, oe, ocs, oce);
}

guint zhseg_normalized_map_tokens(const ZhsegNormalized *r, GArray *tokens, guint first)
{
  g_return_val_if_fail(r != NULL && tokens != NULL, 0);
  guint out = first;
  for (guint i = first; i < tokens->len; i++) {
    ZhsegToken t = g_array_index(tokens, ZhsegToken, i);
    guint64 a, b, ca, cb;
    gboolean merge = out > first && !zhseg_normalized_is_boundary(r, t.start);
    zhseg_normalized_map_span(r, t.start, t.end, &a, &b, &ca, &cb);
    if (merge) {
      /* The boundary fell inside one original character's expansion. */
      ZhsegToken *p = &g_array_index(tokens, ZhsegToken, out - 1);
      p->end = MAX(p->end, (gsize)b);
      p->cend = MAX(p->cend, (gsize)cb);
      continue;
    }
    t.start = (gsize)a;
    t.end = (gsize)b;
    t.cstart = (gsize)ca;
    t.cend = (gsize)cb;
    g_array_index(tokens, ZhsegToken, out++) = t;
  }
  g_array_set_size(tokens, out);
  return out;
}
