/* The fast path: proves that a UTF-8 chunk normalizes to itself.
 *
 * Most input (clean simplified UTF-8 with one paragraph per line) needs no
 * change, and building the slow path's per-character arrays would make the
 * normalizer slower than the segmenter. Here each line is decoded once into a
 * reused buffer; a bitmap over the BMP says which characters need a closer
 * look (NFKC could change it: not normalized alone per unorm2_isNormalized,
 * or no boundary before it per unorm2_hasBoundaryBefore; spaces, ASCII punctuation,
 * CR, BOM); the contextual rules are then asked exactly as the slow path asks
 * them, and the layout decision runs on the same LineInfo. Any doubt sends the
 * chunk to the slow path, which is always correct.
 *
 * Its files, one job each: normalize_fast_tables.c (the per-process tables
 * and the scratch), normalize_fast_scan.c (decoding a line),
 * normalize_fast_join.c (the unit's lines together: the layout's joins,
 * dedup, t2s auto) and this one: the changes the contextual rules make in a
 * line (folded and unfolded marks, NFKC's expansions, dropped spaces) and
 * nz_fast_clean, which drives them unit by unit. */
#include "tokenizer/normalize_fast.h"

#include <string.h>

static gboolean is_fullwidth_fold(guint32 cp)
{
  switch (cp) {
  case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: case 0xFF08: case 0xFF09:
    return TRUE;
  default:
    return FALSE;
  }
}

/* Is the character at position i of the cursor's line left as it is by the
 * slow path? */
