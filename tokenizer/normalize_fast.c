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
  UErrorCode st = U_ZERO_ERROR;
  t->nfkc = unorm2_getNFKCInstance(&st);
  if (U_FAILURE(st))
    t->nfkc = NULL;
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

/* Does the space at cps[i] stand between two Han characters (with maybe
 * other spaces), where nz_spaces_and_crlf drops it? */
static gboolean between_han(const guint32 *cps, gsize n, gsize i)
{
  gsize l = i, r = i;
  while (l > 0 && nz_is_space(cps[l - 1]))
    l--;
  while (r < n && nz_is_space(cps[r]))
    r++;
  return l > 0 && r < n && nz_is_han(cps[l - 1]) && nz_is_han(cps[r]);
}

/* Is the character at cps[i] left as it is by the slow path? */
static gboolean char_stays(const FastTables *ft, const guint32 *cps, gsize n, gsize i, gboolean do_nfkc,
                           gboolean fold)
{
  guint32 cp = cps[i];
  if (cp == '\r' || cp == 0xFEFF)
    return FALSE;
  if (cp == ' ' || cp == '\t' || cp == 0x3000)
    return !(cp == 0x3000 && do_nfkc) && !between_han(cps, n, i);
  if (nz_fullwidth_of(cp) != 0)
    return !(fold && nz_fold_context(cps, n, i, 1));
  if (is_fullwidth_fold(cp))
    return !do_nfkc || (fold && nz_fold_context(cps, n, i, 1));
  return !do_nfkc || !((ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1);
}

/* ------------------------------------------------------------ classes */

/* What the scan must know of a BMP code point, one byte per code point, so
 * that a character that needs nothing (most Han) costs one load and one
 * test. Built from the predicates the slow path uses. */
enum {
  F_HALF = 1 << 0,   /* counts one half-em in the layout's widths */
  F_ATTN = 1 << 2,   /* FastTables.attn: needs a closer look */
  F_DPUNCT = 1 << 3, /* a sentence mark dedup reduces when doubled */
  F_REPL = 1 << 4,   /* in nz_fast_repl_table */
  F_TRAD = 1 << 5,   /* t2s: has a simplified form (T2sTable.is_trad) */
  F_BAD = 1 << 6,    /* never three bytes of valid UTF-8: below U+0800, or a surrogate */
};
#define F_RARE (F_REPL | F_TRAD | F_BAD)

typedef struct {
  guint8 plain[0x10000];
  guint8 t2s[0x10000]; /* plain with the t2s bits, once a T2sTable is loaded */
} FastClasses;

/* Fills the flags range by range: a call per code point costs a few
 * million instructions, paid by every process. */
static void set_range(guint8 *c, guint32 first, guint32 last, guint8 f)
{
  for (guint32 cp = first; cp <= last; cp++)
    c[cp] |= f;
}

static gpointer build_classes(gpointer unused)
{
  FastClasses *fc = g_new0(FastClasses, 1);
  guint8 *c = fc->plain;
  const FastTables *ft = nz_fast_tables();
  const guint8 *repl = nz_fast_repl_table();
  for (guint32 b = 0; b < 0x10000 / 8; b++)
    if (ft->attn[b] != 0)
      for (guint32 k = 0; k < 8; k++)
        c[b * 8 + k] |= (ft->attn[b] >> k) & 1 ? F_ATTN : 0;
  /* the half-width characters of nz_layout_char_width2 */
  set_range(c, 0, 0x7F, F_HALF);
  set_range(c, 0x2018, 0x201F, F_HALF);
  set_range(c, 0x300C, 0x300F, F_HALF);
  static const guint32 doubled[] = {0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A}; /* nz_is_doubled_punct */
  for (gsize k = 0; k < G_N_ELEMENTS(doubled); k++)
    c[doubled[k]] |= F_DPUNCT;
  for (guint32 cp = REPL_FIRST; cp <= REPL_LAST; cp++)
    if (repl[cp - REPL_FIRST] != 0)
      c[cp] |= F_REPL;
  set_range(c, 0, 0x7FF, F_BAD);
  set_range(c, 0xD800, 0xDFFF, F_BAD);
  return fc;
}

static const FastClasses *fast_classes(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_classes, NULL);
  return once.retval;
}

