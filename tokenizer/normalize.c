/* The normalizer object: options, stream state, and the order of the steps.
 * Each step lives in its own file (decode, fold, layout, t2s, dedup, fast);
 * the result and its offset map are in normalize_map.c. */
#include "tokenizer/normalize_map.h"

#include <string.h>

struct ZhsegNormalizer {
  char *encoding; /* forced, or NULL to detect */
  gboolean strict, nfkc, fold, dedup;
  ZhsegT2sMode t2s;
  ZhsegJoinMode join;
  /* stream state */
  const char *stream_encoding;
  gboolean first_chunk;
  guint64 base, base_char;
  guint64 lines, line_start_char; /* LFs so far, and where the current line started */
  LayoutState layout;
  ZhsegNormalizeStats stats;
  gboolean pieces; /* normalize UTF-8 unit by unit (FALSE: tests compare with the whole-chunk path) */
  /* scratch */
  GArray *w, *w2, *bounds, *u16, *offs;
  FastScratch fast;
  NzPool *pool; /* the blocks of freed results, for the next ones */
};

ZhsegNormalizer *zhseg_normalizer_new(void)
{
  ZhsegNormalizer *n = g_new0(ZhsegNormalizer, 1);
  n->nfkc = n->fold = n->dedup = TRUE;
  n->t2s = ZHSEG_T2S_OFF;
  n->join = ZHSEG_JOIN_AUTO;
  n->w = g_array_new(FALSE, FALSE, sizeof(WChar));
  n->w2 = g_array_new(FALSE, FALSE, sizeof(WChar));
  n->bounds = g_array_new(FALSE, FALSE, sizeof(gsize));
  n->u16 = g_array_new(FALSE, FALSE, sizeof(UChar));
  n->offs = g_array_new(FALSE, FALSE, sizeof(int32_t));
  n->pieces = TRUE;
  n->pool = nz_pool_new();
  nz_fast_scratch_init(&n->fast);
  zhseg_normalizer_begin(n, 0);
  return n;
}

void zhseg_normalizer_free(ZhsegNormalizer *n)
{
  if (n == NULL)
    return;
  g_free(n->encoding);
  g_array_free(n->w, TRUE);
  g_array_free(n->w2, TRUE);
  g_array_free(n->bounds, TRUE);
  g_array_free(n->u16, TRUE);
  g_array_free(n->offs, TRUE);
  nz_fast_scratch_clear(&n->fast);
  /* Results still alive hold the pool: closed, it keeps nothing for them. */
  nz_pool_close(n->pool);
  nz_pool_unref(n->pool);
  g_free(n);
}

gboolean zhseg_normalizer_set_encoding(ZhsegNormalizer *n, const char *encoding, GError **error)
{
  g_return_val_if_fail(n != NULL, FALSE);
  if (encoding != NULL) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(encoding, &status);
    if (U_FAILURE(status)) {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "unknown encoding '%s' (ICU: %s)", encoding,
                  u_errorName(status));
      return FALSE;
    }
    ucnv_close(cnv);
  }
  g_free(n->encoding);
  n->encoding = g_strdup(encoding);
  return TRUE;
}

void zhseg_normalizer_set_strict(ZhsegNormalizer *n, gboolean strict)
{
  g_return_if_fail(n != NULL);
  n->strict = strict;
}

void zhseg_normalizer_set_nfkc(ZhsegNormalizer *n, gboolean nfkc)
{
  g_return_if_fail(n != NULL);
  n->nfkc = nfkc;
}

void zhseg_normalizer_set_fold_punct(ZhsegNormalizer *n, gboolean fold)
{
  g_return_if_fail(n != NULL);
  n->fold = fold;
}

void zhseg_normalizer_set_t2s(ZhsegNormalizer *n, ZhsegT2sMode mode)
{
  g_return_if_fail(n != NULL);
  n->t2s = mode;
}

void zhseg_normalizer_set_join_lines(ZhsegNormalizer *n, ZhsegJoinMode mode)
{
  g_return_if_fail(n != NULL);
  n->join = mode;
}

void zhseg_normalizer_set_dedup(ZhsegNormalizer *n, gboolean dedup)
{
  g_return_if_fail(n != NULL);
  n->dedup = dedup;
}

