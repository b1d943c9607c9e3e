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
 * chunk to the slow path, which is always correct. */
#include "tokenizer/normalize_private.h"

#include <string.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

#include "nfkc_table.h" /* generated at build time: nz_nfkc_bad_table */

static gpointer build(gpointer unused)
{
  FastTables *t = g_new0(FastTables, 1);
  UVersionInfo v;
  char version[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(v);
  u_versionToString(v, version);
  if (strcmp(version, NZ_NFKC_TABLE_ICU_VERSION) == 0) {
    memcpy(t->nfkc_bad, nz_nfkc_bad_table, sizeof t->nfkc_bad);
  } else {
    /* Another ICU than the build's: its NFKC data may differ. */
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    for (guint32 cp = 0; cp < 0x10000; cp++)
      if (nz_nfkc_bad_rule(U_SUCCESS(status) ? nfkc : NULL, cp))
        t->nfkc_bad[cp >> 3] |= 1u << (cp & 7);
  }
  /* Needs a closer look: NFKC may change it, or a contextual rule may
   * (spaces, CR, BOM, ASCII punctuation that folds). */
  memcpy(t->attn, t->nfkc_bad, sizeof t->attn);
  static const guint32 extra[] = {'\r', ' ', '\t', 0xFEFF, 0x3000};
  for (gsize k = 0; k < G_N_ELEMENTS(extra); k++)
    t->attn[extra[k] >> 3] |= 1u << (extra[k] & 7);
  for (guint32 cp = 0; cp < 0x80; cp++)
    if (nz_fullwidth_of(cp) != 0)
      t->attn[cp >> 3] |= 1u << (cp & 7);
  return t;
}

const FastTables *nz_fast_tables(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build, NULL);
  return once.retval;
}

#define REPL_FIRST 0xFF01u /* full-width ASCII, ！ to ～ */
#define REPL_LAST 0xFF5Eu

/* One full-width character through the slow path's own NFKC step, alone:
 * kept when it becomes one ASCII character that no contextual rule looks at
 * (not a space, break or folding mark: no attn bit), and when it starts an
 * NFKC segment, so that in any text it is a segment of its own and NFKC
 * counts it as one change. Folding, spaces, layout, t2s and dedup then see
 * that ASCII character in the slow path; the fast path substitutes it
 * before asking them. */
static gpointer build_repl(gpointer unused)
{
  guint8 *t = g_new0(guint8, REPL_LAST - REPL_FIRST + 1);
  const FastTables *ft = nz_fast_tables();
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status))
    return t;
  GArray *dst = g_array_new(FALSE, FALSE, sizeof(WChar));
  for (guint32 cp = REPL_FIRST; cp <= REPL_LAST; cp++) {
    WChar w = {cp, 0, 1};
    guint64 changed = 0;
    if (!unorm2_hasBoundaryBefore(nfkc, cp) || !nz_nfkc(nfkc, &w, 1, dst, &changed, NULL))
      continue;
    guint32 c = dst->len == 1 ? g_array_index(dst, WChar, 0).cp : 0;
    if (changed == 1 && c > 0 && c < 0x80 && c != '\n' && !((ft->attn[c >> 3] >> (c & 7)) & 1))
      t[cp - REPL_FIRST] = (guint8)c;
  }
  g_array_free(dst, TRUE);
  return t;
}

const guint8 *nz_fast_repl_table(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_repl, NULL);
  return once.retval;
}

static gboolean is_fullwidth_fold(guint32 cp)
{
  switch (cp) {
  case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: case 0xFF08: case 0xFF09:
    return TRUE;
  default:
    return FALSE;
  }
}

