/* Internals of the normalizer, shared by tokenizer/normalize*.c only.
 *
 * The slow path works on arrays of code points. Every character of the input
 * (after decoding) is an "original character" (OChar) with its byte offset in
 * the chunk; every character of the output is a working character (WChar)
 * that remembers the half-open range of original characters it came from.
 * Stages rewrite the WChar array; the original array never changes except for
 * flags that say a character was removed as a joined line break or as a
 * repeated copy (so the text "as it stands in the input" can skip them).
 *
 * The fast path (normalize_fast*.c) proves that a UTF-8 layout unit needs no
 * change but a few it knows how to map (NzFastChange: CR LF, full-width
 * forms, folded marks, joined line breaks), so the result is the input's
 * bytes with those changes as segments of the map (normalize_map.h). */
#ifndef ZHSEG_NORMALIZE_PRIVATE_H
#define ZHSEG_NORMALIZE_PRIVATE_H

#include "common/private.h"

#include <unicode/ucnv.h>
#include <unicode/unorm2.h>

/* Flags kept in the top bits of OChar.cp (code points need 21 bits). */
#define OCHAR_CP_MASK 0x001FFFFFu
#define OCHAR_JOINED (1u << 24)  /* part of a line break the layout stage joined */
#define OCHAR_DUP (1u << 25)     /* a repeated copy the dedup stage removed */
#define OCHAR_INVALID (1u << 26) /* undecodable bytes, decoded as U+FFFD */

typedef struct {
  guint32 cp;  /* code point | OCHAR_* flags */
  guint32 off; /* byte offset in the chunk */
} OChar;

typedef struct {
  guint32 cp;  /* normalized code point */
  guint32 oc;  /* first original character */
  guint32 oce; /* one past the last original character */
} WChar;

/* Per-line facts the layout decision needs; built the same way by the fast
 * and the slow path so that both decide alike. */
typedef struct {
  guint32 width2;   /* width in half-em units (ASCII and curly quotes count 1, others 2) */
  guint32 first_cp; /* first and last non-blank characters (0 for a blank line) */
  guint32 last_cp;
  gboolean blank;
  gboolean term; /* ends a sentence (terminator, maybe followed by closing quotes) */
} LineInfo;

/* Stream state carried from one chunk to the next, so that chunk by chunk
 * gives the same result as all at once. */
typedef struct {
  guint32 wrap_width2; /* column width of the last hard-wrapped unit, 0 if none */
  gboolean prev_blank; /* the line before this chunk was blank (or none) */
} LayoutState;

/* ---------------------------------------------------------- classes (fold.c) */
gboolean nz_is_han(guint32 cp);
/* Han, CJK punctuation or full-width forms: text that makes a neighbour "Chinese". */
gboolean nz_is_chinese(guint32 cp);
/* Sentence-ending punctuation (after NFKC and folding), closing quotes skipped by the caller. */
gboolean nz_is_terminator(guint32 cp);
gboolean nz_is_closer(guint32 cp);
gboolean nz_is_space(guint32 cp); /* space or tab (never a line break) */
/* The ASCII punctuation folded to full width in Chinese context, and back. */
guint32 nz_fullwidth_of(guint32 ascii); /* 0 if not one of ,:;!?() */
/* Asks, of the characters of one array (code points every `stride`
 * guint32s), whether a mark at i would be folded to full width, and whether
 * a space at i stands between two Han characters. Each looks along the
 * line, past neutral marks or spaces, which in a long run of them is the
 * whole run: the cursor remembers what it found, so that asking of every
 * position in increasing order costs time linear in the array, not its
 * square (a line of 32 K question marks took 5 s). Asked out of order, it
 * looks again and gives the same answers. The array may change between
 * questions only by marks turning into their other width. */
typedef struct {
  const guint32 *cps;
  gsize n, stride;
  gsize back_at;        /* the last fold question's position (G_MAXSIZE: none) */
  gboolean back_chinese; /* its answer from looking back */
  gsize fwd_at, fwd_stop; /* the last fold question's position, and where its look ahead stopped */
  gboolean fwd_chinese;
  gsize run_lo, run_hi; /* the last run of spaces asked of, [lo, hi) */
  gboolean run_between;
} NzFoldCursor;

void nz_fold_cursor_init(NzFoldCursor *c, const guint32 *cps, gsize n, gsize stride);
/* Would the ASCII or full-width mark at position i be (or stay) full width? */
gboolean nz_fold_context(NzFoldCursor *c, gsize i);
/* Does the space at position i stand between two Han characters (with maybe
 * other spaces), where the slow path drops it? */