gboolean nz_fast_check_classes(void)
{
  const guint8 *c = fast_classes()->plain;
  const FastTables *ft = nz_fast_tables();
  const guint8 *repl = nz_fast_repl_table();
  for (guint32 cp = 0; cp < 0x10000; cp++) {
    guint8 f = 0;
    f |= (ft->attn[cp >> 3] >> (cp & 7)) & 1 ? F_ATTN : 0;
    f |= nz_layout_char_width2(cp) == 1 ? F_HALF : 0;
    f |= nz_is_doubled_punct(cp, cp) ? F_DPUNCT : 0;
    f |= cp >= REPL_FIRST && cp <= REPL_LAST && repl[cp - REPL_FIRST] != 0 ? F_REPL : 0;
    f |= cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? F_BAD : 0;
    if (c[cp] != f)
      return FALSE;
  }
  return TRUE;
}

/* The class table to scan with: the t2s bit only when t2s is asked (there
 * is one T2sTable per process, so it is added once). Simplified-only
 * characters are common and matter only in a unit that holds a traditional
 * one: they are counted then (count_simp), not by the scan. */
static const guint8 *classes_for(const T2sTable *t)
{
  static gsize t2s_done;
  FastClasses *c = (FastClasses *)fast_classes();
  if (t == NULL)
    return c->plain;
  if (g_once_init_enter(&t2s_done)) {
    memcpy(c->t2s, c->plain, sizeof c->t2s);
    for (guint32 k = 0; k < t->n_trad && t->trad[k] < 0x10000; k++) /* ascending */
      c->t2s[t->trad[k]] |= F_TRAD;
    g_once_init_leave(&t2s_done, 1);
  }
  return c->t2s;
}

/* ------------------------------------------------------------ scratch */

/* Dedup's filter (see scan_line): a table of the last position of each
 * character pair, by hash. 4096 entries stay in L1; a collision can only
 * make the filter say "maybe", never hide a repetition. */
#define PAIR_BITS 12
#define PAIR_WINDOW 64 /* = MAX_RUN of normalize_dedup.c */

void nz_fast_scratch_init(FastScratch *s)
{
  s->cap = 4096;
  s->cps = g_new(guint32, s->cap);
  s->attn = g_new(guint32, s->cap);
  s->attn_end = g_new(guint32, s->cap);
  s->drops = g_new(guint32, s->cap);
  s->shift = g_new(guint32, s->cap);
  s->expansions = g_hash_table_new(NULL, NULL);
  s->expansion = g_array_new(FALSE, FALSE, sizeof(guint64));
  s->table = g_new0(guint32, 4096);
  s->pairs = g_new0(guint32, 1u << PAIR_BITS);
  s->pos = 1u << 20; /* far from the zeroed entries */
  s->line_cap = 64;
  s->lines = g_new(LineInfo, s->line_cap);
  s->spans = g_new(FastLine, s->line_cap);
  s->lfs = g_new(guint32, s->line_cap);
  s->jcap = 256;
  s->jcps = g_new(guint32, s->jcap);
  s->changes = g_array_new(FALSE, FALSE, sizeof(NzFastChange));
  s->joins = g_array_new(FALSE, FALSE, sizeof(NzFastChange));
  s->merged = g_array_new(FALSE, FALSE, sizeof(NzFastChange));
  s->flags_cap = 0;
  s->join = s->ustart = NULL;
}