/* Is the character at cps[i] left as it is by the slow path? */
static gboolean char_stays(const FastTables *ft, const guint32 *cps, gsize n, gsize i, gboolean do_nfkc,
                           gboolean fold)
{
  guint32 cp = cps[i];
  if (cp == '\r' || cp == 0xFEFF)
    return FALSE;
  if (cp == ' ' || cp == '\t' || cp == 0x3000) {
    if (cp == 0x3000 && do_nfkc)
      return FALSE;
    gsize l = i, r = i;
    while (l > 0 && nz_is_space(cps[l - 1]))
      l--;
    while (r < n && nz_is_space(cps[r]))
      r++;
    return !(l > 0 && r < n && nz_is_han(cps[l - 1]) && nz_is_han(cps[r]));
  }
  if (nz_fullwidth_of(cp) != 0)
    return !(fold && nz_fold_context(cps, n, i, 1));
  if (is_fullwidth_fold(cp))
    return !do_nfkc || (fold && nz_fold_context(cps, n, i, 1));
  return !do_nfkc || !((ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1);
}

void nz_fast_scratch_init(FastScratch *s)
{
  s->cap = 4096;
  s->cps = g_new(guint32, s->cap);
  s->table = g_new0(guint32, 4096);
  s->lines = g_array_new(FALSE, FALSE, sizeof(LineInfo));
  s->t2s_counts = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->crs = g_array_new(FALSE, FALSE, sizeof(guint32));
  s->repls = g_array_new(FALSE, FALSE, sizeof(NzFastRepl));
  s->flags_cap = 0;
  s->join = s->ustart = NULL;
}

void nz_fast_scratch_clear(FastScratch *s)
{
  g_free(s->cps);
  g_free(s->table);
  g_array_free(s->lines, TRUE);
  g_array_free(s->t2s_counts, TRUE);
  g_array_free(s->crs, TRUE);
  g_array_free(s->repls, TRUE);
  g_free(s->join);
  g_free(s->ustart);
}

/* Decodes one line (up to LF or the end) into s->cps, without a CR that
 * stands right before the LF (recorded in s->crs). Sets *attn to the index of
 * the first character that needs a closer look (left alone when none does:
 * the caller's look starts there, not at the line's start), *trad / *simp
 * for t2s auto. Returns FALSE when the line cannot be clean whatever its
 * context. */
static gboolean scan_line(const guchar *bytes, gsize len, gsize *pos, FastScratch *s, gsize *n_out,
                          const FastTables *ft, const UNormalizer2 *nfkc, const guint8 *repl, int t2s,
                          const T2sTable *t, gboolean dedup, gsize *attn, guint32 *trad, guint32 *simp)
{
  gsize i = *pos, n = 0;
  guint32 prev = 0;
  while (i < len && bytes[i] != '\n') {
    if (n + 1 >= s->cap) {
      s->cap *= 2;
      s->cps = g_renew(guint32, s->cps, s->cap);
    }
    guint32 cp;
    if (bytes[i] < 0x80) {
      cp = bytes[i++];
      if (cp == '\r' && i < len && bytes[i] == '\n') {
        /* CR LF becomes LF: the one change made here (the map says so). */
        guint32 off = (guint32)(i - 1);
        g_array_append_val(s->crs, off);
        break;
      }
    } else {
      guint k;
      gint32 c = zhseg_utf8_decode_fast(bytes + i, len - i, &k); /* CJK inline */
      if (c < 0)
        return FALSE;
      cp = (guint32)c;
      i += k;
      if (repl != NULL && cp - REPL_FIRST <= REPL_LAST - REPL_FIRST && repl[cp - REPL_FIRST] != 0) {
        /* What NFKC makes of it here: every later rule sees that. */
        NzFastRepl rp = {(guint32)(i - k), repl[cp - REPL_FIRST]};
        g_array_append_val(s->repls, rp);
        cp = rp.repl;
      }
    }
    if (cp < 0x10000) {
      if (((ft->attn[cp >> 3] >> (cp & 7)) & 1) && *attn > n)
        *attn = n;
    } else if (nfkc != NULL) {
      UChar u[2];
      int32_t ul = 0;
      UErrorCode st = U_ZERO_ERROR;
      U16_APPEND_UNSAFE(u, ul, cp);
      if (!unorm2_isNormalized(nfkc, u, ul, &st) || !unorm2_hasBoundaryBefore(nfkc, cp))
        return FALSE;
    }
    if (t != NULL && t2s != 0) {
      /* on: any traditional character is a change. auto: counted, and
       * decided per unit by the caller, as the slow path decides. */
      if (nz_bit(t->is_trad, cp)) {
        if (t2s == 1)
          return FALSE;
        (*trad)++;
      }
      *simp += nz_bit(t->is_simp_only, cp);
    }
    if (dedup && cp == prev && nz_is_doubled_punct(cp, prev))
      return FALSE;
    prev = cp;
    s->cps[n++] = cp;
  }
  *pos = i;
  *n_out = n;
  return TRUE;
}

/* Would the slow path join a line, or convert a unit (t2s auto)? */
static gboolean layout_changes(FastScratch *s, int t2s, int join, LayoutState *state)
{
  guint nl = s->lines->len;
  if (nl > s->flags_cap) {
    s->flags_cap = MAX(nl, 2 * s->flags_cap);
    s->join = g_renew(gboolean, s->join, s->flags_cap);
    s->ustart = g_renew(gboolean, s->ustart, s->flags_cap);
  }
  LayoutState st = *state;
  nz_layout_decide((LineInfo *)s->lines->data, nl, join, &st, s->join, s->ustart);
  for (guint k = 0; k < nl; k++)
    if (s->join[k])
      return TRUE;
  /* t2s auto: would any unit be converted? (the rule of nz_t2s_apply) */
  const guint32 *cnt = (const guint32 *)s->t2s_counts->data;
  for (guint k = 0; k < nl && t2s == 2;) {
    guint64 tr = 0, si = 0;
    guint e = k;
    do {
      tr += cnt[2 * e];
      si += cnt[2 * e + 1];
      e++;
    } while (e < nl && !s->ustart[e]);
    if (tr > 0 && tr > si)
      return TRUE;
    k = e;
  }
  *state = st;
  return FALSE;
}

gboolean nz_fast_clean(const guchar *bytes, gsize len, gboolean do_nfkc, gboolean fold, int t2s,
                       const T2sTable *t, int join, gboolean dedup, LayoutState *state,
                       FastScratch *s, guint64 *n_chars)
{
  const FastTables *ft = nz_fast_tables();
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status))
    return FALSE;
  g_array_set_size(s->lines, 0);
  g_array_set_size(s->t2s_counts, 0);
  g_array_set_size(s->crs, 0);
  g_array_set_size(s->repls, 0);
  s->n_refolded = 0;
  const guint8 *repl = do_nfkc ? nz_fast_repl_table() : NULL;
  guint64 chars = 0;
  gsize i = 0;
  while (i < len) {
    gsize n;
    guint32 trad = 0, simp = 0;
    gsize attn = G_MAXSIZE; /* no character needs a closer look */
    gsize line_start = i;
    if (!scan_line(bytes, len, &i, s, &n, ft, do_nfkc ? nfkc : NULL, repl, t2s, t, dedup, &attn, &trad, &simp))
      return FALSE;
    const guint32 *cps = s->cps;
    chars += n;
    for (gsize k = attn; k < n; k++) {
      if (cps[k] >= 0x10000 || !((ft->attn[cps[k] >> 3] >> (cps[k] & 7)) & 1))
        continue;
      if (!char_stays(ft, cps, n, k, do_nfkc, fold))
        return FALSE;
      /* The slow path counts these as changed twice (its statistics). */
      s->n_refolded += do_nfkc && is_fullwidth_fold(cps[k]);
    }
    gsize st, p;
    guint c;
    if (dedup && n >= 8 && nz_dedup_find(cps, n, 1, 0, s->table, &st, &p, &c))
      return FALSE;
    if (i < len || i > line_start) {
      LineInfo li;
      nz_line_info(&li, cps, n, 1);
      g_array_append_val(s->lines, li);
      guint32 counts[2] = {trad, simp};
      g_array_append_vals(s->t2s_counts, counts, 2);
    }
    if (i < len) {
      i++; /* the line break */
      chars++;
    }
  }
  if (s->lines->len > 0 && layout_changes(s, t2s, join, state))
    return FALSE;
  *n_chars = chars + s->crs->len;
  return TRUE;
}
