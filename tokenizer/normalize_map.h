/* The normalizer's result: normalized text plus the offset map back to the
 * input. Private to tokenizer/normalize*.c. */
#ifndef ZHSEG_NORMALIZE_MAP_H
#define ZHSEG_NORMALIZE_MAP_H

#include "tokenizer/normalize_pool.h"
#include "tokenizer/normalize_private.h"

/* Bytes per checkpoint of the identity map's character count: small, since
 * `zhseg cut` maps every token (a lookup scans at most this many bytes). */
#define NZ_CKPT_BYTES 64

struct ZhsegNormalized {
  NzPool *pool; /* where its blocks come from and go back to (a reference) */
  char *text;
  gsize len;
  guint64 base;      /* file offset of the chunk */
  guint64 base_char; /* decoded-character offset of the chunk */
  guint32 char_adjust; /* 1 when a BOM was dropped: it is not a character of the text */
  guint64 n_orig_chars;
  const UNormalizer2 *nfkc;
  ZhsegNormalizeStats stats;
  /* Identity map (the fast path): normalized == input bytes. ckpt[k] is the
   * number of characters that start before byte k * NZ_CKPT_BYTES. */
  gboolean identity;
  guint64 *ckpt;
  /* Slow path: per normalized character k, its byte offset nb[k] (nb[n] =
   * len) and the original characters [noc[k], noce[k]) it came from. */
  gsize n;
  guint32 *nb, *noc, *noce;
  guint32 *bc; /* [len + 1]: the character containing each byte (O(1) char_at) */
  GArray *o; /* OChar, with a sentinel whose offset is the chunk length */
  /* Pieces (a chunk normalized unit by unit, normalize.c): when `segs` is
   * set, the text is a sequence of segments (NzSeg, with a sentinel at the
   * end): copied bytes, small replacements (CR LF -> LF), joined line
   * breaks and slow-path results of their own. blk[b] is the segment
   * holding byte b * NZ_CKPT_BYTES, and ckpt counts normalized characters,
   * so a lookup costs O(1) and clean text costs nothing per character. */
  GArray *segs;
  guint32 *blk;
  GPtrArray *subs;    /* ZhsegNormalized of the slow segments, with absolute bases */
  GString *repl_orig; /* the input bytes of the replacements */
  guint64 n_norm_chars;
  gsize text_cap; /* while building */
  /* Lines: base_line LFs before the chunk; the original character index
   * just past each LF of the chunk (for line and column), and where the
   * chunk's first line started, in characters before the chunk (<= 0). */
  guint64 base_line;
  gint64 line_start_char; /* character offset (stream) where the chunk's first line starts */
  GArray *lf_after;       /* guint64 stream character offsets just past each LF */
};

/* A segment's text comes from the input bytes [ob, next segment's ob):
 * COPY   the same bytes;
 * REPL   a replacement of all of them as one (CR LF -> LF, Ａ -> A, … ->
 *        ..., with no boundary inside), or by nothing (a space between
 *        Han dropped: its input is still text of the spans around it);
 * JOIN   a line break the layout joined, with the blanks and blank lines
 *        around it: nothing (its text is empty, so no offset lies inside
 *        it and lookups never land on it), or one space between Latin
 *        words. Its input is no part of the original text of any span, and
 *        a span that holds it is "joined" (zhseg_normalized_span_joined);
 * SLOW   a slow-path result of its own (subs). */
typedef enum { NZ_SEG_COPY, NZ_SEG_REPL, NZ_SEG_SLOW, NZ_SEG_JOIN } NzSegKind;
typedef struct {
  guint32 nb;   /* first normalized byte */
  guint32 ob;   /* first input byte, in the chunk */
  guint64 oc;   /* first input character, counted from the chunk's base_char */
  guint64 nc;   /* normalized characters before nb */
  guint32 kind; /* NzSegKind */
  guint32 aux;  /* SLOW: index in subs; REPL, JOIN: offset of its input bytes in repl_orig */
} NzSeg;