void nz_fast_scratch_clear(FastScratch *s)
{
  g_free(s->cps);
  g_free(s->table);
  g_free(s->pairs);
  g_free(s->lines);
  g_free(s->spans);
  g_free(s->lfs);
  g_free(s->jcps);
  g_array_free(s->changes, TRUE);
  g_array_free(s->joins, TRUE);
  g_array_free(s->merged, TRUE);
  g_free(s->attn);
  g_free(s->attn_end);
  g_free(s->drops);
  g_free(s->shift);
  g_hash_table_destroy(s->expansions);
  g_array_free(s->expansion, TRUE);
  g_free(s->join);
  g_free(s->ustart);
}

/* ------------------------------------------------------------ the scan */

typedef struct {
  const guint8 *cls;        /* classes_for() */
  const guint8 *repl;       /* nz_fast_repl_table(), NULL without NFKC */
  const UNormalizer2 *nfkc; /* NULL without NFKC */
  const T2sTable *t;        /* NULL without t2s */
  int t2s;
  gboolean dedup;
  int join;
} ScanCtx;

/* What scan_line found out about its line besides the code points. */
typedef struct {
  gsize n;        /* characters (not counting a CR before the LF, nor the LF), less those dropped */
  gsize n_in;     /* input characters (not counting a CR before the LF, nor the LF) */
  gsize n_attn;   /* of them, those that need a closer look (their indices in s->attn) */
  guint32 half;   /* of them, F_HALF ones */
  guint32 trad;
  gboolean crlf;      /* it ends in CR LF */
} LineScan;

/* Flags of a code point beyond the BMP (rare): FALSE when NFKC could
 * change it. */
static G_GNUC_NO_INLINE gboolean astral_flags(const ScanCtx *x, guint32 cp, guint32 *f)
{
  if (x->nfkc != NULL) {
    UChar u[2];
    int32_t ul = 0;
    UErrorCode st = U_ZERO_ERROR;
    U16_APPEND_UNSAFE(u, ul, cp);
    if (!unorm2_isNormalized(x->nfkc, u, ul, &st) || !unorm2_hasBoundaryBefore(x->nfkc, cp))
      return FALSE;
  }
  *f = 0;
  if (x->t != NULL)
    *f |= nz_bit(x->t->is_trad, cp) ? F_TRAD : 0;
  return TRUE;
}

/* The helpers below return a character as one value, code point and flags
 * (and length), so that the scan's variables stay in registers. */
#define PACK(cp, f, len) ((guint64)(cp) | (guint64)(f) << 32 | (guint64)(len) << 48)
#define PACK_CP(v) ((guint32)(v))
#define PACK_F(v) ((guint32)((v) >> 32) & 0xFFFF)
#define PACK_LEN(v) ((gsize)((v) >> 48))
#define NOT_CLEAN G_MAXUINT64

/* The uncommon flags of a character (F_RARE): a replaced full-width
 * character is substituted (what NFKC makes of it is what every later rule
 * sees), a traditional one counted. Returns the code point the rules see
 * and its flags less F_RARE, or NOT_CLEAN when the line cannot be clean
 * whatever its context. Out of the scan's loop, which stays small. */
static G_GNUC_NO_INLINE guint64 note_rare(const ScanCtx *x, FastScratch *s, LineScan *ls, guint32 cp, guint32 f,
                                          gsize end, guint32 ch)
{
  if (f & F_BAD)
    return NOT_CLEAN;
  if ((f & F_REPL) && x->repl != NULL) {
    NzFastChange c = {(guint32)end - 3, 3, ch, 1, x->repl[cp - REPL_FIRST], NZ_FAST_NFKC, {0, 0}};
    g_array_append_val(s->changes, c);
    cp = c.cp;
    f = x->cls[cp];
  }
  if (f & F_TRAD) {
    /* on: any traditional character is a change. auto: counted, and
     * decided per unit by the caller, as the slow path decides. */
    if (x->t2s == 1)
      return NOT_CLEAN;
    ls->trad++;
  }
  return PACK(cp, f & ~(guint32)F_RARE, 0);
}

/* A character that is not ASCII nor three bytes of valid UTF-8 (or where
 * the scan cannot load four bytes): decoded with the general decoder.
 * Returns it with its length, or NOT_CLEAN when it is invalid or when NFKC
 * could change it. */
