/* From merged counts to results: term table, rankings, concepts, pairs with
 * association measures, keyness. Everything is ordered by term bytes so the
 * results do not depend on the order in which articles were merged. */
#include "stats/private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *id;
  char *path;
  guint64 tokens;
  ZhsegArticleTerm *terms; /* sorted by term index */
  guint n_terms;
  guint64 *concepts;
} StatsArticle;

struct ZhsegStats {
  ZhsegTermStats *terms;
  gsize n_terms;
  GHashTable *index; /* term -> i + 1 */
  StatsArticle *articles;
  guint n_articles;
  guint64 tokens;
  ZhsegConceptStats *concepts;
  gsize n_concepts;
  GArray *pairs[2]; /* ZhsegPairStats by scope */
  gboolean has_reference;
};

static int cmp_str_ptr(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_article_term(const void *a, const void *b)
{
  guint32 x = ((const ZhsegArticleTerm *)a)->id, y = ((const ZhsegArticleTerm *)b)->id;
  return x < y ? -1 : x > y;
}

static int cmp_pair(const void *pa, const void *pb)
{
  const ZhsegPairStats *a = pa, *b = pb;
  if (a->g2 != b->g2)
    return a->g2 > b->g2 ? -1 : 1;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

static int cmp_edge(const void *pa, const void *pb)
{
  const ZhsegPairStats *a = pa, *b = pb;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

/* Pairs of a table, remapped to term indices (a <= b), sorted by (a, b). */
static GArray *remap_pairs(const ZhsegPairMap *table, const guint32 *map)
{
  GArray *out = g_array_sized_new(FALSE, TRUE, sizeof(ZhsegPairStats), table->len);
  for (gsize i = 0; i < table->cap; i++) {
    if (table->counts[i] == 0)
      continue;
    guint32 a = map[table->keys[i] >> 32], b = map[table->keys[i] & 0xffffffffu];
    ZhsegPairStats p = {0};
    p.a = MIN(a, b);
    p.b = MAX(a, b);
    p.joint = table->counts[i];
    g_array_append_val(out, p);
  }
  if (out->len > 1)
    qsort(out->data, out->len, sizeof(ZhsegPairStats), cmp_edge);
  return out;
}

static void keyness_fill(ZhsegKeyness *k, double a, double b, double c, double d, guint32 df,
                         guint32 ref_df, double n_t, double n_r)
{
  k->freq = (guint64)a;
  k->ref_freq = (guint64)b;
  k->g2 = zhseg_keyness_g2(a, b, c, d);
  k->p = zhseg_chi2_p(k->g2);
  k->log_ratio = zhseg_log_ratio(a, b, c, d);
  k->df = df;
  k->ref_df = ref_df;
  k->df_log_ratio = zhseg_log_ratio(df, ref_df, n_t, n_r);
  k->df_g2 = zhseg_g2_2x2(df, (double)df + ref_df, n_t, n_t + n_r);
}

ZhsegStats *zhseg_corpus_compute(ZhsegCorpus *c, const ZhsegCorpus *ref,
                                 ZhsegIdfSource idf_source, const ZhsegIdf *idf,
                                 guint min_pair_count, GError **error)
{
  g_return_val_if_fail(c != NULL, NULL);
  ZhsegIdf *own_idf = NULL;
  if (idf_source == ZHSEG_IDF_TABLE && idf == NULL) {
    own_idf = zhseg_idf_load(NULL, error);
    if (own_idf == NULL)
      return NULL;
    idf = own_idf;
  }
  g_mutex_lock(&c->lock);
  for (guint i = 0; i < c->articles->len; i++)
    if (!g_array_index(c->articles, ZhsegArticle, i).used) {
      g_mutex_unlock(&c->lock);
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "article number %u was never added",
                  i);
      zhseg_idf_free(own_idf);
      return NULL;
    }
  ZhsegStats *st = g_new0(ZhsegStats, 1);
  guint n = c->terms->len;
  st->n_terms = n;
  st->tokens = c->tokens;
  st->n_articles = c->articles->len;
  st->has_reference = ref != NULL;

  /* Term order: byte order of the terms. */
  char **sorted = g_new(char *, n + 1);
  for (guint i = 0; i < n; i++)
    sorted[i] = g_array_index(c->terms, ZhsegCorpusTerm, i).term;
  qsort(sorted, n, sizeof(char *), cmp_str_ptr);
  guint32 *map = g_new(guint32, n + 1); /* corpus id -> index */
  st->terms = g_new0(ZhsegTermStats, n + 1);
  st->index = g_hash_table_new(g_str_hash, g_str_equal);
  double n_docs = st->n_articles;
  for (guint i = 0; i < n; i++) {
    guint32 id = GPOINTER_TO_UINT(g_hash_table_lookup(c->vocab, sorted[i])) - 1;
    map[id] = i;
    const ZhsegCorpusTerm *ct = &g_array_index(c->terms, ZhsegCorpusTerm, id);
    ZhsegTermStats *t = &st->terms[i];
    t->term = g_strdup(ct->term);
    g_hash_table_insert(st->index, (gpointer)t->term, GUINT_TO_POINTER(i + 1));
    t->concept = NULL;
    if (c->lexicon != NULL) {
      gssize li = zhseg_term_lexicon_find(c->lexicon, t->term, strlen(t->term));
      if (li >= 0) {
        guint ci = g_array_index(c->lexicon->term_concept, guint, li);
        t->concept = ci == G_MAXUINT ? "" : g_ptr_array_index(c->lexicon->concepts, ci);
      }
    }
    t->count = ct->count;
    t->token_count = ct->token_count;
    t->df = ct->df;
    t->content = ct->content;
    t->per_10k = c->tokens ? ct->count * 10000.0 / c->tokens : 0.0;
    t->idf = idf_source == ZHSEG_IDF_COLLECTION ? zhseg_idf_smooth(ct->df, n_docs)
                                                : zhseg_idf_lookup(idf, t->term, -1);
    t->tfidf = c->tokens ? (double)ct->count / c->tokens * t->idf : 0.0;
    if (ref != NULL) {
      guint64 rc = 0;
      guint32 rdf = 0;
      gpointer rv = g_hash_table_lookup(ref->vocab, t->term);
      if (rv != NULL) {
        const ZhsegCorpusTerm *rt =
            &g_array_index(ref->terms, ZhsegCorpusTerm, GPOINTER_TO_UINT(rv) - 1);
        rc = rt->count;
        rdf = rt->df;
      }
      keyness_fill(&t->key, ct->count, rc, c->tokens, ref->tokens, ct->df, rdf, n_docs,
                   ref->articles->len);
    }
  }
  g_free(sorted);

  /* Articles, with term counts by index. */
  guint n_concepts = c->lexicon ? zhseg_term_lexicon_n_concepts_(c->lexicon) : 0;
  st->articles = g_new0(StatsArticle, st->n_articles + 1);
  for (guint i = 0; i < st->n_articles; i++) {
    const ZhsegArticle *a = &g_array_index(c->articles, ZhsegArticle, i);
    StatsArticle *sa = &st->articles[i];
    sa->id = g_strdup(a->id);
    sa->path = g_strdup(a->path);
    sa->tokens = a->tokens;
    sa->n_terms = a->terms->len;
    sa->terms = g_new(ZhsegArticleTerm, sa->n_terms + 1);
    for (guint j = 0; j < sa->n_terms; j++) {
      sa->terms[j] = g_array_index(a->terms, ZhsegArticleTerm, j);
      sa->terms[j].id = map[sa->terms[j].id];
    }
    qsort(sa->terms, sa->n_terms, sizeof(ZhsegArticleTerm), cmp_article_term);
    sa->concepts = g_new0(guint64, n_concepts + 1);
    memcpy(sa->concepts, a->concepts, n_concepts * sizeof(guint64));
  }

  /* Concepts. */
  st->n_concepts = n_concepts;
  st->concepts = g_new0(ZhsegConceptStats, n_concepts + 1);
  for (guint k = 0; k < n_concepts; k++) {
    ZhsegConceptStats *cs = &st->concepts[k];
    cs->concept = g_ptr_array_index(c->lexicon->concepts, k);
    for (guint t = 0; t < c->lexicon->terms->len; t++)
      cs->n_terms += g_array_index(c->lexicon->term_concept, guint, t) == k;
    for (guint i = 0; i < st->n_articles; i++) {
      cs->count += st->articles[i].concepts[k];
      cs->df += st->articles[i].concepts[k] > 0;
    }
  }

  /* TextRank over the collection's window graph. */
  GArray *edges = remap_pairs(c->pairs_tr, map);
  guint32 *ea = g_new(guint32, edges->len + 1), *eb = g_new(guint32, edges->len + 1);
  double *ew = g_new(double, edges->len + 1);
  for (guint i = 0; i < edges->len; i++) {
    const ZhsegPairStats *e = &g_array_index(edges, ZhsegPairStats, i);
    ea[i] = e->a;
    eb[i] = e->b;
    ew[i] = (double)e->joint;
  }
  double *scores = g_new0(double, n + 1);
  zhseg_textrank(n, ea, eb, ew, edges->len, 0.85, 10, scores);
  for (guint i = 0; i < n; i++)
    st->terms[i].textrank = scores[i];
  g_free(scores);
  g_free(ea);
  g_free(eb);
  g_free(ew);
  g_array_free(edges, TRUE);

  /* Co-occurring pairs. Window scope: marginals are the terms' pair totals
   * and n all pairs, so the 2×2 table is always consistent. Sentence scope:
   * marginals are sentence frequencies, n the sentences. */
  for (int scope = 0; scope < 2; scope++) {
    GArray *all = remap_pairs(scope == ZHSEG_COOC_WINDOW ? c->pairs_win : c->pairs_sent, map);
    guint64 *marg = g_new0(guint64, n + 1);
    guint64 total = 0;
    if (scope == ZHSEG_COOC_WINDOW) {
      for (guint i = 0; i < all->len; i++) {
        const ZhsegPairStats *p = &g_array_index(all, ZhsegPairStats, i);
        marg[p->a] += p->joint;
        marg[p->b] += p->joint;
        total += p->joint;
      }
    } else {
      for (guint id = 0; id < n; id++)
        marg[map[id]] = g_array_index(c->terms, ZhsegCorpusTerm, id).sentences;
      total = c->sentences;
    }
    GArray *kept = g_array_new(FALSE, TRUE, sizeof(ZhsegPairStats));
    for (guint i = 0; i < all->len; i++) {
      ZhsegPairStats p = g_array_index(all, ZhsegPairStats, i);
      if (p.joint < MAX(min_pair_count, 1))
        continue;
      p.scope = scope;
      p.fa = marg[p.a];
      p.fb = marg[p.b];
      p.n = total;
      p.pmi = zhseg_pmi(p.joint, p.fa, p.fb, p.n);
      p.npmi = zhseg_npmi(p.joint, p.fa, p.fb, p.n);
      p.g2 = zhseg_g2_2x2(p.joint, p.fa, p.fb, p.n);
      p.log_dice = zhseg_log_dice(p.joint, p.fa, p.fb);
      g_array_append_val(kept, p);
    }
    if (kept->len > 1)
      qsort(kept->data, kept->len, sizeof(ZhsegPairStats), cmp_pair);
    st->pairs[scope] = kept;
    g_array_free(all, TRUE);
    g_free(marg);
  }
  g_mutex_unlock(&c->lock);
  g_free(map);
  zhseg_idf_free(own_idf);
  return st;
}

void zhseg_stats_free(ZhsegStats *st)
{
  if (st == NULL)
    return;
  for (gsize i = 0; i < st->n_terms; i++)
    g_free((char *)st->terms[i].term);
  g_free(st->terms);
  g_hash_table_destroy(st->index);
  for (guint i = 0; i < st->n_articles; i++) {
    g_free(st->articles[i].id);
    g_free(st->articles[i].path);
    g_free(st->articles[i].terms);
    g_free(st->articles[i].concepts);
  }
  g_free(st->articles);
  g_free(st->concepts);
  for (int i = 0; i < 2; i++)
    if (st->pairs[i])
      g_array_free(st->pairs[i], TRUE);
  g_free(st);
}

guint zhseg_stats_n_articles(const ZhsegStats *st)
{
  g_return_val_if_fail(st != NULL, 0);
  return st->n_articles;
}

const char *zhseg_stats_article_id(const ZhsegStats *st, guint article)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles, NULL);
  return st->articles[article].id;
}