static gboolean char_stays(const FastTables *ft, NzFoldCursor *cur, gsize i, gboolean do_nfkc, gboolean fold)
{
  guint32 cp = cur->cps[i];
  if (cp == '\r' || cp == 0xFEFF)
    return FALSE;
  if (cp == ' ' || cp == '\t' || cp == 0x3000)
    return !(cp == 0x3000 && do_nfkc) && !nz_between_han(cur, i);
  if (nz_fullwidth_of(cp) != 0)
    return !(fold && nz_fold_context(cur, i));
  if (is_fullwidth_fold(cp))
    return !do_nfkc || (fold && nz_fold_context(cur, i));
  return !do_nfkc || !((ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1);
}

/* Adds a change found after the scan (which added the line's CR LF and
 * replacements) in input order. */
static void insert_change(FastScratch *s, NzFastChange c)
{
  guint at = s->changes->len;
  while (at > 0 && g_array_index(s->changes, NzFastChange, at - 1).off > c.off)
    at--;
  g_array_insert_val(s->changes, at, c);
}

/* An ASCII mark of the line at cps[k] (its byte at end - 1) that the slow
 * path folds to full width: the fold becomes a change of its own, and the
 * line is checked from then on as the slow path sees it (cps[k] folded).
 * FALSE when that makes a change the fast path does not make. */
static gboolean fold_mark(FastScratch *s, const ScanCtx *x, LineScan *ls, gsize k, guint32 end, guint32 in)
{
  guint32 *cps = s->cps + s->line0;
  guint32 fw = nz_fullwidth_of(cps[k]);
  if (x->t != NULL && (nz_bit(x->t->is_trad, fw) || nz_bit(x->t->is_simp_only, fw)))
    return FALSE; /* t2s would see another character than the scan saw */
  cps[k] = fw;
  if (x->dedup && nz_is_doubled_punct(fw, fw) &&
      ((k > 0 && cps[k - 1] == fw) || (k + 1 < ls->n && cps[k + 1] == fw)))
    return FALSE; /* a doubled mark now */
  insert_change(s, (NzFastChange){end - 1, 1, in, 1, fw, NZ_FAST_FOLD, {0, 0}});
  ls->half--; /* one half-em wider */
  return TRUE;
}

/* A full-width mark of the line at cps[k] (its bytes end at `end`) that
 * the slow path's NFKC makes ASCII and its folding leaves so (no Chinese
 * context, as in `10：30`): a change of its own, and the line is checked
 * from then on with the ASCII mark, as the slow path sees it. FALSE when
 * t2s could tell the two apart. */
static gboolean unfold_mark(FastScratch *s, const ScanCtx *x, LineScan *ls, gsize k, guint32 end, guint32 in)
{
  guint32 *cps = s->cps + s->line0;
  guint32 ascii = cps[k] - 0xFEE0; /* FF01..FF5E are 21..7E */
  if (x->t != NULL && (nz_bit(x->t->is_trad, cps[k]) || nz_bit(x->t->is_simp_only, cps[k]) ||
                       nz_bit(x->t->is_trad, ascii) || nz_bit(x->t->is_simp_only, ascii)))
    return FALSE; /* count_simp sees the input's form */
  cps[k] = ascii;
  insert_change(s, (NzFastChange){end - 3, 3, in, 1, ascii, NZ_FAST_NFKC, {0, 0}});
  ls->half++; /* one half-em narrower */
  return TRUE;
}

/* What NFKC makes of `cp` alone, when it starts an NFKC segment (so in any
 * text it is a segment of its own, one change) and makes one to three BMP
 * characters: packed 16 bits each, 0 otherwise. Asked only of characters
 * the scan sends to a closer look, once each per normalizer (a table over
 * the BMP would cost every process thousands of ICU calls). */
static guint64 expansion_of(FastScratch *s, const UNormalizer2 *nfkc, guint32 cp)
{
  if (s->recent_cp[cp % 64] == cp)
    return s->recent[cp % 64];
  gpointer v = g_hash_table_lookup(s->expansions, GUINT_TO_POINTER(cp));
  if (v != NULL) {
    s->recent_cp[cp % 64] = cp;
    return s->recent[cp % 64] = g_array_index(s->expansion, guint64, GPOINTER_TO_UINT(v) - 1);
  }
  guint64 packed = 0, changed = 0;
  WChar w = {cp, 0, 1};
  GArray *dst = g_array_new(FALSE, FALSE, sizeof(WChar));
  if (cp < 0x10000 && unorm2_hasBoundaryBefore(nfkc, cp) && nz_nfkc(nfkc, &w, 1, dst, &changed, NULL) &&
      changed == 1 && dst->len <= 3)
    for (guint k = 0; k < dst->len; k++) {
      guint32 c = g_array_index(dst, WChar, k).cp;
      if (c == 0 || c == '\n' || c >= 0x10000) {
        packed = 0;
        break;
      }
      packed |= (guint64)c << (16 * k);
    }
  g_array_free(dst, TRUE);
  g_array_append_val(s->expansion, packed);
  g_hash_table_insert(s->expansions, GUINT_TO_POINTER(cp), GUINT_TO_POINTER(s->expansion->len));
  return packed;
}

/* Replaces cps[k] of the line (its bytes end at `end`; `in` input
 * characters of the unit before it) by its expansion `e`, when no later
 * rule looks at the characters it makes but for their widths (no class
 * flag but F_HALF): a change of its own, and the line is checked from then
 * on as the slow path sees it after NFKC. Returns how many characters it
 * made, 0 when it did not. */
static guint expand_char(FastScratch *s, const ScanCtx *x, LineScan *ls, gsize k, guint64 e, guint32 end,
                         guint32 in)
{
  guint32 out[3] = {(guint32)e & 0xFFFF, (guint32)(e >> 16) & 0xFFFF, (guint32)(e >> 32) & 0xFFFF};
  guint m = 0;
  guint32 half = 0;
  for (; m < 3 && out[m] != 0; m++) {
    if ((x->cls[out[m]] & ~(guint32)(F_HALF | F_BAD)) != 0)
      return 0; /* F_BAD: below U+0800 is no rule's business */
    if (x->t != NULL && (nz_bit(x->t->is_trad, out[m]) || nz_bit(x->t->is_simp_only, out[m])))
      return 0; /* count_simp sees the input's form */
    half += x->cls[out[m]] & F_HALF;
  }
  guint32 *cps = s->cps + s->line0, cp = cps[k];
  if (x->t != NULL && (nz_bit(x->t->is_trad, cp) || nz_bit(x->t->is_simp_only, cp)))
    return 0;
  if (s->line0 + ls->n + m >= s->cap) {
    nz_fast_grow_cps(s, s->line0 + ls->n + m);
    cps = s->cps + s->line0;
  }
  memmove(cps + k + m, cps + k + 1, (ls->n - k - 1) * sizeof *cps);
  memcpy(cps + k, out, m * sizeof *cps);
  ls->n += m - 1;
  ls->half += half - (x->cls[cp] & F_HALF);
  guint32 len = cp < 0x800 ? 2 : 3; /* not ASCII: NFKC leaves ASCII alone */
  insert_change(s, (NzFastChange){end - len, len, in, 1, out[0], NZ_FAST_EXPAND, {out[1], out[2]}});
  return m;
}

/* Removes the dropped spaces cps[drops[0..n_drops)] (ascending) from the
 * line: the layout, dedup and the joins see the line without them. */
static void drop_chars(guint32 *cps, LineScan *ls, const guint32 *drops, gsize n_drops)
{
  gsize out = drops[0];
  for (gsize d = 0; d < n_drops; d++) {
    ls->half -= cps[drops[d]] < 0x80; /* a space or tab is half an em */
    gsize next = d + 1 < n_drops ? drops[d + 1] : ls->n;
    for (gsize k = drops[d] + 1; k < next; k++)
      cps[out++] = cps[k];
  }
  ls->n = out;
}

/* NFKC's expansions of the line, first, as in the slow path: every later
 * rule sees what they make. s->shift[j]: how far attn[j] (an index among
 * the input characters) moved, G_MAXUINT32 once it is done. */
static void expand_line(const FastTables *ft, FastScratch *s, const ScanCtx *x, LineScan *ls, guint32 ch)
{
  guint32 shift = 0;
  for (gsize j = 0; j < ls->n_attn; j++) {
    s->shift[j] = shift;
    gsize k = s->attn[j] + shift;
    guint32 cp = s->cps[s->line0 + k];
    gboolean bad = cp >= 0x10000 || ((ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1);
    guint64 e = x->nfkc != NULL && bad ? expansion_of(s, x->nfkc, cp) : 0;
    guint m = e != 0 ? expand_char(s, x, ls, k, e, s->attn_end[j], ch + s->attn[j]) : 0;
    if (m > 0) {
      s->shift[j] = G_MAXUINT32;
      shift += m - 1;
    }
  }
}

/* The contextual rules, asked of the characters that need a closer look
 * only. `ch`: the line's first input character in the unit. */
static gboolean line_stays(const FastTables *ft, FastScratch *s, const ScanCtx *x, LineScan *ls,
                           const NzFastOptions *o, guint32 ch)
{
  expand_line(ft, s, x, ls, ch);
  guint32 *cps = s->cps + s->line0;
  const guint32 *attn = s->attn;
  NzFoldCursor cur; /* the characters below are asked of in increasing order */
  nz_fold_cursor_init(&cur, cps, ls->n, 1);
  gsize n_drops = 0;
  for (gsize j = 0; j < ls->n_attn; j++) {
    if (s->shift[j] == G_MAXUINT32)
      continue;
    gsize k = attn[j] + s->shift[j];
    guint32 in = ch + attn[j]; /* input characters of the unit before it */
    if (nz_is_space(cps[k]) && !(cps[k] == 0x3000 && o->nfkc) && nz_between_han(&cur, k)) {
      /* Typesetting, not text: the slow path drops it (after this loop,
       * whose contexts see it as the slow path's folding does). */
      guint32 len = nz_fast_blank_bytes(cps[k]);
      insert_change(s, (NzFastChange){s->attn_end[j] - len, len, in, 1, 0, NZ_FAST_DROP, {0, 0}});
      s->drops[n_drops++] = (guint32)k;
      continue;
    }
    if (o->fold && nz_fullwidth_of(cps[k]) != 0 && nz_fold_context(&cur, k)) {
      if (!fold_mark(s, x, ls, k, s->attn_end[j], in))
        return FALSE;
      continue;
    }
    if (o->nfkc && is_fullwidth_fold(cps[k]) && !(o->fold && nz_fold_context(&cur, k))) {
      if (!unfold_mark(s, x, ls, k, s->attn_end[j], in))
        return FALSE;
      continue;
    }
    if (!char_stays(ft, &cur, k, o->nfkc, o->fold))
      return FALSE;
  }
  if (n_drops > 0)
    drop_chars(cps, ls, s->drops, n_drops);
  return TRUE;
}

static G_GNUC_NO_INLINE void grow_lines(FastScratch *s)
{
  s->line_cap *= 2;
  s->lines = g_renew(LineInfo, s->lines, s->line_cap);
  s->spans = g_renew(FastLine, s->spans, s->line_cap);
  s->lfs = g_renew(guint32, s->lfs, s->line_cap);
}

gboolean nz_fast_clean(const guchar *bytes, gsize len, const NzFastOptions *o, LayoutState *state, FastScratch *s,
                       gsize *unit_end)
{
  const FastTables *ft = nz_fast_tables();
  if (ft->nfkc == NULL)
    return FALSE;
  ScanCtx x = {
    nz_fast_classes_for(o->t2s != 0 ? o->t : NULL), o->nfkc ? nz_fast_repl_table() : NULL, o->nfkc ? ft->nfkc : NULL,
    o->t2s != 0 ? o->t : NULL, o->t2s, o->dedup, o->join,
  };
  gboolean any_trad = FALSE;
  s->n_lines = s->n_lfs = 0;
  g_array_set_size(s->changes, 0);
  s->n_crlf = 0;
  s->line0 = 0;
  guint32 chars = 0; /* input characters so far */
  gsize i = 0;
  while (i < len) {
    LineScan ls;
    gsize line_start = i;
    if (s->n_lines == s->line_cap) /* a line and an LF at most per turn */
      grow_lines(s);
    if (!nz_fast_scan_line(bytes, len, &i, s, &x, chars, &ls) || !line_stays(ft, s, &x, &ls, o, chars))
      return FALSE;
    if (i < len || i > line_start) {
      FastLine *sp = &s->spans[s->n_lines];
      *sp = (FastLine){(guint32)line_start, (guint32)(i - ls.crlf), chars, (guint32)ls.n_in,
                       (guint32)s->line0, (guint32)ls.n, ls.trad};
      nz_line_info_width(&s->lines[s->n_lines++], s->cps + s->line0, ls.n, 1, 2 * (guint32)ls.n - ls.half);
      any_trad |= ls.trad > 0;
      s->line0 += ls.n; /* the unit's lines stay: the joins may need them */
    }
    chars += (guint32)ls.n_in + ls.crlf;
    if (i < len) {
      i++; /* the line break */
      chars++;
      s->lfs[s->n_lfs++] = chars;
      if (unit_end != NULL && nz_utf8_ends_sentence(bytes, i - 1))
        break;
    }
  }
  if (s->n_lines > 0 && !nz_fast_unit_stays(s, &x, bytes, any_trad, state))
    return FALSE;
  s->n_chars = chars;
  if (unit_end != NULL)
    *unit_end = i;
  return TRUE;
}