gboolean nz_between_han(NzFoldCursor *c, gsize i);

/* NFKC over the WChar array (in: src, out: dst). Returns FALSE on ICU error. */
gboolean nz_nfkc(const UNormalizer2 *nfkc, const WChar *src, gsize n, GArray *dst, guint64 *n_changed,
                 GError **error);
/* Folds ASCII ,:;!?() in Chinese context to full width, in place; returns
 * the number folded. A mark that was full width in the input (`orig`), made
 * ASCII by NFKC and folded back here is no change: it is not counted, and
 * *n_nfkc (NFKC's count) loses it. */
guint64 nz_fold_punct(WChar *w, gsize n, const OChar *orig, guint64 *n_nfkc);
/* Drops spaces between Han characters; CR LF and CR become LF. In place, returns new length. */
gsize nz_spaces_and_crlf(WChar *w, gsize n, guint64 *n_crlf);

/* ------------------------------------------------------------ layout.c */
void nz_line_info(LineInfo *li, const guint32 *cps, gsize n, gsize stride);
/* nz_line_info when the width of all n characters is known (the fast path
 * counts it while it decodes). */
void nz_line_info_width(LineInfo *li, const guint32 *cps, gsize n, gsize stride, guint32 width2);
/* Width of one character in half-em units (see LineInfo.width2). */
guint32 nz_layout_char_width2(guint32 cp);
/* Decides, for each line i, whether its line break (and any blank lines that
 * follow) is joined to the next non-blank line. `join` has n entries.
 * `unit_start` (n entries, may be NULL) receives TRUE on the first line of each
 * layout unit (a run of lines ended by a line that ends a sentence). */
void nz_layout_decide(const LineInfo *lines, gsize n, int mode, LayoutState *state, gboolean *join,
                      gboolean *unit_start);
/* Applies the decisions to the WChar array (removing or replacing breaks), in
 * place; flags the removed original characters. Returns new length. */
/* Does a join keep one space between the characters it brings together
 * (the last of a line, the first of the next)? Between two Latin letters
 * or digits: the break separated words. */
gboolean nz_join_keeps_space(guint32 left, guint32 right);
gsize nz_layout_apply(WChar *w, gsize n, OChar *o, int mode, LayoutState *state, guint64 *n_joined,
                      GArray *unit_bounds);

/* ------------------------------------------------------------- dedup.c */
/* Finds a doubled/tripled run (4..64 chars, primitive period >= 4, with Han)
 * starting at or after `from`. Returns TRUE and stores its start, period and
 * copies. `table` is a scratch array of 4096 guint32. Linear over a line. */
gboolean nz_dedup_find(const guint32 *cps, gsize n, gsize stride, gsize from, guint32 *table,
                       gsize *start, gsize *period, guint *copies);
/* TRUE when cps[i] and cps[i+1] form a doubled sentence mark to reduce. */
gboolean nz_is_doubled_punct(guint32 a, guint32 b);
/* Removes repeated runs and doubled punctuation within each line, in place.
 * `table` is nz_dedup_find's, kept by the caller (it runs once per unit). */
gsize nz_dedup(WChar *w, gsize n, OChar *o, guint32 *table, guint64 *n_runs, guint64 *n_punct);

/* --------------------------------------------------------------- t2s.c */
typedef struct {
  const guint32 *image;       /* the table's image (t2s.c), which the fields below point into */
  gsize image_words;
  const guint8 *is_trad;      /* bitmap over 0..0x2FFFF: has a simplified form */
  const guint8 *is_simp_only; /* bitmap: a simplified form that is not itself traditional */
  guint32 n_trad;             /* traditional characters, */
  const guint32 *trad;        /* ascending; */
  const guint32 *off;         /* the simplified form of trad[k] is pool[off[k]..off[k+1]) */
  const guint32 *pool;
} T2sTable;
/* Built once per process from ICU's Traditional-Simplified transliterator.
 * Returns NULL (and sets error) if ICU cannot open it. */
const T2sTable *nz_t2s_table(GError **error);
/* Writes the table built from ICU to `path` (the build's share/zhseg/t2s.bin). */
gboolean nz_t2s_write_table(const char *path, GError **error);
/* The simplified form of `cp` (its length in *len), NULL when it has none. */
const guint32 *nz_t2s_lookup(const T2sTable *t, guint32 cp, gsize *len);
/* TRUE when `t` (as loaded) equals the table ICU's transliterators make now. */
gboolean nz_t2s_table_is_icus(const T2sTable *t);
static inline gboolean nz_bit(const guint8 *bits, guint32 cp)
{
  return cp < 0x30000 && (bits[cp >> 3] >> (cp & 7)) & 1;
}
/* Converts the WChar units [bounds[k], bounds[k+1]) per mode (1 on, 2 auto). */
void nz_t2s_apply(const T2sTable *t, GArray *w, const GArray *unit_bounds, int mode, guint64 *n_conv);

