/* The fast path's scan: one line of UTF-8 decoded into FastScratch.cps.
 *
 * Each character is validated and classified by one load from the class
 * table (normalize_fast_tables.c); runs of three-byte characters, most of
 * clean Chinese text, go four at a time. What the scan cannot settle by
 * itself is noted for the line's closer look (the attn entries) or makes
 * the line unclean at once; CR LF and the full-width characters of
 * nz_fast_repl_table are the changes it makes itself. This is the
 * normalizer's hot loop. */
#include "tokenizer/normalize_fast.h"

#include <string.h>
#include <unicode/utf16.h>

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

/* keep_char for the four characters take_four stored at cps[n..n + 4),
 * the 12 bytes from `at`, when none of them has an F_RARE flag: their
 * common flags (，：； are F_ATTN and F_DPUNCT, 。、 F_DPUNCT, “” F_HALF)
 * noted without a branch per character. Chinese punctuation falls in
 * about every third group of four, too often to branch on. */
static G_ALWAYS_INLINE inline gboolean keep_four_common(const ScanCtx *x, FastScratch *s, LineScan *ls,
                                                        const guint32 *cps, gsize n, guint32 *half, gsize at)
{
  const guint8 *cls = x->cls;
  guint32 prev = n > 0 ? cps[n - 1] : G_MAXUINT32, doubled = 0;
  gsize na = ls->n_attn;
  for (int k = 0; k < 4; k++) {
    guint32 cp = cps[n + k], f = cls[cp];
    *half += f & F_HALF;
    s->attn[na] = (guint32)(n + k); /* kept only when F_ATTN moves na on */
    s->attn_end[na] = (guint32)(at + 3 * (k + 1));
    na += (f & F_ATTN) != 0;
    doubled |= ((f & F_DPUNCT) != 0) & (cp == prev);
    prev = cp;
  }
  ls->n_attn = na;
  return !(doubled && x->dedup);
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

G_GNUC_NO_INLINE void nz_fast_grow_cps(FastScratch *s, gsize need)
{
  while (s->cap <= need)
    s->cap *= 2;
  s->cps = g_renew(guint32, s->cps, s->cap);
  s->attn = g_renew(guint32, s->attn, s->cap);
  s->attn_end = g_renew(guint32, s->attn_end, s->cap);
  s->drops = g_renew(guint32, s->drops, s->cap);
  s->shift = g_renew(guint32, s->shift, s->cap);
}

gboolean nz_fast_scan_line(const guchar *b, gsize len, gsize *pos, FastScratch *s, const ScanCtx *x, guint32 ch,
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
      nz_fast_grow_cps(s, s->line0 + n + 1);
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
          } else if (!(f4 & F_RARE)) {
            if (!keep_four_common(x, s, ls, cps, n, &half, i))
              return FALSE;
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
