/* The corpus: settings, and merging articles' counts (thread safe). */
#include "stats/private.h"

#include <string.h>

#define DEFAULT_CONTENT_TAGS "n,nr,ns,nt,nz,nw,vn,v,an,i,l,j,eng"

ZhsegCorpus *zhseg_corpus_new(ZhsegDict *dict, const ZhsegTermLexicon *lexicon,
                              const ZhsegStopwords *stopwords)
{
  g_return_val_if_fail(dict != NULL, NULL);
  ZhsegCorpus *c = g_new0(ZhsegCorpus, 1);
  c->dict = zhseg_dict_ref(dict);
  c->lexicon = lexicon;
  c->stopwords = stopwords;
  c->window = 5;
  c->tr_span = 5;
  g_mutex_init(&c->lock);
  c->vocab = g_hash_table_new(g_str_hash, g_str_equal);
  c->terms = g_array_new(FALSE, TRUE, sizeof(ZhsegCorpusTerm));
  c->pairs_win = zhseg_pair_map_new();
  c->pairs_sent = zhseg_pair_map_new();
  c->pairs_tr = zhseg_pair_map_new();
  c->articles = g_array_new(FALSE, TRUE, sizeof(ZhsegArticle));
  zhseg_corpus_set_content_tags(c, NULL, NULL);
  return c;
}

void zhseg_corpus_free(ZhsegCorpus *c)
{
  if (c == NULL)
    return;
  zhseg_dict_unref(c->dict);
  if (c->content_tags)
    g_hash_table_destroy(c->content_tags);
  g_hash_table_destroy(c->vocab);
  for (guint i = 0; i < c->terms->len; i++)
    g_free(g_array_index(c->terms, ZhsegCorpusTerm, i).term);
  g_array_free(c->terms, TRUE);
  zhseg_pair_map_free(c->pairs_win);
  zhseg_pair_map_free(c->pairs_sent);
  zhseg_pair_map_free(c->pairs_tr);
  for (guint i = 0; i < c->articles->len; i++) {
    ZhsegArticle *a = &g_array_index(c->articles, ZhsegArticle, i);
    g_free(a->id);
    g_free(a->path);
    if (a->terms)
      g_array_free(a->terms, TRUE);
    g_free(a->concepts);
  }
  g_array_free(c->articles, TRUE);
  g_mutex_clear(&c->lock);
  g_free(c);
}

gboolean zhseg_corpus_set_content_tags(ZhsegCorpus *c, const char *tags, GError **error)
{
  g_return_val_if_fail(c != NULL, FALSE);
  if (tags == NULL)
    tags = DEFAULT_CONTENT_TAGS;
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  char **parts = g_strsplit(tags, ",", -1);
  for (char **p = parts; *p != NULL; p++) {
    g_strstrip(*p);
    if (**p != '\0')
      g_hash_table_add(set, g_strdup(*p));
  }
  g_strfreev(parts);
  if (g_hash_table_size(set) == 0) {
    g_hash_table_destroy(set);
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "no content tags in '%s'", tags);
    return FALSE;
  }
  if (c->content_tags)
    g_hash_table_destroy(c->content_tags);
  c->content_tags = set;
  return TRUE;
}

void zhseg_corpus_set_window(ZhsegCorpus *c, guint window)
{
  g_return_if_fail(c != NULL && window > 0);
  c->window = window;
}

void zhseg_corpus_set_textrank_window(ZhsegCorpus *c, guint span)
{
  g_return_if_fail(c != NULL && span > 1);
  c->tr_span = span;
}

guint zhseg_corpus_n_articles(const ZhsegCorpus *c)
{
  g_return_val_if_fail(c != NULL, 0);
  return c->n_articles;
}

static guint32 corpus_term(ZhsegCorpus *c, const char *term)
{
  gpointer v = g_hash_table_lookup(c->vocab, term);
  if (v != NULL)
    return GPOINTER_TO_UINT(v) - 1;
  ZhsegCorpusTerm t = {g_strdup(term), 0, 0, 0, 0, FALSE};
  g_array_append_val(c->terms, t);
  g_hash_table_insert(c->vocab, t.term, GUINT_TO_POINTER(c->terms->len));
  return c->terms->len - 1;
}

static void merge_pairs(ZhsegPairMap *into, const ZhsegPairMap *from, const guint32 *map)
{
  for (gsize i = 0; i < from->cap; i++) {
    if (from->counts[i] == 0)
      continue;
    guint32 a = map[from->keys[i] >> 32], b = map[from->keys[i] & 0xffffffffu];
    zhseg_pair_map_add(into, zhseg_pair_key(MIN(a, b), MAX(a, b)), from->counts[i]);
  }
}

gboolean zhseg_corpus_add(ZhsegCorpus *c, guint index, const char *id, const char *path,
                          ZhsegDocCounts *doc, GError **error)
{
  g_return_val_if_fail(c != NULL && doc != NULL, FALSE);
  g_mutex_lock(&c->lock);
  if (index < c->articles->len && g_array_index(c->articles, ZhsegArticle, index).used) {
    g_mutex_unlock(&c->lock);
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "article number %u added twice", index);
    zhseg_doc_counts_free(doc);
    return FALSE;
  }
  if (index >= c->articles->len)
    g_array_set_size(c->articles, index + 1);
  guint32 *map = g_new(guint32, doc->terms->len + 1);
  ZhsegArticle *a = &g_array_index(c->articles, ZhsegArticle, index);
  a->used = TRUE;
  a->id = g_strdup(id != NULL ? id : "");
  a->path = g_strdup(path);
  a->tokens = doc->tokens;
  a->terms = g_array_sized_new(FALSE, FALSE, sizeof(ZhsegArticleTerm), doc->terms->len);
  a->concepts = g_new0(guint64, doc->n_concepts + 1);
  memcpy(a->concepts, doc->concepts, doc->n_concepts * sizeof(guint64));
  for (guint i = 0; i < doc->terms->len; i++) {
    const ZhsegDocTerm *dt = &g_array_index(doc->terms, ZhsegDocTerm, i);
    map[i] = corpus_term(c, dt->term);
    ZhsegCorpusTerm *ct = &g_array_index(c->terms, ZhsegCorpusTerm, map[i]);
    ct->count += dt->count;
    ct->token_count += dt->token_count;
    ct->sentences += dt->sentences;
    ct->content |= dt->content;
    if (dt->count > 0) {
      ct->df++;
      ZhsegArticleTerm at = {map[i], dt->count};
      g_array_append_val(a->terms, at);
    }
  }
  merge_pairs(c->pairs_win, doc->pairs_win, map);
  merge_pairs(c->pairs_sent, doc->pairs_sent, map);
  merge_pairs(c->pairs_tr, doc->pairs_tr, map);
  c->tokens += doc->tokens;
  c->sentences += doc->sentences;
  c->n_articles++;
  g_mutex_unlock(&c->lock);
  g_free(map);
  zhseg_doc_counts_free(doc);
  return TRUE;
}