void zhseg_normalizer_begin(ZhsegNormalizer *n, guint64 base_offset)
{
  g_return_if_fail(n != NULL);
  n->stream_encoding = NULL;
  n->first_chunk = TRUE;
  n->base = base_offset;
  n->base_char = 0;
  n->lines = 0;
  n->line_start_char = 0;
  n->layout.wrap_width2 = 0;
  n->layout.prev_blank = TRUE;
  memset(&n->stats, 0, sizeof n->stats);
}

const ZhsegNormalizeStats *zhseg_normalizer_get_stats(const ZhsegNormalizer *n)
{
  g_return_val_if_fail(n != NULL, NULL);
  return &n->stats;
}

ZhsegNormalized *zhseg_normalizer_run(ZhsegNormalizer *n, const char *bytes, gsize len, GError **error)
{
  g_return_val_if_fail(n != NULL, NULL);
  zhseg_normalizer_begin(n, 0);
  return zhseg_normalizer_feed(n, bytes, len, error);
}

const char *zhseg_normalizer_detect(ZhsegNormalizer *n, const char *bytes, gsize len)
{
  g_return_val_if_fail(n != NULL, NULL);
  if (n->stream_encoding == NULL)
    n->stream_encoding = n->encoding != NULL ? n->encoding : nz_detect_encoding((const guchar *)bytes, len);
  return n->stream_encoding;
}

/* Adds what a piece of a chunk changed (and its invalid bytes) to the
 * chunk's counts; the chunk's encoding, bytes and characters are its own. */
static void add_piece_stats(ZhsegNormalizeStats *to, const ZhsegNormalizeStats *s)
{
  to->bom |= s->bom;
  for (guint k = 0; k < s->n_invalid_offsets && to->n_invalid_offsets < ZHSEG_NORMALIZE_MAX_OFFSETS; k++)
    to->invalid_offsets[to->n_invalid_offsets++] = s->invalid_offsets[k];
  to->n_invalid += s->n_invalid;
  to->n_nfkc += s->n_nfkc;
  to->n_punct_folded += s->n_punct_folded;
  to->n_crlf += s->n_crlf;
  to->n_lines_joined += s->n_lines_joined;
  to->n_runs_dedup += s->n_runs_dedup;
  to->n_punct_dedup += s->n_punct_dedup;
  to->n_t2s += s->n_t2s;
}

/* Adds a chunk's counts to the normalizer's running total. */
static void add_stats(ZhsegNormalizeStats *to, const ZhsegNormalizeStats *s)
{
  to->encoding = s->encoding;
  to->n_bytes += s->n_bytes;
  to->n_chars += s->n_chars;
  add_piece_stats(to, s);
}

void nz_normalizer_set_pieces(ZhsegNormalizer *n, gboolean pieces)
{
  n->pieces = pieces;
}

NzPool *nz_normalizer_pool(ZhsegNormalizer *n)
{
  return n->pool;
}

/* The slow path over bytes[0..len), which start at file offset `base`;
 * `first` when they start the stream (a BOM is dropped). */
