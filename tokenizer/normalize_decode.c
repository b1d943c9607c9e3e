/* Decoding: encoding detection and conversion to code points with byte offsets.
 *
 * UTF-8 is decoded by hand (it is the common case and needs no table); every
 * other encoding goes through an ICU converter, whose offsets array gives the
 * source byte of each UTF-16 unit, so the map back to the file comes free.
 * Detection: a byte-order mark wins; valid UTF-8 is UTF-8; otherwise ICU's
 * charset detector proposes, and a validity check (decoding the sample
 * without errors) disposes, because the detector alone confuses GBK and Big5
 * on short samples. */
#include "tokenizer/normalize_private.h"

#include <string.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>

#define SAMPLE_MAX (64 * 1024)

gboolean nz_is_utf8_name(const char *name)
{
  return name == NULL || g_ascii_strcasecmp(name, "UTF-8") == 0 || g_ascii_strcasecmp(name, "utf8") == 0;
}

/* UTF-8, allowing one truncated character at the end of a sample and a few
 * bad sequences (a damaged UTF-8 file is still UTF-8: GBK read as UTF-8
 * fails on nearly every non-ASCII byte, damage on a few). */
static gboolean looks_utf8(const guchar *s, gsize len, gboolean truncated_ok)
{
  gsize i = 0, good = 0, bad = 0;
  while (i < len) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    guint n;
    if (zhseg_utf8_decode(s + i, len - i, &n) < 0) {
      if (!(truncated_ok && i + 4 > len && i + n >= len))
        bad++;
    } else {
      good++;
    }
    i += n;
  }
  return bad == 0 || good >= 20 * bad;
}

static gsize count_invalid(const char *encoding, const guchar *bytes, gsize len)
{
  GArray *o = g_array_new(FALSE, FALSE, sizeof(OChar));
  guint64 n_invalid = 0;
  if (!nz_decode(encoding, bytes, len, o, &n_invalid, NULL, NULL, NULL, NULL))
    n_invalid = G_MAXSIZE;
  g_array_free(o, TRUE);
  return n_invalid;
}