static G_GNUC_NO_INLINE guint64 decode_other(const ScanCtx *x, const guchar *b, gsize len)
{
  guint k;
  gint32 d = zhseg_utf8_decode(b, len, &k);
  if (d < 0)
    return NOT_CLEAN;
  guint32 cp = (guint32)d, f;
  if (cp < 0x10000)
    f = x->cls[cp] & ~(guint32)F_BAD;
  else if (!astral_flags(x, cp, &f))
    return NOT_CLEAN;
  return PACK(cp, f, k);
}

/* Dedup's filter over the n characters of a line. A run repeated with
 * period p (4..64) repeats each of its character pairs p characters later.
 * `pairs` remembers, by hash, where each pair was last seen (a collision
 * or a later copy only makes that nearer), so the p - 1 pairs that end in
 * the run's second copy are each seen again at most p characters after
 * their last sighting: at the copy's last character, a streak of
 * r >= p - 1 >= 3 such pairs ends with one seen at most p <= r + 1
 * characters before. Without such a streak there is no repeated run and
 * the exact search (nz_dedup_find, linear but costlier) is skipped:
 * repeated words far apart (信息技术 ... 信息技术) do not call it. */
static gboolean maybe_repeated(FastScratch *s, const guint32 *cps, gsize n)
{
  guint32 *pairs = s->pairs, base = s->pos, prev = 0x200000, run = 0;
  s->pos = base + (guint32)n;
#pragma GCC unroll 4
  for (gsize k = 0; k < n; k++) {
    guint32 cp = cps[k];
    guint32 h = (prev << 5 ^ cp) & ((1u << PAIR_BITS) - 1); /* any key will do: see above */
    guint32 dist = base + (guint32)k - pairs[h];
    pairs[h] = base + (guint32)k;
    run = dist - 1 < PAIR_WINDOW ? run + 1 : 0;
    /* Stopping here leaves the rest of the line unrecorded: a later line
     * records its own pairs before it can meet them again. */
    if (G_UNLIKELY(run >= 3) && dist <= run + 1)
      return TRUE;
    prev = cp;
  }
  return FALSE;
}

/* A character the scan keeps as cps[*n] (cps: the line's code points),
 * its flags `f` noted (the common f == 0 costs one store). `end`: the byte
 * after it. FALSE when the line cannot be clean whatever its context. */
static G_ALWAYS_INLINE inline gboolean keep_char(const ScanCtx *x, FastScratch *s, LineScan *ls, guint32 *cps,
                                                 gsize *n, guint32 *half, guint32 cp, guint32 f, gsize end,
                                                 guint32 ch)
{
  if (G_UNLIKELY(f != 0)) {
    if (f & F_RARE) {
      guint64 v = note_rare(x, s, ls, cp, f, end, ch + (guint32)*n);
      if (v == NOT_CLEAN)
        return FALSE;
      cp = PACK_CP(v);
      f = PACK_F(v);
    }
    *half += f & F_HALF;
    if (f & F_ATTN) {
      s->attn[ls->n_attn] = (guint32)*n;
      s->attn_end[ls->n_attn++] = (guint32)end;
    }
    if ((f & F_DPUNCT) && *n > 0 && cps[*n - 1] == cp && x->dedup)
      return FALSE;
  }
  cps[(*n)++] = cp;
  return TRUE;
}

/* Two three-byte sequences in the low six bytes of w (LE), decoded at
 * once: the code points in bits 0..15 and 24..39 (each field of a
 * sequence moves by the same shift in both). */
static inline guint64 decode3x2(guint64 w)
{
  return (w & 0x0F00000Fu) << 12 | (w & 0x3F00003F00u) >> 2 | (w & 0x3F00003F0000u) >> 16;
}