static gboolean slow_path(ZhsegNormalizer *n, ZhsegNormalized *r, const guchar *bytes, gsize len,
                          guint64 base, gboolean first, GError **error)
{
  ZhsegNormalizeStats *st = &r->stats;
  GArray *o = nz_pool_take_array(r->pool, NZ_ARRAY_OCHARS, sizeof(OChar));
  GArray *inv = g_array_new(FALSE, FALSE, sizeof(guint64));
  if (!nz_decode(r->stats.encoding, bytes, len, o, &st->n_invalid, inv, n->u16, n->offs, error)) {
    nz_pool_give_array(r->pool, NZ_ARRAY_OCHARS, o);
    g_array_free(inv, TRUE);
    return FALSE;
  }
  for (guint k = 0; k < inv->len; k++)
    st->invalid_offsets[st->n_invalid_offsets++] = base + g_array_index(inv, guint64, k);
  g_array_free(inv, TRUE);
  if (n->strict && st->n_invalid > 0) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ENCODING,
                "byte offset %" G_GUINT64_FORMAT ": bytes that are not valid %s (strict mode stops at the "
                "first; without it each undecodable sequence becomes U+FFFD)",
                st->invalid_offsets[0], st->encoding);
    nz_pool_give_array(r->pool, NZ_ARRAY_OCHARS, o);
    return FALSE;
  }
  gsize no = o->len - 1; /* without the sentinel */
  OChar *oc = (OChar *)o->data;
  GArray *w = n->w;
  g_array_set_size(w, no);
  WChar *wp = (WChar *)w->data;
  gsize nw = 0;
  for (gsize i = 0; i < no; i++) {
    if (i == 0 && first && oc[0].cp == 0xFEFF) {
      st->bom = TRUE;
      r->char_adjust = 1;
      continue;
    }
    wp[nw].cp = oc[i].cp & OCHAR_CP_MASK;
    wp[nw].oc = (guint32)i;
    wp[nw].oce = (guint32)i + 1;
    nw++;
  }
  g_array_set_size(w, nw);
  if (n->nfkc) {
    if (!nz_nfkc(r->nfkc, (WChar *)w->data, w->len, n->w2, &st->n_nfkc, error)) {
      nz_pool_give_array(r->pool, NZ_ARRAY_OCHARS, o);
      return FALSE;
    }
    GArray *t = n->w;
    n->w = n->w2;
    n->w2 = t;
    w = n->w;
  }
  if (n->fold)
    st->n_punct_folded = nz_fold_punct((WChar *)w->data, w->len, oc, &st->n_nfkc);
  g_array_set_size(w, nz_spaces_and_crlf((WChar *)w->data, w->len, &st->n_crlf));
  g_array_set_size(w, nz_layout_apply((WChar *)w->data, w->len, oc, n->join, &n->layout,
                                      &st->n_lines_joined, n->bounds));
  if (n->t2s != ZHSEG_T2S_OFF) {
    const T2sTable *t = nz_t2s_table(error);
    if (t == NULL) {
      nz_pool_give_array(r->pool, NZ_ARRAY_OCHARS, o);
      return FALSE;
    }
    nz_t2s_apply(t, w, n->bounds, n->t2s, &st->n_t2s);
  }
  if (n->dedup)
    g_array_set_size(w, nz_dedup((WChar *)w->data, w->len, oc, n->fast.table, &st->n_runs_dedup, &st->n_punct_dedup));
  nz_result_set_slow(r, (const WChar *)w->data, w->len, o);
  return TRUE;
}

static NzFastOptions fast_options(const ZhsegNormalizer *n, const T2sTable *t)
{
  NzFastOptions o = {n->nfkc, n->fold, n->dedup, n->t2s, n->join, t};
  return o;
}

/* A fast piece: its bytes with the changes of n->fast.changes (CR LF ->
 * LF, full-width -> ASCII, NFKC's expansions, ASCII -> full-width marks,
 * joined line breaks, dropped spaces: a replacement by nothing, whose
 * input is still text), each a segment of its own, so the map says of
 * every character what the slow path says. `oc`: input characters before
 * it. */
static void add_fast_piece(ZhsegNormalizer *n, ZhsegNormalized *r, const guchar *bytes, gsize off, gsize end,
                           guint64 oc)
{
  const NzFastChange *ch = (const NzFastChange *)n->fast.changes->data;
  gsize p = off;
  guint32 pc = 0; /* input characters of the unit before p */
  for (guint k = 0; k < n->fast.changes->len; k++) {
    gsize at = off + ch[k].off;
    nz_result_add_copy_counted(r, (const char *)bytes + p, at - p, (guint32)p, oc + pc, ch[k].ch - pc);
    char norm[16];
    gsize nlen = 0;
    guint32 out[3] = {ch[k].cp, ch[k].more[0], ch[k].more[1]};
    for (int c = 0; c < 3 && out[c] != 0; c++)
      nlen += (gsize)g_unichar_to_utf8(out[c], norm + nlen);
    if (ch[k].kind == NZ_FAST_JOIN)
      nz_result_add_join(r, norm, nlen, (const char *)bytes + at, ch[k].len, (guint32)at, oc + ch[k].ch);
    else
      nz_result_add_repl(r, norm, nlen, (const char *)bytes + at, ch[k].len, (guint32)at, oc + ch[k].ch);
    p = at + ch[k].len;
    pc = ch[k].ch + ch[k].nch;
    r->stats.n_nfkc += ch[k].kind == NZ_FAST_NFKC || ch[k].kind == NZ_FAST_EXPAND;
    r->stats.n_punct_folded += ch[k].kind == NZ_FAST_FOLD;
    r->stats.n_lines_joined += ch[k].kind == NZ_FAST_JOIN;
  }
  /* Every CR LF, also those inside a join (the slow path counts them before it joins). */
  r->stats.n_crlf += n->fast.n_crlf;
  nz_result_add_copy_counted(r, (const char *)bytes + p, end - p, (guint32)p, oc + pc, n->fast.n_chars - pc);
}