const char *zhseg_stats_article_path(const ZhsegStats *st, guint article)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles, NULL);
  return st->articles[article].path;
}

guint64 zhseg_stats_article_tokens(const ZhsegStats *st, guint article)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles, 0);
  return st->articles[article].tokens;
}

guint64 zhseg_stats_total_tokens(const ZhsegStats *st)
{
  g_return_val_if_fail(st != NULL, 0);
  return st->tokens;
}

gboolean zhseg_stats_has_reference(const ZhsegStats *st)
{
  g_return_val_if_fail(st != NULL, FALSE);
  return st->has_reference;
}

const ZhsegTermStats *zhseg_stats_terms(const ZhsegStats *st, gsize *n)
{
  g_return_val_if_fail(st != NULL, NULL);
  if (n)
    *n = st->n_terms;
  return st->terms;
}

gssize zhseg_stats_find_term(const ZhsegStats *st, const char *term)
{
  g_return_val_if_fail(st != NULL && term != NULL, -1);
  gpointer v = g_hash_table_lookup(st->index, term);
  return v ? (gssize)GPOINTER_TO_UINT(v) - 1 : -1;
}

guint64 zhseg_stats_term_count_in(const ZhsegStats *st, gsize term, guint article)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles, 0);
  const StatsArticle *a = &st->articles[article];
  ZhsegArticleTerm key = {(guint32)term, 0};
  const ZhsegArticleTerm *hit =
      bsearch(&key, a->terms, a->n_terms, sizeof(ZhsegArticleTerm), cmp_article_term);
  return hit ? hit->count : 0;
}