/* Hot path (measured: most clean input is runs of three-byte characters):
 * four characters, twelve bytes, validated by two masked compares of
 * words instead of a test per byte, decoded two at a time, stored at c
 * (the caller keeps room) and classified by four loads whose flags are
 * tested at once. Returns the flags or'ed, or NOT_FOUR when the 12 bytes
 * are not four three-byte sequences (the caller then goes one character
 * at a time); F_BAD still catches overlongs and surrogates. Needs 16
 * loadable bytes at b. */
#define NOT_FOUR 0x100u
static G_ALWAYS_INLINE inline guint32 take_four(const guchar *b, const guint8 *cls, guint32 *c)
{
  guint64 lo, hi;
  memcpy(&lo, b, 8);
  memcpy(&hi, b + 8, 8);
  lo = GUINT64_FROM_LE(lo);
  hi = GUINT64_FROM_LE(hi);
  /* lead bytes 1110xxxx at 0, 3, 6, 9; continuation 10xxxxxx elsewhere */
  if ((lo & 0xC0F0C0C0F0C0C0F0u) != 0x80E08080E08080E0u || (hi & 0xC0C0F0C0u) != 0x8080E080u)
    return NOT_FOUR;
  guint64 c01 = decode3x2(lo), c23 = decode3x2(lo >> 48 | hi << 16);
  guint32 c0 = (guint32)c01 & 0xFFFF, c1 = (guint32)(c01 >> 24) & 0xFFFF;
  guint32 c2 = (guint32)c23 & 0xFFFF, c3 = (guint32)(c23 >> 24) & 0xFFFF;
  c[0] = c0;
  c[1] = c1;
  c[2] = c2;
  c[3] = c3;
  return cls[c0] | cls[c1] | cls[c2] | cls[c3];
}

/* Room for `need` code points in s->cps (and as many attn entries). */
static G_GNUC_NO_INLINE void grow_cps(FastScratch *s, gsize need)
{
  while (s->cap <= need)
    s->cap *= 2;
  s->cps = g_renew(guint32, s->cps, s->cap);
  s->attn = g_renew(guint32, s->attn, s->cap);
  s->attn_end = g_renew(guint32, s->attn_end, s->cap);
  s->drops = g_renew(guint32, s->drops, s->cap);
  s->shift = g_renew(guint32, s->shift, s->cap);
}

/* Decodes one line (up to LF or the end) into s->cps from s->line0 on,
 * without a CR that stands right before the LF (a change, in s->changes):
 * each character is validated and classified by one table load. `ch` is
 * the line's first input character, counted from the unit's start. Returns FALSE when
 * the line cannot be clean whatever its context. */