/* A new, empty result; its blocks come from `pool` (referenced; may be NULL). */
ZhsegNormalized *nz_result_new(NzPool *pool, guint64 base, guint64 base_char);
/* Building a result piece by piece: begin, then add copies (text that stays
 * as it is), replacements (all of `norm` comes from all of `orig`), joins
 * and slow results in input order, then end. */
void nz_result_begin_pieces(ZhsegNormalized *r, gsize len_hint);
void nz_result_add_copy(ZhsegNormalized *r, const char *bytes, gsize len, guint32 ob, guint64 oc);
/* The same when the caller knows the copy's number of characters. */
void nz_result_add_copy_counted(ZhsegNormalized *r, const char *bytes, gsize len, guint32 ob, guint64 oc,
                                guint64 n_chars);
void nz_result_add_repl(ZhsegNormalized *r, const char *norm, gsize nlen, const char *orig, gsize olen,
                        guint32 ob, guint64 oc);
/* A joined line break: the input bytes `orig` (the break, and the blanks and
 * blank lines the join removed with it) become `norm` ("" or " "). */
void nz_result_add_join(ZhsegNormalized *r, const char *norm, gsize nlen, const char *orig, gsize olen,
                        guint32 ob, guint64 oc);
/* Takes ownership of `sub`, whose base and base_char are the stream's. */
void nz_result_add_slow(ZhsegNormalized *r, ZhsegNormalized *sub, guint32 ob, guint64 oc);
void nz_result_end_pieces(ZhsegNormalized *r, guint32 chunk_len, guint64 n_orig_chars);
guint64 nz_count_chars(const guchar *s, gsize n);
/* Indexes the chunk's line breaks (called once the map is set). */
void nz_result_index_lines(ZhsegNormalized *r, guint64 base_line, guint64 line_start_char);
/* Gives the result its line index when the builder has it already (takes
 * ownership): guint64 stream character offsets just past each LF of the
 * chunk, in order. nz_result_index_lines then only sets the bases. */
void nz_result_set_lines(ZhsegNormalized *r, GArray *lf_after);
void nz_result_set_identity(ZhsegNormalized *r, const char *bytes, gsize len, guint64 n_chars);
/* Takes ownership of `o`. */
void nz_result_set_slow(ZhsegNormalized *r, const WChar *w, gsize n, GArray *o);

/* ------------------------------------------------ slow results (query side)
 * Lookups in a slow result (neither identity nor pieces), inline for the
 * cursor: zhseg cut maps every token of a slow segment through them. */

/* Index of the normalized character that contains byte x (n at the end). */
static inline gsize nz_slow_char_at(const ZhsegNormalized *r, gsize x)
{
  return x >= r->len ? r->n : r->bc[x];
}

/* zhseg_normalized_is_boundary of a slow result. */
static inline gboolean nz_slow_is_boundary(const ZhsegNormalized *r, gsize x)
{
  if (x == 0 || x >= r->len)
    return TRUE;
  gsize k = r->bc[x];
  /* Not between two characters of one original's expansion. */
  return r->nb[k] == x && !(r->noc[k] == r->noc[k - 1] && r->noce[k] == r->noce[k - 1]);
}

/* The original characters [*oc, *oce) that normalized [start, end) came
 * from (an end inside a character takes all of it; an empty span is the
 * empty range at start's character). */
static inline void nz_slow_orig_range(const ZhsegNormalized *r, gsize start, gsize end, guint32 *oc, guint32 *oce)
{
  gsize k = nz_slow_char_at(r, start), ke = nz_slow_char_at(r, end);
  if (ke < r->n && r->nb[ke] < end)
    ke++;
  *oc = r->noc[k];
  *oce = ke > k ? r->noce[ke - 1] : r->noc[k];
}

/* Byte offset in the input of original character oc of a slow result. */
static inline guint64 nz_slow_orig_offset(const ZhsegNormalized *r, guint32 oc)
{
  return r->base + g_array_index(r->o, OChar, oc).off;
}

/* Stream character offset of original character oc of a slow result (the
 * dropped BOM is none). */
static inline guint64 nz_slow_orig_char(const ZhsegNormalized *r, guint32 oc)
{
  return r->base_char + (oc >= r->char_adjust ? oc - r->char_adjust : 0);
}

