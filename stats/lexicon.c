/* Lexicons: terms grouped in concepts, and finding them inside tokens. */
#include "stats/private.h"

#include <string.h>

static ZhsegTermLexicon *lexicon_alloc(void)
{
  ZhsegTermLexicon *lex = g_new0(ZhsegTermLexicon, 1);
  lex->terms = g_ptr_array_new_with_free_func(g_free);
  lex->term_concept = g_array_new(FALSE, FALSE, sizeof(guint));
  lex->concepts = g_ptr_array_new_with_free_func(g_free);
  lex->index = g_hash_table_new(g_str_hash, g_str_equal);
  return lex;
}

void zhseg_term_lexicon_free(ZhsegTermLexicon *lex)
{
  if (lex == NULL)
    return;
  g_hash_table_destroy(lex->index);
  g_ptr_array_free(lex->terms, TRUE);
  g_array_free(lex->term_concept, TRUE);
  g_ptr_array_free(lex->concepts, TRUE);
  g_free(lex);
}

static guint concept_index(ZhsegTermLexicon *lex, const char *name)
{
  for (guint i = 0; i < lex->concepts->len; i++)
    if (strcmp(g_ptr_array_index(lex->concepts, i), name) == 0)
      return i;
  g_ptr_array_add(lex->concepts, g_strdup(name));
  return lex->concepts->len - 1;
}

ZhsegTermLexicon *zhseg_term_lexicon_new_from_text(const char *text, gssize len, const char *source_name,
                                          GError **error)
{
  g_return_val_if_fail(text != NULL, NULL);
  if (len < 0)
    len = strlen(text);
  if (source_name == NULL)
    source_name = "lexicon";
  if (!g_utf8_validate_len(text, len, NULL)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ENCODING, "%s: not valid UTF-8", source_name);
    return NULL;
  }
  ZhsegTermLexicon *lex = lexicon_alloc();
  const char *p = text, *end = text + len;
  guint line_no = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', end - p);
    const char *le = nl ? nl : end;
    line_no++;
    char *line = g_strndup(p, le - p);
    p = nl ? nl + 1 : end;
    g_strstrip(line);
    if (line[0] == '\0' || line[0] == '#') {
      g_free(line);
      continue;
    }
    char *tab = strchr(line, '\t');
    const char *concept = NULL;
    if (tab != NULL) {
      *tab = '\0';
      concept = g_strstrip(tab + 1);
      g_strstrip(line);
      if (strchr(concept, '\t') != NULL || line[0] == '\0') {
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                    "%s:%u: expected `term<TAB>concept`", source_name, line_no);
        g_free(line);
        zhseg_term_lexicon_free(lex);
        return NULL;
      }
      if (*concept == '\0')
        concept = NULL;
    }
    guint ci = concept ? concept_index(lex, concept) : G_MAXUINT;
    gpointer found = g_hash_table_lookup(lex->index, line);
    if (found != NULL) {
      g_array_index(lex->term_concept, guint, GPOINTER_TO_UINT(found) - 1) = ci;
    } else {
      char *term = g_strdup(line);
      g_ptr_array_add(lex->terms, term);
      g_array_append_val(lex->term_concept, ci);
      g_hash_table_insert(lex->index, term, GUINT_TO_POINTER(lex->terms->len));
      lex->max_bytes = MAX(lex->max_bytes, strlen(term));
    }
    g_free(line);
  }
  return lex;
}

ZhsegTermLexicon *zhseg_term_lexicon_load(const char *name_or_path, GError **error)
{
  g_return_val_if_fail(name_or_path != NULL, NULL);
  char *path;
  if (strchr(name_or_path, '/') != NULL || g_file_test(name_or_path, G_FILE_TEST_IS_REGULAR)) {
    path = zhseg_find_data_file(name_or_path, NULL, NULL, error);
  } else {
    char *name = g_strdup_printf("lexicons/%s.txt", name_or_path);
    path = zhseg_find_data_file(NULL, NULL, name, error);
    g_free(name);
  }
  if (path == NULL)
    return NULL;
  char *text = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents(path, &text, &len, &local)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
    g_error_free(local);
    g_free(path);
    return NULL;
  }
  ZhsegTermLexicon *lex = zhseg_term_lexicon_new_from_text(text, len, path, error);
  g_free(text);
  g_free(path);
  return lex;
}

gsize zhseg_term_lexicon_n_terms(const ZhsegTermLexicon *lex)
{
  g_return_val_if_fail(lex != NULL, 0);
  return lex->terms->len;
}

const char *zhseg_term_lexicon_term(const ZhsegTermLexicon *lex, gsize i, const char **concept)
{
  g_return_val_if_fail(lex != NULL && i < lex->terms->len, NULL);
  if (concept != NULL) {
    guint ci = g_array_index(lex->term_concept, guint, i);
    *concept = ci == G_MAXUINT ? "" : g_ptr_array_index(lex->concepts, ci);
  }
  return g_ptr_array_index(lex->terms, i);
}

guint zhseg_term_lexicon_n_concepts_(const ZhsegTermLexicon *lex)
{
  return lex->concepts->len;
}

char *zhseg_term_lexicon_user_dict_text(const ZhsegTermLexicon *lex)
{
  g_return_val_if_fail(lex != NULL, NULL);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < lex->terms->len; i++) {
    g_string_append(s, g_ptr_array_index(lex->terms, i));
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

gssize zhseg_term_lexicon_find(const ZhsegTermLexicon *lex, const char *s, gsize len)
{
  if (len == 0 || len > lex->max_bytes)
    return -1;
  char buf[256];
  char *key = len < sizeof buf ? buf : g_malloc(len + 1);
  memcpy(key, s, len);
  key[len] = '\0';
  gpointer v = g_hash_table_lookup(lex->index, key);
  if (key != buf)
    g_free(key);
  return v ? (gssize)GPOINTER_TO_UINT(v) - 1 : -1;
}

void zhseg_term_lexicon_match(const ZhsegTermLexicon *lex, const char *s, gsize len, GArray *matches)
{
  for (gsize i = 0; i < len; i = g_utf8_next_char(s + i) - s) {
    for (gsize j = g_utf8_next_char(s + i) - s; j <= len && j - i <= lex->max_bytes;
         j = g_utf8_next_char(s + j) - s) {
      gssize t = zhseg_term_lexicon_find(lex, s + i, j - i);
      if (t >= 0) {
        ZhsegTermMatch m = {(guint)t, (guint)i, (guint)(j - i)};
        g_array_append_val(matches, m);
      }
      if (j == len)
        break;
    }
  }
}