const ZhsegConceptStats *zhseg_stats_concepts(const ZhsegStats *st, gsize *n)
{
  g_return_val_if_fail(st != NULL, NULL);
  if (n)
    *n = st->n_concepts;
  return st->concepts;
}

guint64 zhseg_stats_concept_count_in(const ZhsegStats *st, gsize concept, guint article)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles && concept < st->n_concepts, 0);
  return st->articles[article].concepts[concept];
}

const ZhsegPairStats *zhseg_stats_pairs(const ZhsegStats *st, ZhsegCoocScope scope, gsize *n)
{
  g_return_val_if_fail(st != NULL && (scope == ZHSEG_COOC_WINDOW || scope == ZHSEG_COOC_SENTENCE),
                       NULL);
  if (n)
    *n = st->pairs[scope]->len;
  return (const ZhsegPairStats *)st->pairs[scope]->data;
}

/* ------------------------------------------------------------- rankings */

typedef struct {
  const ZhsegStats *st;
  ZhsegRankBy by;
  const double *key; /* when not NULL: sort by key[i] */
} RankCtx;

static double rank_value(const ZhsegStats *st, ZhsegRankBy by, guint32 i)
{
  const ZhsegTermStats *t = &st->terms[i];
  switch (by) {
  case ZHSEG_RANK_COUNT: return (double)t->count;
  case ZHSEG_RANK_DF: return (double)t->df;
  case ZHSEG_RANK_TFIDF: return t->tfidf;
  case ZHSEG_RANK_TEXTRANK: return t->textrank;
  case ZHSEG_RANK_KEYNESS: return t->key.g2;
  }
  return 0;
}

