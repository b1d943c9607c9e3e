/* The fast path's per-process tables and its per-normalizer scratch.
 *
 * The scan must learn what a character needs from one table load, so what
 * the slow path's predicates say of each BMP code point is worked out here
 * once per process (GOnce): which characters need a closer look
 * (FastTables), which full-width ones become a plain ASCII character
 * wherever they stand (nz_fast_repl_table), and the class byte per code
 * point the scan tests (FastClasses). The scratch buffers are kept by the
 * normalizer and reused unit after unit. */
#include "tokenizer/normalize_fast.h"

#include <string.h>
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

/* ------------------------------------------------------------ classes */

/* The class byte (F_*, normalize_fast.h) of each BMP code point. */
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

const guint8 *nz_fast_classes_for(const T2sTable *t)
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
  memset(s->recent_cp, 0xFF, sizeof s->recent_cp); /* no code point */
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