/* -------------------------------------------------------------- decode.c */
/* Detects the encoding of a sample. Returns a static ICU converter name. */
const char *nz_detect_encoding(const guchar *bytes, gsize len);
gboolean nz_is_utf8_name(const char *name);
/* Decodes the chunk into `o` (OChar) with a sentinel entry at the end whose
 * offset is len. Counts undecodable sequences and records their offsets. */
/* `u16` and `offs` (may be NULL) are scratch arrays kept between calls, so a
 * stream does not fault in fresh pages for every chunk. */
gboolean nz_decode(const char *encoding, const guchar *bytes, gsize len, GArray *o, guint64 *n_invalid,
                   GArray *invalid_offsets, GArray *u16, GArray *offs, GError **error);

/* ----------------------------------------------------------- normalize.c */
/* TRUE (the default): UTF-8 that is not clean as a whole is normalized unit
 * by unit. FALSE: the whole chunk takes the slow path (tests compare). */
void nz_normalizer_set_pieces(ZhsegNormalizer *n, gboolean pieces);
/* The pool its results take their blocks from (for the tests). */
struct NzPool *nz_normalizer_pool(ZhsegNormalizer *n);

/* --------------------------------------------------------------- split.c */
/* End of the layout unit of UTF-8 text that starts at `from`: just past the
 * next LF where zhseg_normalizer_safe_split() could cut, or `len`. Units can
 * be normalized one by one with the same result as the whole. */
gsize nz_utf8_unit_end(const guchar *s, gsize from, gsize len);
/* Is the LF at s[lf] a place nz_utf8_unit_end cuts (the end of a line that
 * ends a sentence)? The bytes before it are looked at back to the line's
 * start, which must be s[0] or follow an LF. */
gboolean nz_utf8_ends_sentence(const guchar *s, gsize lf);
/* The same through the encoding-independent code (tests compare). */
gboolean nz_utf8_ends_sentence_generic(const guchar *s, gsize lf);

/* -------------------------------------------------------------- fast*.c */
/* Per-process tables for the fast path: a bit per BMP code point that needs a
 * closer look (not NFKC-inert, or a break, space, ASCII punctuation...). */
typedef struct {
  guint8 attn[0x10000 / 8];
  guint8 nfkc_bad[0x10000 / 8]; /* NFKC may change it, alone or with its neighbours */
  const UNormalizer2 *nfkc;     /* ICU's NFKC instance, NULL if ICU has no data */
} FastTables;
const FastTables *nz_fast_tables(void);
/* The rule behind FastTables.nfkc_bad, for one BMP code point. NFKC leaves a
 * string alone when each character is normalized by itself and starts a new
 * segment (has a boundary before it): NFKC works segment by segment. A
 * character that combines with the one before it (a combining accent, a
 * Hangul trailing jamo) fails the second test. The build runs it over the BMP
 * once (tools/gen_nfkc_table.c) so that processes do not pay 65,536 ICU
 * calls at start-up; nz_fast_tables() falls back to it when the ICU it runs
 * with is not the one the table came from. */
static inline gboolean nz_nfkc_bad_rule(const UNormalizer2 *nfkc, guint32 cp)
{
  if (nfkc == NULL || (cp >= 0xD800 && cp <= 0xDFFF))
    return TRUE;
  UChar u = (UChar)cp;
  UErrorCode st = U_ZERO_ERROR;
  return !(unorm2_isNormalized(nfkc, &u, 1, &st) && U_SUCCESS(st) && unorm2_hasBoundaryBefore(nfkc, cp));
}
/* A change the fast path allows in a unit it calls clean, each what the
 * slow path makes of some input characters wherever they stand. */