static gboolean scan_line(const guchar *b, gsize len, gsize *pos, FastScratch *s, const ScanCtx *x, guint32 ch,
                          LineScan *ls)
{
  const guint8 *cls = x->cls;
  guint32 half = 0;
  gsize i = *pos, n = 0;
  guint32 *cps = s->cps + s->line0;
  memset(ls, 0, sizeof *ls);
  for (;;) {
    /* A character takes at least a byte: up to `lim`, cps and attn have
     * room; before `lim4`, four bytes can be loaded. */
    if (s->line0 + n + 1 >= s->cap) {
      grow_cps(s, s->line0 + n + 1);
      cps = s->cps + s->line0;
    }
    gsize lim = MIN(len, i + (s->cap - s->line0 - n - 1)), lim4 = len >= 4 ? MIN(lim, len - 3) : 0;
    /* before lim16, 16 bytes can be loaded and 12 characters stored */
    gsize lim16 = len >= 16 && lim >= 12 ? MIN(lim - 12, len - 16) + 1 : 0;
    while (i < lim) {
      guint32 w, cp, f;
      if (G_LIKELY(i < lim4)) {
        memcpy(&w, b + i, 4);
        w = GUINT32_FROM_LE(w);
      } else {
        w = b[i] < 0x80 ? b[i] : 0xFF; /* near the end: ASCII, or the general decoder's case */
      }
      guint32 f4;
      if ((w & 0xC0C0F0) == 0x8080E0 && i < lim16 && (f4 = take_four(b + i, cls, cps + n)) != NOT_FOUR) {
        do {
          if (G_LIKELY(f4 == 0)) {
            n += 4;
          } else {
            /* cps[n] holds the k-th character until keep_char stores it */
            for (int k = 0; k < 4; k++)
              if (!keep_char(x, s, ls, cps, &n, &half, cps[n], cls[cps[n]], i + 3 * (k + 1), ch))
                return FALSE;
          }
          i += 12;
        } while (i < lim16 && (f4 = take_four(b + i, cls, cps + n)) != NOT_FOUR);
        continue;
      }
      if ((w & 0xC0C0F0) == 0x8080E0) {
        /* three bytes: all of CJK, inline (F_BAD: overlong or surrogate) */
        cp = zhseg_utf8_decode3(w);
        f = cls[cp];
        i += 3;
      } else if ((w & 0x80) == 0) {
        cp = w & 0x7F;
        if (cp == '\n')
          goto done;
        if (cp == '\r' && i + 1 < len && b[i + 1] == '\n') {
          /* CR LF becomes LF: the one change made here (the map says so). */
          NzFastChange cr = {(guint32)i, 2, ch + (guint32)n, 2, '\n', NZ_FAST_CRLF, {0, 0}};
          g_array_append_val(s->changes, cr);
          s->n_crlf++;
          ls->crlf = TRUE;
          i++;
          goto done;
        }
        f = cls[cp] & ~(guint32)F_BAD;
        i++;
      } else {
        guint64 v = decode_other(x, b + i, len - i);
        if (v == NOT_CLEAN)
          return FALSE;
        cp = PACK_CP(v);
        f = PACK_F(v);
        i += PACK_LEN(v);
      }
      if (!keep_char(x, s, ls, cps, &n, &half, cp, f, i, ch))
        return FALSE;
    }
    if (i >= len)
      break;
  }
done:
  ls->n = ls->n_in = n;
  ls->half = half;
  *pos = i;
  return TRUE;
}

/* Simplified-only characters of bytes[start..end), a line the scan
 * found clean (valid UTF-8), as the slow path sees them (after the
 * replacements). */
static guint32 count_simp(const ScanCtx *x, const guchar *b, gsize start, gsize end)
{
  guint32 simp = 0;
  for (gsize i = start; i < end;) {
    guint k;
    guint32 cp = (guint32)zhseg_utf8_decode(b + i, end - i, &k);
    i += k;
    if (x->repl != NULL && cp >= REPL_FIRST && cp <= REPL_LAST && x->repl[cp - REPL_FIRST] != 0)
      cp = x->repl[cp - REPL_FIRST];
    simp += nz_bit(x->t->is_simp_only, cp);
  }
  return simp;
}

/* Would the slow path convert a unit (t2s auto)? (the rule of nz_t2s_apply;
 * joins remove blanks and breaks only, which it does not count) */
static gboolean t2s_converts(const FastScratch *s, const ScanCtx *x, const guchar *bytes)
{
  guint nl = s->n_lines;
  const FastLine *sp = s->spans;
  for (guint k = 0; k < nl;) {
    guint64 tr = 0, si = 0;
    guint e = k;
    do {
      tr += sp[e].trad;
      e++;
    } while (e < nl && !s->ustart[e]);
    if (tr > 0) {
      for (guint j = k; j < e; j++)
        si += count_simp(x, bytes, sp[j].start, sp[j].end);
      if (tr > si)
        return TRUE;
    }
    k = e;
  }
  return FALSE;
}

/* Bytes of a blank the joins drop (nz_is_space: space, tab, U+3000). */
static guint32 blank_bytes(guint32 cp)
{
  return cp < 0x80 ? 1 : 3;
}

/* Appends cps[0..n) to the joined line being built in s->jcps. */
static void join_append(FastScratch *s, gsize *jn, const guint32 *cps, gsize n)
{
  if (*jn + n > s->jcap) {
    s->jcap = MAX(*jn + n, 2 * s->jcap);
    s->jcps = g_renew(guint32, s->jcps, s->jcap);
  }
  memcpy(s->jcps + *jn, cps, n * sizeof *cps);
  *jn += n;
}

