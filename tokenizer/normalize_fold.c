/* Character classes, NFKC with ICU, punctuation folding, spaces and CRLF.
 *
 * NFKC folds full-width letters, digits and punctuation to ASCII; Chinese
 * punctuation is then folded back to full width where it stands in Chinese
 * context. Together these make `，` (bulletin 000) and `,` (bulletin 001)
 * normalize alike while `1,000` and `10:30` keep their ASCII marks. */
#include "tokenizer/normalize_private.h"

#include <string.h>
#include <unicode/utf16.h>

gboolean nz_is_han(guint32 cp)
{
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

gboolean nz_is_chinese(guint32 cp)
{
  return nz_is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
         (cp >= 0x2010 && cp <= 0x201F) || cp == 0x2026 || cp == 0x00B7 || cp == 0x25A1 ||
         (cp >= 0xFE30 && cp <= 0xFE4F);
}

gboolean nz_is_terminator(guint32 cp)
{
  switch (cp) {
  case 0x3002: /* 。 */
  case 0xFF01: /* ！ */
  case 0xFF1F: /* ？ */
  case 0xFF1B: /* ； */
  case 0xFF61: /* ｡ */
  case 0x2026: /* … */
  case '.':
  case '!':
  case '?':
  case ';':
    return TRUE;
  default:
    return FALSE;
  }
}

gboolean nz_is_closer(guint32 cp)
{
  switch (cp) {
  case 0x201D: case 0x2019: case 0x300D: case 0x300F: case 0xFF09: case ')':
  case 0x3011: case 0x300B: case '"': case '\'':
    return TRUE;
  default:
    return FALSE;
  }
}

gboolean nz_is_space(guint32 cp)
{
  return cp == ' ' || cp == '\t' || cp == 0x3000;
}

guint32 nz_fullwidth_of(guint32 c)
{
  switch (c) {
  case ',': return 0xFF0C;
  case ':': return 0xFF1A;
  case ';': return 0xFF1B;
  case '!': return 0xFF01;
  case '?': return 0xFF1F;
  case '(': return 0xFF08;
  case ')': return 0xFF09;
  default: return 0;
  }
}

/* Marks that fold in both directions are neutral for context: in `好！）`
 * the `）` must see `好`, whichever form the `！` has at that moment, so the
 * fast path (which sees full-width forms) and the slow path (which sees ASCII
 * after NFKC) decide alike. */
static gboolean neutral(guint32 cp)
{
  if (nz_is_space(cp) || nz_fullwidth_of(cp) != 0)
    return TRUE;
  switch (cp) {
  case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: case 0xFF08: case 0xFF09:
    return TRUE;
  default:
    return FALSE;
  }
}

static gboolean is_digit(guint32 cp)
{
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

void nz_fold_cursor_init(NzFoldCursor *c, const guint32 *cps, gsize n, gsize stride)
{
  *c = (NzFoldCursor){cps, n, stride, G_MAXSIZE, FALSE, G_MAXSIZE, 0, FALSE, 0, 0, FALSE};
}

static inline guint32 cp_at(const NzFoldCursor *c, gsize i)
{
  return c->cps[i * c->stride];
}

/* Looking back from i along the line, past neutral marks: is the first
 * other character Chinese? Stops at the last question's position when every
 * character from there to i is neutral: the answer is then that one's. */
static gboolean chinese_before(NzFoldCursor *c, gsize i)
{
  gboolean known = c->back_at != G_MAXSIZE && c->back_at <= i;
  gsize floor = known ? c->back_at : 0;
  gboolean answer = FALSE;
  gsize j = i;
  for (;;) {
    if (j == floor) {
      answer = known && c->back_chinese;
      break;
    }
    guint32 ch = cp_at(c, --j);
    if (ch == '\n' || ch == '\r')
      break;
    if (!neutral(ch)) {
      answer = nz_is_chinese(ch);
      break;
    }
  }
  c->back_at = i;
  c->back_chinese = answer;
  return answer;
}

/* Looking ahead from i along the line, past neutral marks: is the first
 * other character Chinese? Between the last question and where its look
 * stopped every character is neutral, so a question there has its answer. */
static gboolean chinese_after(NzFoldCursor *c, gsize i)
{
  if (c->fwd_at != G_MAXSIZE && c->fwd_at < i && i < c->fwd_stop)
    return c->fwd_chinese;
  gboolean answer = FALSE;
  gsize j = i + 1;
  for (; j < c->n; j++) {
    guint32 ch = cp_at(c, j);
    if (ch == '\n' || ch == '\r')
      break;
    if (!neutral(ch)) {
      answer = nz_is_chinese(ch);
      break;
    }
  }
  c->fwd_at = i;
  c->fwd_stop = j;
  c->fwd_chinese = answer;
  return answer;
}

gboolean nz_fold_context(NzFoldCursor *c, gsize i)
{
  gsize n = c->n;
  /* After a Han character (the common case, asked of every full-width
   * comma by the fast path), the answer is TRUE at once. */
  if (i > 0 && cp_at(c, i - 1) - 0x4E00u <= 0x9FFFu - 0x4E00u)
    return TRUE;
  /* 1,000 and 10:30 keep ASCII marks. */
  if (i > 0 && i + 1 < n && is_digit(cp_at(c, i - 1)) && is_digit(cp_at(c, i + 1)))
    return FALSE;
  return chinese_before(c, i) || chinese_after(c, i);
}

gboolean nz_between_han(NzFoldCursor *c, gsize i)
{
  if (i >= c->run_lo && i < c->run_hi)
    return c->run_between;
  gsize l = i, r = i;
  while (l > 0 && nz_is_space(cp_at(c, l - 1)))
    l--;
  while (r < c->n && nz_is_space(cp_at(c, r)))
    r++;
  c->run_lo = l;
  c->run_hi = r;
  c->run_between = l > 0 && r < c->n && nz_is_han(cp_at(c, l - 1)) && nz_is_han(cp_at(c, r));
  return c->run_between;
}

guint64 nz_fold_punct(WChar *w, gsize n, const OChar *orig, guint64 *n_nfkc)
{
  guint64 folded = 0;
  if (n == 0)
    return 0; /* w may be NULL (an empty array's data) */
  NzFoldCursor cur;
  nz_fold_cursor_init(&cur, &w[0].cp, n, sizeof(WChar) / sizeof(guint32));
  for (gsize i = 0; i < n; i++) {
    guint32 fw = nz_fullwidth_of(w[i].cp);
    if (fw != 0 && nz_fold_context(&cur, i)) {
      w[i].cp = fw;
      if (w[i].oce == w[i].oc + 1 && (orig[w[i].oc].cp & OCHAR_CP_MASK) == fw)
        *n_nfkc -= *n_nfkc > 0; /* back as it was: neither step changed it */
      else
        folded++;
    }
  }
  return folded;
}

gsize nz_spaces_and_crlf(WChar *w, gsize n, guint64 *n_crlf)
{
  gsize out = 0;
  for (gsize i = 0; i < n; i++) {
    WChar c = w[i];
    if (c.cp == '\r') {
      if (i + 1 < n && w[i + 1].cp == '\n') {
        c.cp = '\n';
        c.oce = w[i + 1].oce;
        i++;
      } else {
        c.cp = '\n';
      }
      (*n_crlf)++;
    } else if (nz_is_space(c.cp) && out > 0 && nz_is_han(w[out - 1].cp)) {
      /* Spaces between Han characters are typesetting, not text. */
      gsize j = i;
      while (j < n && nz_is_space(w[j].cp))
        j++;
      if (j < n && nz_is_han(w[j].cp)) {
        i = j - 1;
        continue;
      }
      /* Text: the whole run stays (looked at once, not once per space). */
      memmove(w + out, w + i, (j - i) * sizeof *w);
      out += j - i;
      i = j - 1;
      continue;
    }
    w[out++] = c;
  }
  return out;
}

/* ----------------------------------------------------------------- NFKC */

static gboolean normalize_segment(const UNormalizer2 *nfkc, const WChar *src, gsize b, gsize e,
                                  GArray *dst, guint64 *n_changed, GError **error)
{
  UChar stack_in[64], stack_out[128];
  gsize cap_in = (e - b) * 2;
  UChar *in = cap_in <= G_N_ELEMENTS(stack_in) ? stack_in : g_new(UChar, cap_in);
  int32_t len_in = 0;
  for (gsize k = b; k < e; k++)
    U16_APPEND_UNSAFE(in, len_in, src[k].cp);
  UErrorCode status = U_ZERO_ERROR;
  UChar *out = stack_out;
  int32_t len_out = unorm2_normalize(nfkc, in, len_in, out, G_N_ELEMENTS(stack_out), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    out = g_new(UChar, len_out + 1);
    len_out = unorm2_normalize(nfkc, in, len_in, out, len_out + 1, &status);
  }
  gboolean ok = !zhseg_icu_failed(status, error, "NFKC normalization");
  if (ok) {
    gboolean same = len_out == len_in && memcmp(in, out, len_in * sizeof(UChar)) == 0;
    if (same) {
      g_array_append_vals(dst, src + b, e - b);
    } else {
      /* Every output character of a changed segment gets the span of the
       * whole segment (usually one character: ℃ -> °C, … -> ...). */
      (*n_changed)++;
      for (int32_t k = 0; k < len_out;) {
        UChar32 c;
        U16_NEXT(out, k, len_out, c);
        WChar wc = {(guint32)c, src[b].oc, src[e - 1].oce};
        g_array_append_val(dst, wc);
      }
    }
  }
  if (in != stack_in)
    g_free(in);
  if (out != stack_out)
    g_free(out);
  return ok;
}

gboolean nz_nfkc(const UNormalizer2 *nfkc, const WChar *src, gsize n, GArray *dst, guint64 *n_changed,
                 GError **error)
{
  g_array_set_size(dst, 0);
  const FastTables *ft = nz_fast_tables();
  gsize boundary_src = 0, boundary_dst = 0;
  for (gsize i = 0; i < n;) {
    guint32 cp = src[i].cp;
    /* The common case without ICU calls: a run of BMP characters that NFKC
     * leaves alone, each starting a segment (the fast path's table). */
    if (cp < 0x10000 && !((ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1)) {
      gsize j = i + 1;
      while (j < n && src[j].cp < 0x10000 && !((ft->nfkc_bad[src[j].cp >> 3] >> (src[j].cp & 7)) & 1))
        j++;
      g_array_append_vals(dst, src + i, (guint)(j - i));
      boundary_src = j - 1;
      boundary_dst = dst->len - 1;
      i = j;
      continue;
    }
    gboolean bb = unorm2_hasBoundaryBefore(nfkc, cp);
    if (bb) {
      boundary_src = i;
      boundary_dst = dst->len;
    }
    if (unorm2_isInert(nfkc, cp)) {
      /* The common case, written without a call per character. */
      gsize len = dst->len;
      g_array_set_size(dst, len + 1); /* grows geometrically, no copy per call */
      ((WChar *)dst->data)[len] = src[i];
      i++;
      continue;
    }
    /* A segment runs from the last boundary to the next one, so combining
     * marks are normalized together with their base. */
    gsize b = bb ? i : boundary_src;
    g_array_set_size(dst, bb ? dst->len : boundary_dst);
    gsize e = i + 1;
    while (e < n && !unorm2_hasBoundaryBefore(nfkc, src[e].cp))
      e++;
    if (!normalize_segment(nfkc, src, b, e, dst, n_changed, error))
      return FALSE;
    i = e;
  }
  return TRUE;
}