typedef enum {
  NZ_FAST_CRLF, /* CR LF becomes LF */
  NZ_FAST_NFKC, /* a full-width character of nz_fast_repl_table becomes ASCII */
  NZ_FAST_FOLD, /* ASCII ,:;!?() in Chinese context becomes full width */
  NZ_FAST_JOIN, /* a joined line break (with the blanks around it and any blank
                 * lines) is removed, or becomes a space between Latin words */
  NZ_FAST_DROP, /* a space between Han characters is removed */
  NZ_FAST_EXPAND, /* a character NFKC makes one to three others (… -> ..., ℃ -> °C) */
} NzFastChangeKind;
typedef struct {
  guint32 off;  /* byte offset in the unit */
  guint32 len;  /* input bytes it replaces */
  guint32 ch;   /* input characters before it in the unit */
  guint32 nch;  /* input characters it replaces */
  guint32 cp;   /* what it becomes: one character, or 0 for nothing (a join, a drop) */
  guint32 kind; /* NzFastChangeKind */
  guint32 more[2]; /* NZ_FAST_EXPAND: the second and third characters, 0 if none */
} NzFastChange;
/* For FF01..FF5E: the ASCII character the slow path turns each into
 * wherever it stands, or 0 when that depends on the context or when the
 * result has a contextual rule of its own (folded punctuation). */
const guint8 *nz_fast_repl_table(void);
/* Where a line of a unit stands, for the fast path's joins and t2s. */
typedef struct {
  guint32 start, end; /* its bytes in the unit, without the line break (CR LF or LF) */
  guint32 ch;         /* input characters of the unit before it */
  guint32 n_in;       /* its input characters (without the line break) */
  guint32 cp0, n;     /* its code points in FastScratch.cps (spaces between Han dropped) */
  guint32 trad;       /* traditional characters (t2s) */
} FastLine;
/* Scratch buffers of the fast path, kept by the normalizer: it runs once per
 * layout unit (often one line), which must not cost allocations. */
typedef struct {
  guint32 *cps;      /* the unit's code points, line after line (no line breaks) */
  guint32 *attn;     /* indices in a line's cps of the characters that need a closer look */
  guint32 *attn_end; /* and the byte offset just past each */
  guint32 *drops;    /* indices in a line's cps of the spaces it drops */
  guint32 *shift;    /* per attn entry: characters NFKC's expansions added before it */
  gsize cap;         /* of the five */
  GHashTable *expansions; /* code point -> 1 + index in expansion, looked up once each */
  GArray *expansion;      /* guint64: up to three BMP code points (16 bits each), 0 if none */
  /* The last expansion looked up for each code point modulo 64: the few
   * marks asked about (，：；！？…) recur every few characters, and a
   * hash lookup per mark cost more than all else done for it. */
  guint32 recent_cp[64];
  guint64 recent[64];
  gsize line0;       /* where the line being scanned starts in cps */
  guint32 *jcps;     /* a line the joins make, for dedup's check */
  gsize jcap;
  guint32 *table; /* dedup's gram table: stale entries are harmless (dedup.c) */
  guint32 *pairs; /* dedup's filter (fast_join.c), indexed by a hash of a character pair */
  guint32 pos;    /* the filter's character clock, never reset */
  /* Per line, `n_lines` of `line_cap` (plain arrays: an append per line
   * through GArray cost more than the line's layout check) */
  LineInfo *lines;
  FastLine *spans;
  guint n_lines, line_cap;
  gboolean *join, *ustart;
  gsize flags_cap;
  /* What nz_fast_clean found, for the caller */
  GArray *changes;    /* NzFastChange, in input order */
  GArray *joins;      /* NzFastChange of the joins, before they are merged in */
  GArray *merged;     /* spare: the merge's output, then swapped with changes */
  guint32 n_crlf;     /* CR LF pairs of the unit (those inside a join are no change of their own) */
  guint32 *lfs;       /* input characters of the unit up to and with each LF (line_cap room) */
  guint n_lfs;
  guint32 n_chars;    /* input characters of the unit */
} FastScratch;
void nz_fast_scratch_init(FastScratch *s);
void nz_fast_scratch_clear(FastScratch *s);
typedef struct {
  gboolean nfkc, fold, dedup;
  int t2s; /* 0 off, 1 on, 2 auto */
  int join;
  const T2sTable *t; /* loaded when t2s is not off */
} NzFastOptions;
/* TRUE when the UTF-8 text is valid and normalizes to itself under these
 * options, except for the changes in s->changes (the layout's joins
 * included). Updates the layout state as the slow path would; s->n_chars,
 * s->lfs and s->n_crlf describe the text. With `unit_end`
 * NULL all of bytes[0..len) is checked; else only the layout unit at its
 * start (up to the first LF that ends a sentence, as nz_utf8_unit_end
 * finds it), whose end is stored there on success. */
gboolean nz_fast_clean(const guchar *bytes, gsize len, const NzFastOptions *o, LayoutState *state, FastScratch *s,
                       gsize *unit_end);
/* For the tests: the scan's class table says what the predicates say. */
gboolean nz_fast_check_classes(void);

#endif
