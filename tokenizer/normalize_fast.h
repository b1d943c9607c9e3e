/* What the fast path's files share (tokenizer/normalize_fast*.c include
 * it; nothing else does). normalize_fast.c says what the fast path is and
 * drives it; normalize_fast_tables.c builds the per-process tables and the
 * scratch; normalize_fast_scan.c decodes a line; normalize_fast_join.c
 * checks the unit's lines together (the layout's joins, dedup, t2s auto). */
#ifndef ZHSEG_NORMALIZE_FAST_H
#define ZHSEG_NORMALIZE_FAST_H

#include "tokenizer/normalize_private.h"

#define REPL_FIRST 0xFF01u /* full-width ASCII, ！ to ～ */
#define REPL_LAST 0xFF5Eu

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

/* Dedup's filter (maybe_repeated, normalize_fast_join.c): a table of the
 * last position of each character pair, by hash. 4096 entries stay in L1;
 * a collision can only make the filter say "maybe", never hide a
 * repetition. */
#define PAIR_BITS 12
#define PAIR_WINDOW 64 /* = MAX_RUN of normalize_dedup.c */

/* The options as the scan and the checks after it ask them, set once per
 * nz_fast_clean. */
typedef struct {
  const guint8 *cls;        /* nz_fast_classes_for() */
  const guint8 *repl;       /* nz_fast_repl_table(), NULL without NFKC */
  const UNormalizer2 *nfkc; /* NULL without NFKC */
  const T2sTable *t;        /* NULL without t2s */
  int t2s;
  gboolean dedup;
  int join;
} ScanCtx;

/* What nz_fast_scan_line found out about its line besides the code points. */
typedef struct {
  gsize n;        /* characters (not counting a CR before the LF, nor the LF), less those dropped */
  gsize n_in;     /* input characters (not counting a CR before the LF, nor the LF) */
  gsize n_attn;   /* of them, those that need a closer look (their indices in s->attn) */
  guint32 half;   /* of them, F_HALF ones */
  guint32 trad;
  gboolean crlf;      /* it ends in CR LF */
} LineScan;

/* UTF-8 bytes of a blank (nz_is_space: space, tab, U+3000), which the joins
 * and the drops between Han take out of the input. */
static inline guint32 nz_fast_blank_bytes(guint32 cp)
{
  return cp < 0x80 ? 1 : 3;
}

/* The class table to scan with: the t2s bit only when t2s is asked (there
 * is one T2sTable per process, so it is added once). Simplified-only
 * characters are common and matter only in a unit that holds a traditional
 * one: they are counted then (count_simp, normalize_fast_join.c), not
 * by the scan. */
const guint8 *nz_fast_classes_for(const T2sTable *t);
/* Room for `need` code points in s->cps (and as many attn entries). */
void nz_fast_grow_cps(FastScratch *s, gsize need);
/* Decodes one line (up to LF or the end) into s->cps from s->line0 on,
 * without a CR that stands right before the LF (a change, in s->changes):
 * each character is validated and classified by one table load. `ch` is
 * the line's first input character, counted from the unit's start. Returns FALSE when
 * the line cannot be clean whatever its context. */
gboolean nz_fast_scan_line(const guchar *b, gsize len, gsize *pos, FastScratch *s, const ScanCtx *x, guint32 ch,
                           LineScan *ls);
/* The steps of the slow path after the line-local ones, over the unit's
 * lines: the layout decision, whose joins become changes (s->changes);
 * dedup's search over each line of the text it makes (run here, once the
 * lines are known, so that a joined line is searched once, as a whole);
 * t2s auto. FALSE when one of them would change the unit otherwise. The
 * layout state moves on when TRUE. */
gboolean nz_fast_unit_stays(FastScratch *s, const ScanCtx *x, const guchar *bytes, gboolean any_trad,
                            LayoutState *state);

#endif
