/* zhseg cut's output buffer: text appended valid (bad UTF-8 replaced) and
 * escaped for the format, and room made for the writers that write in
 * place. */
#include "cli/cut_private.h"

/* Appends `text` with invalid UTF-8 replaced by U+FFFD, escaped for the
 * format; runs that need nothing are copied whole. */
void cut_append_text(GString *out, const char *text, gsize len, Format format)
{
  /* Only raw-mode invalid tokens hold bad UTF-8: the caller knows. */
  if (format == FORMAT_TEXT && g_utf8_validate_len(text, len, NULL)) {
    put(out, text, len);
    return;
  }
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *valid_end;
    g_utf8_validate_len(p, (gsize)(end - p), &valid_end);
    const char *run = p;
    for (const char *q = p; q < valid_end; q++) {
      unsigned char c = (unsigned char)*q;
      if (G_LIKELY(!needs_escape(c, format)))
        continue;
      put(out, run, (gsize)(q - run));
      run = q + 1;
      if (format == FORMAT_JSONL) {
        if (c == '"' || c == '\\') {
          g_string_append_c(out, '\\');
          g_string_append_c(out, (char)c);
        } else {
          g_string_append_printf(out, c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : "\\u%04x", c);
        }
      } else {
        g_string_append(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\\\");
      }
    }
    put(out, run, (gsize)(valid_end - run));
    if (valid_end < end) {
      /* One U+FFFD per bad sequence: its lead byte and continuation bytes. */
      g_string_append(out, "\xEF\xBF\xBD");
      valid_end++;
      while (valid_end < end && ((unsigned char)*valid_end & 0xC0) == 0x80)
        valid_end++;
    }
    p = valid_end;
  }
}

/* Makes room for n more bytes after d, the end of what is written in out
 * (rows and text alike keep that end in a local); returns the new end. */
G_GNUC_NO_INLINE char *cut_out_grow(GString *out, char *d, gsize n)
{
  gsize len = (gsize)(d - out->str);
  g_string_set_size(out, len + n);
  out->len = len;
  return out->str + len;
}