/* End of the run of units from `end` on that would take the slow path too:
 * the units are tried with the layout state before the run, which is only a
 * guess (the caller tries the next unit again with the right state), but
 * one slow call over many units costs less than one per unit, and the slow
 * path is right whatever the grouping. */
static gsize slow_run_end(ZhsegNormalizer *n, const guchar *bytes, gsize end, gsize len, const NzFastOptions *fo)
{
  while (end < len) {
    LayoutState guess = n->layout;
    gsize next;
    if (nz_fast_clean(bytes + end, len - end, fo, &guess, &n->fast, &next))
      break;
    end = nz_utf8_unit_end(bytes, end, len);
  }
  return end;
}

/* How a UTF-8 chunk is being built, unit by unit (feed_utf8). */
typedef struct {
  ZhsegNormalized *r;
  const guchar *bytes;
  gboolean pieces;  /* the result is built piece by piece (not all units were clean) */
  gsize copy_from;  /* the clean units not added yet start here */
  guint64 copy_oc;  /* input characters before copy_from */
  GArray *lf_after; /* stream characters just past each LF, in order */
} Build;

/* The clean units before `off`, which holds `oc` input characters, as one
 * copy; the result becomes pieces if it was not yet. */
static void build_flush(Build *b, gsize off, guint64 oc)
{
  if (!b->pieces) {
    nz_result_begin_pieces(b->r, b->r->stats.n_bytes);
    b->pieces = TRUE;
  }
  nz_result_add_copy_counted(b->r, (const char *)b->bytes + b->copy_from, off - b->copy_from,
                             (guint32)b->copy_from, b->copy_oc, oc - b->copy_oc);
}

/* UTF-8, normalized layout unit by layout unit (nz_fast_clean finds each
 * unit's end while it checks it), which gives the same result as the whole
 * chunk. Units that normalize to themselves are copied, runs of them as one
 * piece (the whole chunk: the identity map); a unit that is clean but for a
 * few changes (CR LF, full-width digits) is copied with a replacement per
 * change; only runs of other units take the slow path. PKU-style text thus
 * costs the slow path only on the lines that change. Each byte of a clean
 * unit is looked at once: the check counts characters and finds the LFs the
 * map needs. */