/* Would dedup's search find a repeated run in a line of the text as the
 * slow path's dedup sees it? Its filter first (maybe_repeated), which
 * lets most lines skip the exact search. */
static gboolean repeats(FastScratch *s, const guint32 *cps, gsize n)
{
  gsize start, period;
  guint copies;
  return n >= 8 && maybe_repeated(s, cps, n) && nz_dedup_find(cps, n, 1, 0, s->table, &start, &period, &copies);
}

/* The joins of the lines from line k on (k joined to the next non-blank
 * line, maybe that one to the next...), as nz_layout_apply makes them: the
 * blanks at the end of a joined line, its break, the blank lines and the
 * blanks at the start of the next line are removed, or become one space
 * between two Latin letters or digits. Appends a change per join to
 * s->joins, and checks the line they make as the slow path's dedup sees it
 * (its search runs per line of the joined text). Returns the last line of
 * the chain, or G_MAXUINT when dedup would change the joined line. */
static guint join_chain(FastScratch *s, const ScanCtx *x, guint k)
{
  const FastLine *sp = s->spans;
  gsize jn = 0;
  guint32 lead = 0; /* blanks dropped at the start of line k */
  while (s->join[k]) {
    const guint32 *c = s->cps + sp[k].cp0;
    guint32 e = sp[k].n, tail = 0;
    while (e > lead && nz_is_space(c[e - 1]))
      tail += blank_bytes(c[--e]);
    join_append(s, &jn, c + lead, e - lead);
    guint j = k + 1;
    while (s->lines[j].blank)
      j++;
    const guint32 *cj = s->cps + sp[j].cp0;
    guint32 lj = 0, head = 0;
    while (lj < sp[j].n && nz_is_space(cj[lj]))
      head += blank_bytes(cj[lj++]);
    gboolean space = nz_join_keeps_space(c[e - 1], cj[lj]);
    if (space)
      join_append(s, &jn, (const guint32[]){' '}, 1);
    else if (x->dedup && nz_is_doubled_punct(c[e - 1], cj[lj]))
      return G_MAXUINT; /* a doubled mark across the join */
    /* (the blanks it drops are input characters: spaces between Han,
     * which the line has dropped already, are not at its ends) */
    guint32 off = sp[k].end - tail, och = sp[k].ch + sp[k].n_in - (sp[k].n - e);
    NzFastChange jc = {off, sp[j].start + head - off, och, sp[j].ch + lj - och, space ? ' ' : 0, NZ_FAST_JOIN, {0, 0}};
    g_array_append_val(s->joins, jc);
    k = j;
    lead = lj;
  }
  join_append(s, &jn, s->cps + sp[k].cp0 + lead, sp[k].n - lead);
  return x->dedup && repeats(s, s->jcps, jn) ? G_MAXUINT : k;
}

/* s->changes with the joins merged in, in input order. A join's gap holds
 * blanks and breaks only: its CR LF pairs are no changes of their own (the
 * slow path still counts them). FALSE if another change stood in a gap. */
static gboolean merge_joins(FastScratch *s)
{
  GArray *out = s->merged;
  g_array_set_size(out, 0);
  const NzFastChange *c = (const NzFastChange *)s->changes->data, *j = (const NzFastChange *)s->joins->data;
  guint nc = s->changes->len, nj = s->joins->len, a = 0, b = 0;
  const NzFastChange *gap = NULL; /* the last join added */
  gboolean ok = TRUE;
  while (a < nc || b < nj) {
    if (b < nj && (a == nc || j[b].off <= c[a].off)) {
      gap = &j[b++];
      g_array_append_val(out, *gap);
    } else if (gap != NULL && c[a].off < gap->off + gap->len) {
      ok &= c[a++].kind == NZ_FAST_CRLF;
    } else {
      g_array_append_val(out, c[a++]);
    }
  }
  s->merged = s->changes;
  s->changes = out;
  return ok;
}