const char *nz_detect_encoding(const guchar *bytes, gsize len)
{
  if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
    return "UTF-8";
  if (len >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
    return "UTF-16LE";
  if (len >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
    return "UTF-16BE";
  gsize n = MIN(len, SAMPLE_MAX);
  if (looks_utf8(bytes, n, n < len))
    return "UTF-8";
  /* Leave out a character the sample may cut in two. */
  while (n < len && n > 0 && bytes[n - 1] >= 0x80)
    n--;
  /* UTF-16 only with a byte-order mark: without one, almost any bytes
   * decode as UTF-16, so it would win the validity check below on a short
   * damaged UTF-8 file. --encoding UTF-16LE forces it. */
  static const char *const supported[] = {"GB18030", "Big5"};
  const char *candidates[8];
  gsize n_cand = 0;
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector *csd = ucsdet_open(&status);
  ucsdet_setText(csd, (const char *)bytes, (int32_t)n, &status);
  int32_t n_matches = 0;
  const UCharsetMatch **matches = ucsdet_detectAll(csd, &n_matches, &status);
  for (int32_t m = 0; U_SUCCESS(status) && m < n_matches && n_cand < 4; m++) {
    UErrorCode st = U_ZERO_ERROR;
    const char *name = ucsdet_getName(matches[m], &st);
    for (gsize k = 0; U_SUCCESS(st) && k < G_N_ELEMENTS(supported); k++)
      if (g_ascii_strcasecmp(name, supported[k]) == 0)
        candidates[n_cand++] = supported[k];
  }
  ucsdet_close(csd);
  candidates[n_cand++] = "GB18030";
  candidates[n_cand++] = "Big5";
  /* UTF-8 competes too: a short UTF-8 text with a damaged byte has too few
   * characters for looks_utf8's ratio, yet fewer errors than GB18030. */
  const char *best = "UTF-8";
  gsize best_invalid = count_invalid("UTF-8", bytes, n);
  for (gsize k = 0; k < n_cand && best_invalid > 0; k++) {
    gsize inv = count_invalid(candidates[k], bytes, n);
    if (inv < best_invalid) {
      best = candidates[k];
      best_invalid = inv;
    }
    if (inv == 0)
      break;
  }
  return best;
}

static void record_invalid(guint32 off, guint64 *n_invalid, GArray *offsets)
{
  (*n_invalid)++;
  if (offsets != NULL && offsets->len < 16) {
    guint64 o = off;
    g_array_append_val(offsets, o);
  }
}

static void decode_utf8(const guchar *s, gsize len, GArray *o, guint64 *n_invalid, GArray *offsets)
{
  /* Written in place: one entry per byte at most, plus the sentinel. */
  g_array_set_size(o, len + 1);
  OChar *out = (OChar *)o->data;
  gsize i = 0, k = 0;
  while (i < len) {
    OChar c;
    c.off = (guint32)i;
    if (s[i] < 0x80) {
      c.cp = s[i++];
    } else {
      guint n;
      gint32 cp = zhseg_utf8_decode(s + i, len - i, &n);
      if (cp < 0) {
        c.cp = 0xFFFD | OCHAR_INVALID;
        record_invalid((guint32)i, n_invalid, offsets);
      } else {
        c.cp = (guint32)cp;
      }
      i += n;
    }
    out[k++] = c;
  }
  g_array_set_size(o, k);
}

gboolean nz_decode(const char *encoding, const guchar *bytes, gsize len, GArray *o, guint64 *n_invalid,
                   GArray *invalid_offsets, GArray *u16, GArray *offs_scratch, GError **error)
{
  if (nz_is_utf8_name(encoding)) {
    decode_utf8(bytes, len, o, n_invalid, invalid_offsets);
  } else {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(encoding, &status);
    if (zhseg_icu_failed(status, error, "opening the converter"))
      return FALSE;
    /* What a genuine U+FFFD / U+001A looks like in this encoding, to tell it
     * from a substitution. */
    char fffd[8], sub[8];
    static const UChar ufffd[] = {0xFFFD}, usub[] = {0x1A};
    int32_t fffd_len = ucnv_fromUChars(cnv, fffd, sizeof fffd, ufffd, 1, &status);
    if (U_FAILURE(status))
      fffd_len = -1;
    status = U_ZERO_ERROR;
    int32_t sub_len = ucnv_fromUChars(cnv, sub, sizeof sub, usub, 1, &status);
    if (U_FAILURE(status))
      sub_len = -1;
    status = U_ZERO_ERROR;
    ucnv_reset(cnv);
    gsize cap = len + 16;
    GArray *own_u = u16 == NULL ? (u16 = g_array_new(FALSE, FALSE, sizeof(UChar))) : NULL;
    GArray *own_o = offs_scratch == NULL ? (offs_scratch = g_array_new(FALSE, FALSE, sizeof(int32_t))) : NULL;
    g_array_set_size(u16, cap);
    g_array_set_size(offs_scratch, cap);
    UChar *u = (UChar *)u16->data;
    int32_t *offs = (int32_t *)offs_scratch->data;
    UChar *target = u;
    const char *source = (const char *)bytes;
    ucnv_toUnicode(cnv, &target, u + cap, &source, (const char *)bytes + len, offs, TRUE, &status);
    ucnv_close(cnv);
    if (zhseg_icu_failed(status, error, "decoding")) {
      if (own_u != NULL)
        g_array_free(own_u, TRUE);
      if (own_o != NULL)
        g_array_free(own_o, TRUE);
      return FALSE;
    }
    int32_t nu = (int32_t)(target - u);
    g_array_set_size(o, (guint)nu + 1);
    OChar *out = (OChar *)o->data;
    gsize no = 0;
    for (int32_t k = 0; k < nu;) {
      int32_t k0 = k;
      UChar32 c;
      U16_NEXT(u, k, nu, c);
      out[no].cp = (guint32)c;
      out[no].off = (guint32)MAX(offs[k0], 0);
      no++;
    }
    g_array_set_size(o, no);
    if (own_u != NULL)
      g_array_free(own_u, TRUE);
    if (own_o != NULL)
      g_array_free(own_o, TRUE);
    /* Substitutions whose bytes are not the character's own encoding. */
    for (guint i = 0; i < o->len; i++) {
      OChar *c = &g_array_index(o, OChar, i);
      if (c->cp != 0xFFFD && c->cp != 0x1A)
        continue;
      guint32 end = i + 1 < o->len ? g_array_index(o, OChar, i + 1).off : (guint32)len;
      const char *own = c->cp == 0xFFFD ? fffd : sub;
      int32_t own_len = c->cp == 0xFFFD ? fffd_len : sub_len;
      if (own_len < 0 || end - c->off != (guint32)own_len || memcmp(bytes + c->off, own, own_len) != 0) {
        c->cp = 0xFFFD | OCHAR_INVALID;
        record_invalid(c->off, n_invalid, invalid_offsets);
      }
    }
  }
  OChar sentinel = {0, (guint32)len};
  g_array_append_val(o, sentinel);
  return TRUE;
}