/* The end of the run of slow result r from byte x (a character start) on,
 * at most `limit`, that maps to the input by a shift: characters that each
 * came from one original character, the one after the last one's, with as
 * many bytes and no flag. Its text is the input's bytes shifted where the
 * code points are the same (the caller compares). Returns x when there are
 * none. */
gsize nz_slow_verbatim_end(const ZhsegNormalized *r, gsize x, gsize limit);

/* Appends the text of normalized [start, end) as it stands in the input
 * (zhseg_normalized_original_text) to `out`. */
void nz_map_append_original(const ZhsegNormalized *r, gsize start, gsize end, GString *out);

/* A cursor for lookups in increasing offset order (zhseg cut maps every
 * token): it remembers the segment of the last lookup, so a token inside
 * copied text (the identity map, or a COPY segment), whose bytes are the
 * input's, maps with a subtraction instead of a segment search. */
typedef struct {
  const ZhsegNormalized *r;
  gsize lo, hi;     /* normalized bytes [lo, hi) of the current segment */
  gboolean copied;  /* its bytes are the input's: byte x is at o0 + (x - lo) */
  guint64 o0;
  guint64 c0;       /* copied: stream character offset of byte lo */
  gsize cpos;       /* and of byte cpos, in [lo, hi]: cchars (counting goes */
  guint64 cchars;   /* forward from the last lookup) */
  const ZhsegNormalized *sub; /* a slow segment's own result (or the whole
                               * result when it is a slow one), or NULL */
} NzMapCursor;

void nz_map_cursor_init(NzMapCursor *c, const ZhsegNormalized *r);
/* Moves the cursor to the segment holding normalized byte x. */
void nz_map_cursor_seek(NzMapCursor *c, gsize x);

/* TRUE when [start, end) lies in one copied segment and ends on a character
 * boundary: then it is the input's bytes [*os, *oe) (what
 * zhseg_normalized_map_span says), and end is a token boundary
 * (zhseg_normalized_is_boundary). FALSE: ask those functions. */
static inline gboolean nz_map_cursor_copied(NzMapCursor *c, gsize start, gsize end, guint64 *os, guint64 *oe)
{
  if (start < c->lo || start >= c->hi)
    nz_map_cursor_seek(c, start);
  if (!c->copied || end <= start || end > c->hi)
    return FALSE;
  if (end < c->hi && ((guchar)c->r->text[end] & 0xC0) == 0x80)
    return FALSE;
  *os = c->o0 + (start - c->lo);
  *oe = c->o0 + (end - c->lo);
  return TRUE;
}

/* Stream character offsets of [start, end) once nz_map_cursor_copied said
 * TRUE for it. */
void nz_map_cursor_chars(NzMapCursor *c, gsize start, gsize end, guint64 *cs, guint64 *ce);

/* Stream character offset of byte x of the copied segment the cursor
 * stands in, counted from the last position asked or noted. */
guint64 nz_map_cursor_count_to(NzMapCursor *c, gsize x);
static inline guint64 nz_map_cursor_char(NzMapCursor *c, gsize x)
{
  /* Tokens mostly follow each other: the last one's end is this one's start. */
  if (G_LIKELY(x == c->cpos))
    return c->cchars;
  return nz_map_cursor_count_to(c, x);
}

/* Notes that byte x of the copied segment is stream character `chars`
 * (the caller counted them), so the next count starts there. */
static inline void nz_map_cursor_note_char(NzMapCursor *c, gsize x, guint64 chars)
{
  c->cpos = x;
  c->cchars = chars;
}
/* zhseg_normalized_is_boundary and zhseg_normalized_map_span, asked of the
 * segment the cursor stands in when x or [start, end) lies inside it (a
 * slow segment: of its own result, with no segment search), else of the
 * whole result. They do not move the cursor. */
gboolean nz_map_cursor_is_boundary(const NzMapCursor *c, gsize x);
void nz_map_cursor_span(const NzMapCursor *c, gsize start, gsize end, guint64 *os, guint64 *oe, guint64 *ocs,
                        guint64 *oce);

#endif
