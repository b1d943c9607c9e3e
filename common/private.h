/* Helpers shared inside libzhseg; not part of the public API. */
#ifndef ZHSEG_COMMON_PRIVATE_H
#define ZHSEG_COMMON_PRIVATE_H

#include "include/zhseg.h"

#include <unicode/utypes.h>

/* Turns a failed ICU status into a GError, keeping u_errorName() in the
 * message. Returns TRUE when `status` is a failure (and sets `error`). */
gboolean zhseg_icu_failed(UErrorCode status, GError **error, const char *what);

/* Decodes one UTF-8 character at s[0..len). Returns its code point and stores
 * its length in *n (1..4); an invalid or truncated sequence returns -1 with
 * *n the number of bytes that form the maximal bad subpart (at least 1), as
 * the Unicode standard recommends for U+FFFD substitution. */
static inline gint32 zhseg_utf8_decode(const guchar *s, gsize len, guint *n)
{
  guchar c = s[0];
  if (c < 0x80) { *n = 1; return c; }
  guint need;
  gint32 cp;
  guchar lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2; cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0; else if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3; cp = c & 0x07;
    if (c == 0xF0) lo = 0x90; else if (c == 0xF4) hi = 0x8F;
  } else { *n = 1; return -1; }
  for (guint i = 1; i <= need; i++) {
    if (i >= len) { *n = i; return -1; }
    guchar b = s[i];
    if (b < lo || b > hi) { *n = i; return -1; }
    lo = 0x80; hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  *n = need + 1;
  return cp;
}

/* The code point of the three-byte UTF-8 sequence in the low bytes of w
 * (loaded little-endian), whose form the caller has checked: for hot loops
 * that validate several characters with one masked compare. */
static inline guint32 zhseg_utf8_decode3(guint64 w)
{
  return (guint32)((w & 0x0F) << 12 | (w >> 2 & 0xFC0) | (w >> 16 & 0x3F));
}

/* zhseg_utf8_decode with the two common cases inline: ASCII and a valid
 * three-byte sequence (all of CJK). */
static inline gint32 zhseg_utf8_decode_fast(const guchar *s, gsize len, guint *n)
{
  guchar c = s[0];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  if ((c & 0xF0) == 0xE0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    gint32 cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *n = 3;
      return cp;
    }
  }
  return zhseg_utf8_decode(s, len, n);
}

#endif