/* The steps of the slow path after the line-local ones, over the unit's
 * lines: the layout decision, whose joins become changes (s->changes);
 * dedup's search over each line of the text it makes (run here, once the
 * lines are known, so that a joined line is searched once, as a whole);
 * t2s auto. FALSE when one of them would change the unit otherwise. The
 * layout state moves on when TRUE. */
static gboolean unit_stays(FastScratch *s, const ScanCtx *x, const guchar *bytes, gboolean any_trad,
                             LayoutState *state)
{
  guint nl = s->n_lines;
  if (nl > s->flags_cap) {
    s->flags_cap = MAX(nl, 2 * s->flags_cap);
    s->join = g_renew(gboolean, s->join, s->flags_cap);
    s->ustart = g_renew(gboolean, s->ustart, s->flags_cap);
  }
  LayoutState st = *state;
  nz_layout_decide(s->lines, nl, x->join, &st, s->join, s->ustart);
  g_array_set_size(s->joins, 0);
  for (guint k = 0; k < nl; k++) {
    if (s->join[k]) {
      k = join_chain(s, x, k);
      if (k == G_MAXUINT)
        return FALSE;
    } else if (x->dedup && repeats(s, s->cps + s->spans[k].cp0, s->spans[k].n)) {
      return FALSE;
    }
  }
  if (s->joins->len > 0 && !merge_joins(s))
    return FALSE;
  if (x->t2s == 2 && any_trad && t2s_converts(s, x, bytes))
    return FALSE;
  *state = st;
  return TRUE;
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
  gpointer v = g_hash_table_lookup(s->expansions, GUINT_TO_POINTER(cp));
  if (v != NULL)
    return g_array_index(s->expansion, guint64, GPOINTER_TO_UINT(v) - 1);
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
    grow_cps(s, s->line0 + ls->n + m);
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
  gsize n_drops = 0;
  for (gsize j = 0; j < ls->n_attn; j++) {
    if (s->shift[j] == G_MAXUINT32)
      continue;
    gsize k = attn[j] + s->shift[j];
    guint32 in = ch + attn[j]; /* input characters of the unit before it */
    if (nz_is_space(cps[k]) && !(cps[k] == 0x3000 && o->nfkc) && between_han(cps, ls->n, k)) {
      /* Typesetting, not text: the slow path drops it (after this loop,
       * whose contexts see it as the slow path's folding does). */
      guint32 len = cps[k] < 0x80 ? 1 : 3;
      insert_change(s, (NzFastChange){s->attn_end[j] - len, len, in, 1, 0, NZ_FAST_DROP, {0, 0}});
      s->drops[n_drops++] = (guint32)k;
      continue;
    }
    if (o->fold && nz_fullwidth_of(cps[k]) != 0 && nz_fold_context(cps, ls->n, k, 1)) {
      if (!fold_mark(s, x, ls, k, s->attn_end[j], in))
        return FALSE;
      continue;
    }
    if (o->nfkc && is_fullwidth_fold(cps[k]) && !(o->fold && nz_fold_context(cps, ls->n, k, 1))) {
      if (!unfold_mark(s, x, ls, k, s->attn_end[j], in))
        return FALSE;
      continue;
    }
    if (!char_stays(ft, cps, ls->n, k, o->nfkc, o->fold))
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
    classes_for(o->t2s != 0 ? o->t : NULL), o->nfkc ? nz_fast_repl_table() : NULL, o->nfkc ? ft->nfkc : NULL,
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
    if (!scan_line(bytes, len, &i, s, &x, chars, &ls) || !line_stays(ft, s, &x, &ls, o, chars))
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
  if (s->n_lines > 0 && !unit_stays(s, &x, bytes, any_trad, state))
    return FALSE;
  s->n_chars = chars;
  if (unit_end != NULL)
    *unit_end = i;
  return TRUE;
}
