/* Text lexicons: `word [freq] [tag]` per line (TAB-separated when the line
 * holds a TAB, so a word may contain spaces); `#` starts a comment line. */
#include "dict/private.h"

#include <stdlib.h>
#include <string.h>

void zhseg_lexicon_free(GArray *entries)
{
  if (entries == NULL)
    return;
  for (guint i = 0; i < entries->len; i++) {
    ZhsegLexEntry *e = &g_array_index(entries, ZhsegLexEntry, i);
    g_free(e->word);
    g_free(e->tag);
  }
  g_array_free(entries, TRUE);
}

static gboolean parse_freq(const char *s, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod(s, &end);
  if (end == s || *end != '\0' || !(v >= 0) || v > 4e9)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean fail(GError **error, const char *source, guint line, const char *fmt, const char *arg)
{
  char *what = g_strdup_printf(fmt, arg);
  g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "%s:%u: %s", source, line, what);
  g_free(what);
  return FALSE;
}

static gboolean parse_line(char *line, guint lineno, const char *source, GArray *out,
                           GError **error)
{
  char *fields[3] = {NULL, NULL, NULL};
  guint n = 0;
  if (strchr(line, '\t') != NULL) {
    char **parts = g_strsplit(line, "\t", -1);
    guint np = g_strv_length(parts);
    /* Trailing empty fields (a stray TAB at the end) are ignored. */
    while (np > 0 && parts[np - 1][0] == '\0')
      np--;
    if (np > 3) {
      g_strfreev(parts);
      return fail(error, source, lineno, "%s", "more than 3 TAB-separated fields (word, frequency, tag)");
    }
    for (guint i = 0; i < np; i++)
      fields[i] = g_strdup(parts[i]);
    n = np;
    g_strfreev(parts);
  } else {
    char *p = line;
    while (*p != '\0') {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      char *start = p;
      while (*p != '\0' && *p != ' ')
        p++;
      if (n == 3) {
        for (guint i = 0; i < n; i++)
          g_free(fields[i]);
        return fail(error, source, lineno, "%s",
                    "more than 3 fields (word, frequency, tag); separate fields by TABs "
                    "if the word contains spaces");
      }
      fields[n++] = g_strndup(start, p - start);
    }
  }
  if (n == 0)
    return TRUE;
  ZhsegLexEntry e = {fields[0], -1, NULL, lineno};
  gboolean ok = TRUE;
  if (e.word[0] == '\0')
    ok = fail(error, source, lineno, "%s", "empty word");
  else if (!g_utf8_validate(e.word, -1, NULL))
    ok = fail(error, source, lineno, "%s", "word is not valid UTF-8");
  if (ok && n >= 2) {
    if (n == 2 && !parse_freq(fields[1], &e.freq)) {
      /* `word tag` without a frequency is allowed when the tag is not numeric. */
      if (g_ascii_isalpha(fields[1][0])) {
        e.tag = fields[1];
        fields[1] = NULL;
      } else {
        ok = fail(error, source, lineno, "frequency '%s' is not a non-negative number", fields[1]);
      }
    } else if (n == 3 && !parse_freq(fields[1], &e.freq)) {
      ok = fail(error, source, lineno, "frequency '%s' is not a non-negative number", fields[1]);
    }
  }
  if (ok && n == 3) {
    e.tag = fields[2];
    fields[2] = NULL;
  }
  if (ok && g_utf8_strlen(e.word, -1) > ZHSEG_MAX_WORD_CHARS)
    ok = fail(error, source, lineno, "a word may have at most %s characters", G_STRINGIFY(ZHSEG_MAX_WORD_CHARS));
  if (ok && e.tag != NULL && (e.tag[0] == '\0' || strlen(e.tag) > 15))
    ok = fail(error, source, lineno, "tag '%s' must have 1 to 15 bytes", e.tag);
  g_free(fields[1]);
  g_free(fields[2]);
  if (!ok) {
    g_free(e.word);
    g_free(e.tag);
    return FALSE;
  }
  g_array_append_val(out, e);
  return TRUE;
}

GArray *zhseg_lexicon_parse(const char *text, gsize len, const char *source, GError **error)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(ZhsegLexEntry));
  gsize pos = 0;
  guint lineno = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    gsize end = nl != NULL ? (gsize)(nl - text) : len;
    gsize stop = end > pos && text[end - 1] == '\r' ? end - 1 : end;
    lineno++;
    gboolean ok = TRUE;
    if (memchr(text + pos, '\0', stop - pos) != NULL) {
      ok = fail(error, source, lineno, "%s", "line holds a NUL byte");
    } else if (stop > pos && text[pos] != '#') {
      char *line = g_strndup(text + pos, stop - pos);
      ok = parse_line(line, lineno, source, out, error);
      g_free(line);
    }
    if (!ok) {
      zhseg_lexicon_free(out);
      return NULL;
    }
    pos = end + 1;
  }
  return out;
}
