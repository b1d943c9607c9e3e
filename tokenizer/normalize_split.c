/* Where a stream can be cut into chunks without changing the result.
 *
 * Every decision of the normalizer is local to a layout unit (the lines up to
 * a line that ends a sentence): joins, t2s auto, dedup. A line break right
 * after a sentence end is therefore a safe cut. The terminators are looked up
 * as bytes of the input's own encoding (converted with ICU), so the cut is
 * found without decoding the chunk. */
#include "tokenizer/normalize_private.h"

#include <string.h>

typedef struct {
  char bytes[8];
  int len;
} Enc;

static const UChar terminators[] = {0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0x2026, '.', '!', '?', ';'};
static const UChar closers[] = {0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, ')', 0x3011, 0x300B, '"', '\''};

static int encode_set(UConverter *cnv, const UChar *set, gsize n, Enc *out)
{
  int k = 0;
  for (gsize i = 0; i < n; i++) {
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetFromUnicode(cnv);
    int32_t len = ucnv_fromUChars(cnv, out[k].bytes, sizeof out[k].bytes, &set[i], 1, &st);
    if (U_SUCCESS(st) && len > 0 && len <= 4) {
      out[k].len = len;
      k++;
    }
  }
  return k;
}

static int suffix_match(const guchar *s, gsize p, const Enc *set, int n)
{
  for (int i = 0; i < n; i++)
    if ((gsize)set[i].len <= p && memcmp(s + p - set[i].len, set[i].bytes, set[i].len) == 0)
      return set[i].len;
  return 0;
}

/* Is the LF at s[i - 1] a safe cut: the end of a line that ends a sentence
 * (terminator, then closers, CRs and spaces)? */
static gboolean lf_ends_sentence(const guchar *s, gsize i, const Enc *term, int nt, const Enc *close, int nc)
{
  gsize p = i - 1;
  while (p > 0 && (s[p - 1] == '\r' || s[p - 1] == ' '))
    p--;
  int m;
  while ((m = suffix_match(s, p, close, nc)) > 0)
    p -= m;
  return suffix_match(s, p, term, nt) > 0;
}

static int utf8_set(const UChar *set, gsize n, Enc *out)
{
  for (gsize i = 0; i < n; i++)
    out[i].len = g_unichar_to_utf8(set[i], out[i].bytes);
  return (int)n;
}

gsize nz_utf8_unit_end(const guchar *s, gsize from, gsize len)
{
  static Enc term[G_N_ELEMENTS(terminators)], close[G_N_ELEMENTS(closers)];
  static gsize once;
  if (g_once_init_enter(&once)) {
    utf8_set(terminators, G_N_ELEMENTS(terminators), term);
    utf8_set(closers, G_N_ELEMENTS(closers), close);
    g_once_init_leave(&once, 1);
  }
  for (const guchar *p = s + from; (p = memchr(p, '\n', len - (gsize)(p - s))) != NULL;) {
    gsize i = (gsize)(++p - s);
    if (lf_ends_sentence(s, i, term, G_N_ELEMENTS(terminators), close, G_N_ELEMENTS(closers)))
      return i;
  }
  return len;
}

static gboolean is_utf16(const char *enc, gboolean *be)
{
  if (enc == NULL)
    return FALSE;
  if (g_ascii_strcasecmp(enc, "UTF-16BE") == 0) {
    *be = TRUE;
    return TRUE;
  }
  if (g_ascii_strcasecmp(enc, "UTF-16LE") == 0 || g_ascii_strcasecmp(enc, "UTF-16") == 0) {
    *be = FALSE;
    return TRUE;
  }
  return FALSE;
}

static gsize split_utf16(const guchar *s, gsize len, gboolean be, gboolean force)
{
  len &= ~(gsize)1;
  gsize last_lf = 0;
#define UNIT(i) (be ? (guint32)(s[i] << 8 | s[(i) + 1]) : (guint32)(s[(i) + 1] << 8 | s[i]))
  for (gsize i = len; i >= 2; i -= 2) {
    if (UNIT(i - 2) != '\n')
      continue;
    if (last_lf == 0)
      last_lf = i;
    gsize p = i - 2;
    while (p >= 2 && (UNIT(p - 2) == '\r' || UNIT(p - 2) == ' '))
      p -= 2;
    while (p >= 2 && nz_is_closer(UNIT(p - 2)))
      p -= 2;
    if (p >= 2 && nz_is_terminator(UNIT(p - 2)))
      return i;
  }
  if (!force)
    return 0;
  if (last_lf > 0)
    return last_lf;
  /* Never between the halves of a surrogate pair. */
  if (len >= 2 && UNIT(len - 2) >= 0xD800 && UNIT(len - 2) <= 0xDBFF)
    return len - 2;
  return len;
#undef UNIT
}

/* Length of the longest prefix made of whole characters. */
static gsize whole_chars(const guchar *s, gsize len, const char *enc)
{
  if (nz_is_utf8_name(enc)) {
    gsize p = len;
    while (p > 0 && len - p < 4 && (s[p - 1] & 0xC0) == 0x80)
      p--;
    if (p > 0 && s[p - 1] >= 0xC0) {
      guint n;
      if (zhseg_utf8_decode(s + p - 1, len - p + 1, &n) < 0 && p - 1 + n >= len)
        return p - 1; /* truncated last character */
    }
    return len;
  }
  gboolean gb = g_ascii_strncasecmp(enc, "GB", 2) == 0 || g_ascii_strcasecmp(enc, "windows-936") == 0;
  gboolean big5 = g_ascii_strncasecmp(enc, "Big5", 4) == 0 || g_ascii_strcasecmp(enc, "windows-950") == 0;
  if (!gb && !big5)
    return len;
  gsize i = 0, last = 0;
  while (i < len) {
    last = i;
    if (s[i] < 0x80)
      i++;
    else if (gb && i + 1 < len && s[i + 1] >= 0x30 && s[i + 1] <= 0x39)
      i += 4;
    else
      i += 2;
  }
  return i == len ? len : last;
}

gsize zhseg_normalizer_safe_split(const char *bytes, gsize len, const char *encoding, gboolean force)
{
  g_return_val_if_fail(bytes != NULL || len == 0, 0);
  const guchar *s = (const guchar *)bytes;
  gboolean be;
  if (is_utf16(encoding, &be))
    return split_utf16(s, len, be, force);
  Enc term[G_N_ELEMENTS(terminators)], close[G_N_ELEMENTS(closers)];
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open(encoding != NULL ? encoding : "UTF-8", &st);
  if (U_FAILURE(st))
    cnv = ucnv_open("UTF-8", &(UErrorCode){U_ZERO_ERROR});
  int nt = encode_set(cnv, terminators, G_N_ELEMENTS(terminators), term);
  int nc = encode_set(cnv, closers, G_N_ELEMENTS(closers), close);
  ucnv_close(cnv);
  gsize last_lf = 0;
  for (gsize i = len; i > 0; i--) {
    if (s[i - 1] != '\n')
      continue;
    if (last_lf == 0)
      last_lf = i;
    if (lf_ends_sentence(s, i, term, nt, close, nc))
      return i;
  }
  if (!force)
    return 0;
  if (last_lf > 0)
    return last_lf;
  return whole_chars(s, len, encoding);
}