static int cmp_rank(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const RankCtx *ctx = data;
  guint32 a = *(const guint32 *)pa, b = *(const guint32 *)pb;
  double x = ctx->key ? ctx->key[a] : rank_value(ctx->st, ctx->by, a);
  double y = ctx->key ? ctx->key[b] : rank_value(ctx->st, ctx->by, b);
  if (x != y)
    return x > y ? -1 : 1;
  return a < b ? -1 : a > b; /* indices are in term byte order */
}

guint32 *zhseg_stats_rank(const ZhsegStats *st, ZhsegRankBy by, gsize *n)
{
  g_return_val_if_fail(st != NULL, NULL);
  guint32 *idx = g_new(guint32, st->n_terms + 1);
  for (gsize i = 0; i < st->n_terms; i++)
    idx[i] = (guint32)i;
  RankCtx ctx = {st, by, NULL};
  g_qsort_with_data(idx, (gint)st->n_terms, sizeof(guint32), cmp_rank, &ctx);
  if (n)
    *n = st->n_terms;
  return idx;
}

void zhseg_stats_article_keyness(const ZhsegStats *st, guint article, gsize term,
                                 ZhsegKeyness *out)
{
  g_return_if_fail(st != NULL && article < st->n_articles && term < st->n_terms && out != NULL);
  const ZhsegTermStats *t = &st->terms[term];
  guint64 a = zhseg_stats_term_count_in(st, term, article);
  guint64 c = st->articles[article].tokens;
  guint32 df = a > 0;
  memset(out, 0, sizeof *out);
  keyness_fill(out, a, t->count - a, c, st->tokens - c, df, t->df - df, 1,
               st->n_articles - 1.0);
}

guint32 *zhseg_stats_article_key_terms(const ZhsegStats *st, guint article, gsize *n)
{
  g_return_val_if_fail(st != NULL && article < st->n_articles, NULL);
  const StatsArticle *a = &st->articles[article];
  guint32 *idx = g_new(guint32, a->n_terms + 1);
  double *key = g_new0(double, st->n_terms + 1);
  for (guint j = 0; j < a->n_terms; j++) {
    ZhsegKeyness k;
    idx[j] = a->terms[j].id;
    zhseg_stats_article_keyness(st, article, idx[j], &k);
    key[idx[j]] = k.g2;
  }
  RankCtx ctx = {st, ZHSEG_RANK_KEYNESS, key};
  g_qsort_with_data(idx, (gint)a->n_terms, sizeof(guint32), cmp_rank, &ctx);
  g_free(key);
  if (n)
    *n = a->n_terms;
  return idx;
}