static gboolean feed_utf8(ZhsegNormalizer *n, ZhsegNormalized *r, const guchar *bytes, gsize len,
                          const T2sTable *t, GError **error)
{
  NzFastOptions fo = fast_options(n, t);
  Build b = {r, bytes, FALSE, 0, 0, nz_pool_take_array(r->pool, NZ_ARRAY_LINES, sizeof(guint64))};
  guint64 oc = 0; /* input characters before off */
  gboolean ok = TRUE;
  for (gsize off = 0; off < len;) {
    gsize end;
    LayoutState saved = n->layout;
    /* (A BOM is not clean (U+FEFF needs a closer look, and is never left
     * alone): the stream's first unit then takes the slow path, which drops
     * it.) */
    gboolean bom_here = off == 0 && n->first_chunk;
    if (nz_fast_clean(bytes + off, len - off, &fo, &n->layout, &n->fast, &end)) {
      end += off;
      /* one resize per unit, not an append per line (none without a line
       * feed: an empty array's data may be NULL) */
      if (n->fast.n_lfs > 0) {
        guint at = b.lf_after->len;
        g_array_set_size(b.lf_after, at + n->fast.n_lfs);
        guint64 *lf_after = (guint64 *)b.lf_after->data + at;
        for (guint k = 0; k < n->fast.n_lfs; k++)
          lf_after[k] = n->base_char + oc + n->fast.lfs[k];
      }
      if (n->fast.changes->len > 0) {
        build_flush(&b, off, oc);
        add_fast_piece(n, r, bytes, off, end, oc);
        b.copy_from = end;
        b.copy_oc = oc + n->fast.n_chars;
      }
      oc += n->fast.n_chars;
      off = end;
      continue;
    }
    n->layout = saved;
    end = slow_run_end(n, bytes, nz_utf8_unit_end(bytes, off, len), len, &fo);
    build_flush(&b, off, oc);
    ZhsegNormalized *sub = nz_result_new(n->pool, n->base + off, n->base_char + oc);
    sub->stats.encoding = r->stats.encoding;
    if (!slow_path(n, sub, bytes + off, end - off, n->base + off, bom_here, error)) {
      zhseg_normalized_free(sub);
      ok = FALSE;
      break;
    }
    add_piece_stats(&r->stats, &sub->stats);
    if (sub->char_adjust)
      r->char_adjust = 1;
    nz_result_add_slow(r, sub, (guint32)off, oc);
    g_array_append_vals(b.lf_after, sub->lf_after->data, sub->lf_after->len);
    oc += sub->n_orig_chars;
    off = end;
    b.copy_from = end;
    b.copy_oc = oc;
  }
  if (!ok) {
    nz_pool_give_array(r->pool, NZ_ARRAY_LINES, b.lf_after);
    return FALSE;
  }
  if (!b.pieces) {
    nz_result_set_identity(r, (const char *)bytes, len, oc);
  } else {
    build_flush(&b, len, oc);
    nz_result_end_pieces(r, (guint32)len, oc);
  }
  nz_result_set_lines(r, b.lf_after);
  return TRUE;
}

/* The stream state after a chunk, and its statistics. */
static ZhsegNormalized *feed_done(ZhsegNormalizer *n, ZhsegNormalized *r, gsize len, gboolean ok)
{
  if (!ok) {
    zhseg_normalized_free(r);
    return NULL;
  }
  nz_result_index_lines(r, n->lines, n->line_start_char);
  n->lines += r->lf_after->len;
  if (r->lf_after->len > 0)
    n->line_start_char = g_array_index(r->lf_after, guint64, r->lf_after->len - 1);
  n->first_chunk = FALSE;
  n->base += len;
  n->base_char += r->n_orig_chars;
  add_stats(&n->stats, &r->stats);
  return r;
}

ZhsegNormalized *zhseg_normalizer_feed(ZhsegNormalizer *n, const char *bytes, gsize len, GError **error)
{
  g_return_val_if_fail(n != NULL, NULL);
  g_return_val_if_fail(bytes != NULL || len == 0, NULL);
  if (len >= G_MAXUINT32 - 16) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID,
                "a chunk of %" G_GSIZE_FORMAT " bytes is too large; feed the input in chunks", len);
    return NULL;
  }
  zhseg_normalizer_detect(n, bytes, len);
  const T2sTable *t = NULL;
  if (n->t2s != ZHSEG_T2S_OFF && (t = nz_t2s_table(error)) == NULL)
    return NULL;
  ZhsegNormalized *r = nz_result_new(n->pool, n->base, n->base_char);
  if (r == NULL) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ICU, "ICU's NFKC data is not available");
    return NULL;
  }
  r->stats.encoding = n->stream_encoding;
  r->stats.n_bytes = len;
  LayoutState saved = n->layout;
  gboolean utf8 = nz_is_utf8_name(n->stream_encoding);
  if (utf8 && n->pieces)
    return feed_done(n, r, len, feed_utf8(n, r, (const guchar *)bytes, len, t, error));
  NzFastOptions fo = fast_options(n, t);
  gboolean clean = utf8 && nz_fast_clean((const guchar *)bytes, len, &fo, &n->layout, &n->fast, NULL);
  gboolean ok = TRUE;
  if (clean && n->fast.changes->len == 0) {
    nz_result_set_identity(r, bytes, len, n->fast.n_chars);
  } else {
    n->layout = saved;
    ok = slow_path(n, r, (const guchar *)bytes, len, n->base, n->first_chunk, error);
  }
  return feed_done(n, r, len, ok);
}
