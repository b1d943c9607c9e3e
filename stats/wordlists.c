/* Word lists read from data files: stop words and IDF tables. */
#include "stats/private.h"

#include <stdlib.h>
#include <string.h>

struct ZhsegStopwords {
  GHashTable *words;
};

struct ZhsegIdf {
  GHashTable *idf; /* word -> double * (in values) */
  double *values;
  double median;
};

static gboolean read_data_file(const char *name_or_path, const char *dir, const char *env_var,
                               char **path_out, char **text, gsize *len, GError **error)
{
  char *path;
  if (strchr(name_or_path, '/') != NULL || g_file_test(name_or_path, G_FILE_TEST_IS_REGULAR)) {
    path = zhseg_find_data_file(name_or_path, NULL, NULL, error);
  } else {
    char *name = g_strdup_printf("%s/%s.txt", dir, name_or_path);
    path = zhseg_find_data_file(NULL, env_var, name, error);
    g_free(name);
  }
  if (path == NULL)
    return FALSE;
  GError *local = NULL;
  if (!g_file_get_contents(path, text, len, &local)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
    g_error_free(local);
    g_free(path);
    return FALSE;
  }
  if (!g_utf8_validate_len(*text, *len, NULL)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ENCODING, "%s: not valid UTF-8", path);
    g_free(*text);
    g_free(path);
    return FALSE;
  }
  *path_out = path;
  return TRUE;
}

ZhsegStopwords *zhseg_stopwords_new(void)
{
  ZhsegStopwords *sw = g_new0(ZhsegStopwords, 1);
  sw->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  return sw;
}

void zhseg_stopwords_free(ZhsegStopwords *sw)
{
  if (sw == NULL)
    return;
  g_hash_table_destroy(sw->words);
  g_free(sw);
}

void zhseg_stopwords_add(ZhsegStopwords *sw, const char *word, gssize len)
{
  g_return_if_fail(sw != NULL && word != NULL);
  char *w = len < 0 ? g_strdup(word) : g_strndup(word, len);
  g_hash_table_add(sw->words, w);
}

void zhseg_stopwords_remove(ZhsegStopwords *sw, const char *word, gssize len)
{
  g_return_if_fail(sw != NULL && word != NULL);
  char *w = len < 0 ? g_strdup(word) : g_strndup(word, len);
  g_hash_table_remove(sw->words, w);
  g_free(w);
}

gboolean zhseg_stopwords_contains(const ZhsegStopwords *sw, const char *word, gssize len)
{
  g_return_val_if_fail(sw != NULL && word != NULL, FALSE);
  if (len < 0)
    return g_hash_table_contains(sw->words, word);
  char buf[128];
  char *w = (gsize)len < sizeof buf ? buf : g_malloc(len + 1);
  memcpy(w, word, len);
  w[len] = '\0';
  gboolean found = g_hash_table_contains(sw->words, w);
  if (w != buf)
    g_free(w);
  return found;
}

gsize zhseg_stopwords_size(const ZhsegStopwords *sw)
{
  g_return_val_if_fail(sw != NULL, 0);
  return g_hash_table_size(sw->words);
}

gboolean zhseg_stopwords_add_file(ZhsegStopwords *sw, const char *name_or_path, GError **error)
{
  g_return_val_if_fail(sw != NULL && name_or_path != NULL, FALSE);
  char *path = NULL, *text = NULL;
  gsize len = 0;
  if (!read_data_file(name_or_path, "stopwords", NULL, &path, &text, &len, error))
    return FALSE;
  char **lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    g_strstrip(*l);
    if (**l != '\0' && **l != '#')
      zhseg_stopwords_add(sw, *l, -1);
  }
  g_strfreev(lines);
  g_free(text);
  g_free(path);
  return TRUE;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

ZhsegIdf *zhseg_idf_load(const char *path, GError **error)
{
  char *found = zhseg_find_data_file(path, path ? NULL : "ZHSEG_IDF", "jieba/idf.txt", error);
  if (found == NULL)
    return NULL;
  char *text = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents(found, &text, &len, &local)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
    g_error_free(local);
    g_free(found);
    return NULL;
  }
  ZhsegIdf *idf = g_new0(ZhsegIdf, 1);
  idf->idf = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GArray *values = g_array_new(FALSE, FALSE, sizeof(double));
  guint line_no = 0;
  /* Line by line in place (the table has ~270,000 lines). */
  for (char *p = text, *end = text + len; p < end;) {
    char *nl = memchr(p, '\n', end - p);
    char *l = p;
    if (nl != NULL)
      *nl = '\0';
    else
      text[len] = '\0'; /* g_file_get_contents NUL-terminates */
    p = nl ? nl + 1 : end;
    line_no++;
    g_strstrip(l);
    if (*l == '\0' || *l == '#')
      continue;
    char *sp = strrchr(l, ' ');
    char *tab = strrchr(l, '\t');
    if (tab > sp)
      sp = tab;
    char *endp = NULL;
    double v = sp ? g_ascii_strtod(sp + 1, &endp) : 0;
    if (sp == NULL || endp == sp + 1 || *endp != '\0') {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "%s:%u: expected `word idf`", found,
                  line_no);
      g_free(text);
      g_array_free(values, TRUE);
      g_hash_table_destroy(idf->idf);
      g_free(idf);
      g_free(found);
      return NULL;
    }
    *sp = '\0';
    g_strchomp(l);
    g_array_append_val(values, v);
    g_hash_table_insert(idf->idf, g_strdup(l), GUINT_TO_POINTER(values->len));
  }
  g_free(text);
  g_free(found);
  idf->values = (double *)g_array_free(values, FALSE);
  gsize n = g_hash_table_size(idf->idf);
  GHashTableIter it;
  gpointer k, v;
  /* The median as jieba takes it, over the table's words (a word listed
   * twice counts once, with its last value). */
  double *sorted = g_new(double, n + 1);
  gsize i = 0;
  g_hash_table_iter_init(&it, idf->idf);
  while (g_hash_table_iter_next(&it, &k, &v))
    sorted[i++] = idf->values[GPOINTER_TO_UINT(v) - 1];
  qsort(sorted, n, sizeof(double), cmp_double);
  idf->median = n == 0 ? 0.0 : sorted[n / 2]; /* jieba: sorted(values)[len // 2] */
  g_free(sorted);
  return idf;
}

void zhseg_idf_free(ZhsegIdf *idf)
{
  if (idf == NULL)
    return;
  g_hash_table_destroy(idf->idf);
  g_free(idf->values);
  g_free(idf);
}

double zhseg_idf_lookup(const ZhsegIdf *idf, const char *word, gssize len)
{
  g_return_val_if_fail(idf != NULL && word != NULL, 0.0);
  char *w = len < 0 ? g_strdup(word) : g_strndup(word, len);
  gpointer v = g_hash_table_lookup(idf->idf, w);
  g_free(w);
  return v ? idf->values[GPOINTER_TO_UINT(v) - 1] : idf->median;
}
