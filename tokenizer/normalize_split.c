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

/* lf_ends_sentence for UTF-8, with the sets' bytes written out: it runs at
 * every LF of the input, and a memcmp per set member per LF showed in
 * profiles. tests/test_normalize.c checks it against lf_ends_sentence. */
static inline gsize utf8_closer_before(const guchar *s, gsize p)
{
  if (p >= 1 && (s[p - 1] == ')' || s[p - 1] == '"' || s[p - 1] == '\''))
    return 1;
  if (p < 3)
    return 0;
  guchar a = s[p - 3], b = s[p - 2], c = s[p - 1];
  if (a == 0xE2 && b == 0x80 && (c == 0x9D || c == 0x99)) /* ” ’ */
    return 3;
  if (a == 0xE3 && b == 0x80 && (c == 0x8D || c == 0x8F || c == 0x91 || c == 0x8B)) /* 」』】》 */
    return 3;
  if (a == 0xEF && b == 0xBC && c == 0x89) /* ） */
    return 3;
  return 0;
}

static inline gboolean utf8_terminator_before(const guchar *s, gsize p)
{
  if (p >= 1 && (s[p - 1] == '.' || s[p - 1] == '!' || s[p - 1] == '?' || s[p - 1] == ';'))
    return TRUE;
  if (p < 3)
    return FALSE;
  guchar a = s[p - 3], b = s[p - 2], c = s[p - 1];
  return (a == 0xE3 && b == 0x80 && c == 0x82) ||                             /* 。 */
         (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F || c == 0x9B)) || /* ！？； */
         (a == 0xE2 && b == 0x80 && c == 0xA6);                               /* … */
}

gboolean nz_utf8_ends_sentence(const guchar *s, gsize lf)
{
  gsize p = lf;
  while (p > 0 && (s[p - 1] == '\r' || s[p - 1] == ' '))
    p--;
  gsize m;
  while ((m = utf8_closer_before(s, p)) > 0)
    p -= m;
  return utf8_terminator_before(s, p);
}

gsize nz_utf8_unit_end(const guchar *s, gsize from, gsize len)
{
  for (const guchar *p = s + from; (p = memchr(p, '\n', len - (gsize)(p - s))) != NULL;) {
    gsize i = (gsize)(++p - s);
    if (nz_utf8_ends_sentence(s, i - 1))
      return i;
  }
  return len;
}

/* For the tests: the generic rule, with the sets encoded as UTF-8. */
gboolean nz_utf8_ends_sentence_generic(const guchar *s, gsize lf)
{
  Enc term[G_N_ELEMENTS(terminators)], close[G_N_ELEMENTS(closers)];
  for (gsize i = 0; i < G_N_ELEMENTS(terminators); i++)
    term[i].len = g_unichar_to_utf8(terminators[i], term[i].bytes);
  for (gsize i = 0; i < G_N_ELEMENTS(closers); i++)
    close[i].len = g_unichar_to_utf8(closers[i], close[i].bytes);
  return lf_ends_sentence(s, lf + 1, term, G_N_ELEMENTS(terminators), close, G_N_ELEMENTS(closers));
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
