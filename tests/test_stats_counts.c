/* The statistics engine on tiny corpora whose tokens are given by hand, so
 * every expected value can be worked out on paper (the working is in the
 * comments). */
#include "testutil.h"
#include "stats/measures.h"

#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-6)

typedef struct {
  const char *text;
  const char *tag; /* NULL: punctuation */
  guint8 flags;
} Tok;

static guint16 tag_id(const char *name)
{
  for (guint i = 0; i < 4096; i++)
    if (strcmp(zhseg_dict_tag_name(test_default_dict(), i), name) == 0)
      return (guint16)i;
  g_error("no tag %s in the default dictionary", name);
  return 0;
}

/* Concatenates the tokens into *text and fills `out`; a SUBWORD token is
 * given after the token it lies in and repeats its bytes at `sub_offset`
 * inside it (found by search). */
static GArray *make_tokens(const Tok *toks, gsize n, char **text)
{
  GString *s = g_string_new(NULL);
  GArray *out = g_array_new(FALSE, TRUE, sizeof(ZhsegToken));
  gsize last_start = 0, last_end = 0;
  for (gsize i = 0; i < n; i++) {
    ZhsegToken t = {0};
    if (toks[i].flags & ZHSEG_TOKEN_FLAG_SUBWORD) {
      const char *in = g_strstr_len(s->str + last_start, last_end - last_start, toks[i].text);
      g_assert_nonnull(in);
      t.start = in - s->str;
      t.end = t.start + strlen(toks[i].text);
    } else {
      t.start = s->len;
      g_string_append(s, toks[i].text);
      t.end = s->len;
      last_start = t.start;
      last_end = t.end;
    }
    t.cstart = g_utf8_pointer_to_offset(s->str, s->str + t.start);
    t.cend = g_utf8_pointer_to_offset(s->str, s->str + t.end);
    t.type = toks[i].tag ? ZHSEG_TOKEN_WORD : ZHSEG_TOKEN_PUNCT;
    t.tag = toks[i].tag ? tag_id(toks[i].tag) : 0;
    t.flags = toks[i].flags;
    g_array_append_val(out, t);
  }
  *text = g_string_free(s, FALSE);
  return out;
}

static ZhsegDocCounts *count_doc(ZhsegCorpus *c, const Tok *toks, gsize n)
{
  char *text;
  GArray *tokens = make_tokens(toks, n, &text);
  ZhsegDocCounts *doc =
      zhseg_corpus_count(c, text, strlen(text), (ZhsegToken *)tokens->data, tokens->len);
  g_array_free(tokens, TRUE);
  g_free(text);
  return doc;
}

/* Doc A: 网格员 走访 网格 。 基层党建 引领 网格员  (6 tokens, 2 sentences)
 * Doc B: 党建 引领 。 志愿者 参与                (4 tokens, 2 sentences) */
static const Tok doc_a[] = {{"网格员", "n", 0}, {"走访", "v", 0},     {"网格", "n", 0},
                            {"。", NULL, 0},    {"基层党建", "n", 0}, {"引领", "v", 0},
                            {"网格员", "n", 0}};
static const Tok doc_b[] = {
    {"党建", "n", 0}, {"引领", "v", 0}, {"。", NULL, 0}, {"志愿者", "n", 0}, {"参与", "v", 0}};

static const char lexicon_text[] = "# test lexicon\n"
                                   "网格\t网格治理\n"
                                   "网格员\t网格治理\n"
                                   "党建\t党的建设\n"
                                   "员走\t跨界\n" /* only across 网格员|走访: never counted */
                                   "\n";

static ZhsegTermLexicon *test_lexicon(void)
{
  GError *error = NULL;
  ZhsegTermLexicon *lex = zhseg_term_lexicon_new_from_text(lexicon_text, -1, "test", &error);
  g_assert_no_error(error);
  return lex;
}

static ZhsegStats *compute_ab(ZhsegCorpus *c, guint first, guint min_pairs)
{
  GError *error = NULL;
  /* `first` = 1 adds B before A: the results must not change. */
  for (guint k = 0; k < 2; k++) {
    guint which = k ^ first;
    ZhsegDocCounts *doc = which == 0 ? count_doc(c, doc_a, G_N_ELEMENTS(doc_a))
                                     : count_doc(c, doc_b, G_N_ELEMENTS(doc_b));
    g_assert_true(zhseg_corpus_add(c, which, which == 0 ? "A" : "B", NULL, doc, &error));
    g_assert_no_error(error);
  }
  ZhsegStats *st = zhseg_corpus_compute(c, NULL, ZHSEG_IDF_COLLECTION, NULL, min_pairs, &error);
  g_assert_no_error(error);
  return st;
}

static const ZhsegTermStats *term(const ZhsegStats *st, const char *t)
{
  gssize i = zhseg_stats_find_term(st, t);
  if (i < 0)
    return NULL;
  return &zhseg_stats_terms(st, NULL)[i];
}

static void test_lexicon_counts(void)
{
  g_autoptr(ZhsegTermLexicon) lex = test_lexicon();
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), lex, NULL);
  g_autoptr(ZhsegStats) st = compute_ab(c, 0, 1);
  const ZhsegTermStats *t;
  /* 网格: inside 网格员 twice, whole once */
  t = term(st, "网格");
  g_assert_nonnull(t);
  g_assert_cmpstr(t->concept, ==, "网格治理");
  g_assert_cmpuint(t->count, ==, 3);
  g_assert_cmpuint(t->token_count, ==, 1);
  g_assert_cmpuint(t->df, ==, 1);
  /* 网格员: two whole tokens */
  t = term(st, "网格员");
  g_assert_cmpuint(t->count, ==, 2);
  g_assert_cmpuint(t->token_count, ==, 2);
  /* 党建: inside 基层党建 (A), whole (B) */
  t = term(st, "党建");
  g_assert_cmpuint(t->count, ==, 2);
  g_assert_cmpuint(t->token_count, ==, 1);
  g_assert_cmpuint(t->df, ==, 2);
  g_assert_cmpuint(zhseg_stats_term_count_in(st, t - zhseg_stats_terms(st, NULL), 0), ==, 1);
  g_assert_cmpuint(zhseg_stats_term_count_in(st, t - zhseg_stats_terms(st, NULL), 1), ==, 1);
  /* 员走 straddles 网格员|走访: no count, so no term */
  g_assert_null(term(st, "员走"));
  /* Concepts: 网格治理 in A: 网格员 (longest, 网格 inside it not again) ×2
   * + 网格 = 3; 党的建设: 1 in A, 1 in B; 跨界: 0. */
  gsize n_con;
  const ZhsegConceptStats *con = zhseg_stats_concepts(st, &n_con);
  g_assert_cmpuint(n_con, ==, 3);
  g_assert_cmpstr(con[0].concept, ==, "网格治理");
  g_assert_cmpuint(con[0].count, ==, 3);
  g_assert_cmpuint(con[0].df, ==, 1);
  g_assert_cmpuint(con[0].n_terms, ==, 2);
  g_assert_cmpstr(con[1].concept, ==, "党的建设");
  g_assert_cmpuint(con[1].count, ==, 2);
  g_assert_cmpuint(con[1].df, ==, 2);
  g_assert_cmpuint(zhseg_stats_concept_count_in(st, 1, 1), ==, 1);
  g_assert_cmpuint(con[2].count, ==, 0);
  /* Tokens: punctuation is not counted. */
  g_assert_cmpuint(zhseg_stats_total_tokens(st), ==, 10);
  g_assert_cmpuint(zhseg_stats_article_tokens(st, 0), ==, 6);
  g_assert_cmpstr(zhseg_stats_article_id(st, 1), ==, "B");
}

static void test_frequencies(void)
{
  g_autoptr(ZhsegTermLexicon) lex = test_lexicon();
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), lex, NULL);
  g_autoptr(ZhsegStats) st = compute_ab(c, 0, 1);
  const ZhsegTermStats *t = term(st, "网格");
  /* 3 of 10 tokens */
  assert_near(t->per_10k, 3000.0);
  /* collection IDF: ln((1 + 2) / (1 + 1)) + 1; tf-idf = 3/10 × idf */
  assert_near(t->idf, 1.4054651081081644);
  assert_near(t->tfidf, 0.3 * 1.4054651081081644);
  /* 引领 in both articles: ln(3/3) + 1 = 1 */
  assert_near(term(st, "引领")->idf, 1.0);
  /* Keyness of 网格 in A (3 of 6) against B (0 of 4): E1 = 6·3/10 = 1.8,
   * G² = 2·3·ln(3/1.8) = 3.0649537; log ratio log2((3/6)/(0.5/4)) = 2;
   * df: 1 of 1 against 0 (0.5) of 1 -> log2(2) = 1. */
  ZhsegKeyness k;
  zhseg_stats_article_keyness(st, 0, zhseg_stats_find_term(st, "网格"), &k);
  g_assert_cmpuint(k.freq, ==, 3);
  g_assert_cmpuint(k.ref_freq, ==, 0);
  assert_near(k.g2, 3.0649537426474);
  assert_near(k.log_ratio, 2.0);
  assert_near(k.df_log_ratio, 1.0);
  g_assert_cmpuint(k.df, ==, 1);
  g_assert_cmpuint(k.ref_df, ==, 0);
  /* The same term in B is negative keyness. */
  zhseg_stats_article_keyness(st, 1, zhseg_stats_find_term(st, "网格"), &k);
  g_assert_cmpfloat(k.g2, <, 0);
}

static const ZhsegPairStats *find_pair(const ZhsegStats *st, ZhsegCoocScope scope, const char *x,
                                       const char *y)
{
  gsize n;
  const ZhsegPairStats *p = zhseg_stats_pairs(st, scope, &n);
  guint32 a = zhseg_stats_find_term(st, x), b = zhseg_stats_find_term(st, y);
  for (gsize i = 0; i < n; i++)
    if ((p[i].a == a && p[i].b == b) || (p[i].a == b && p[i].b == a))
      return &p[i];
  return NULL;
}

static void test_cooc(void)
{
  g_autoptr(ZhsegTermLexicon) lex = test_lexicon();
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), lex, NULL);
  zhseg_corpus_set_window(c, 2);
  g_autoptr(ZhsegStats) st = compute_ab(c, 0, 1);
  /* Window 2 over A's content words 网格员 走访 网格 基层党建 引领 网格员:
   * pairs (0,1) (0,2) (1,2) (1,3) (2,3) (2,4) (3,4) (3,5) (4,5) = 9;
   * B: 党建 引领 志愿者 参与: (0,1) (0,2) (1,2) (1,3) (2,3) = 5. n = 14.
   * 网格员's pair total: (0,1) (0,2) (3,5) (4,5) = 4; 走访's: 3. */
  const ZhsegPairStats *p = find_pair(st, ZHSEG_COOC_WINDOW, "网格员", "走访");
  g_assert_nonnull(p);
  g_assert_cmpuint(p->joint, ==, 1);
  g_assert_cmpuint(p->n, ==, 14);
  g_assert_cmpuint(MIN(p->fa, p->fb), ==, 3);
  g_assert_cmpuint(MAX(p->fa, p->fb), ==, 4);
  assert_near(p->pmi, log2(1.0 * 14 / (4 * 3)));
  assert_near(p->log_dice, 14 + log2(2.0 / 7));
  /* 引领–网格员 (A) and 基层党建–网格员 (A): 1 each; 走访–引领: 3 apart, none */
  g_assert_cmpuint(find_pair(st, ZHSEG_COOC_WINDOW, "引领", "网格员")->joint, ==, 1);
  g_assert_null(find_pair(st, ZHSEG_COOC_WINDOW, "走访", "引领"));
  /* 党建–引领 once in B; 引领's total: A (2,4) (3,4) (4,5) + B (0,1) (1,2) (1,3) = 6 */
  p = find_pair(st, ZHSEG_COOC_WINDOW, "党建", "引领");
  g_assert_cmpuint(p->joint, ==, 1);
  g_assert_cmpuint(MAX(p->fa, p->fb), ==, 6);

  /* Sentences: A1 {网格员 走访 网格}, A2 {基层党建 引领 网格员}, B1 {党建 引领},
   * B2 {志愿者 参与}: n = 4; 网格员 in 2 sentences, 走访 in 1. */
  p = find_pair(st, ZHSEG_COOC_SENTENCE, "网格员", "走访");
  g_assert_cmpuint(p->joint, ==, 1);
  g_assert_cmpuint(p->n, ==, 4);
  assert_near(p->pmi, log2(1.0 * 4 / (2 * 1)));
  assert_near(p->npmi, log2(2.0) / -log2(1.0 / 4));
  /* 走访 and 引领 never share a sentence */
  g_assert_null(find_pair(st, ZHSEG_COOC_SENTENCE, "走访", "引领"));
  g_assert_null(find_pair(st, ZHSEG_COOC_SENTENCE, "网格", "党建"));

  /* min count 2 drops every pair (with window 2 all joints are 1) */
  g_autoptr(ZhsegCorpus) c2 = zhseg_corpus_new(test_default_dict(), lex, NULL);
  zhseg_corpus_set_window(c2, 2);
  g_autoptr(ZhsegStats) st2 = compute_ab(c2, 0, 2);
  gsize n;
  zhseg_stats_pairs(st2, ZHSEG_COOC_WINDOW, &n);
  g_assert_cmpuint(n, ==, 0);
}

static void test_textrank_corpus(void)
{
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), NULL, NULL);
  g_autoptr(ZhsegStats) st = compute_ab(c, 0, 1);
  /* jieba's edges (span 5 over all tokens, 。 included): in A, 网格员 at 0
   * reaches 走访 网格 (。) 基层党建 but not the 网格员 at 6; so every content
   * word gets edges, and the best scores 1 after jieba's rescaling. */
  gsize n;
  const ZhsegTermStats *t = zhseg_stats_terms(st, &n);
  double max = 0;
  for (gsize i = 0; i < n; i++) {
    g_assert_cmpfloat(t[i].textrank, >, 0);
    max = MAX(max, t[i].textrank);
  }
  assert_near(max, 1.0);
  /* 引领 links both articles' words: it outranks 参与, B's last word */
  g_assert_cmpfloat(term(st, "引领")->textrank, >, term(st, "参与")->textrank);
}

static void test_filters(void)
{
  /* A stop word and a function-word tag are not content words. */
  g_autoptr(ZhsegStopwords) sw = zhseg_stopwords_new();
  zhseg_stopwords_add(sw, "走访", -1);
  g_assert_true(zhseg_stopwords_contains(sw, "走访abc", 6));
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), NULL, sw);
  static const Tok doc[] = {{"网格员", "n", 0}, {"格员", "n", ZHSEG_TOKEN_FLAG_SUBWORD},
                            {"走访", "v", 0},   {"我们", "r", 0},
                            {"居民", "n", 0},   {"户", "n", 0}};
  GError *error = NULL;
  g_assert_true(zhseg_corpus_add(c, 0, "x", NULL, count_doc(c, doc, G_N_ELEMENTS(doc)), &error));
  /* the same index twice is refused */
  g_assert_false(zhseg_corpus_add(c, 0, "y", NULL, count_doc(c, doc, G_N_ELEMENTS(doc)), &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID);
  g_clear_error(&error);
  g_autoptr(ZhsegStats) st = zhseg_corpus_compute(c, NULL, ZHSEG_IDF_COLLECTION, NULL, 1, &error);
  g_assert_no_error(error);
  g_assert_null(term(st, "走访")); /* stop word */
  g_assert_null(term(st, "我们")); /* tag r */
  g_assert_null(term(st, "户"));   /* one character */
  g_assert_nonnull(term(st, "居民"));
  /* a search-mode sub-word is a term of its own, not a token */
  g_assert_cmpuint(term(st, "格员")->count, ==, 1);
  g_assert_cmpuint(zhseg_stats_total_tokens(st), ==, 5);
  /* with 走访 and 我们 filtered out, 网格员 and 居民 are neighbours in the
   * content-word sequence; the sub-word enters no window */
  g_assert_nonnull(find_pair(st, ZHSEG_COOC_WINDOW, "网格员", "居民"));
  g_assert_null(find_pair(st, ZHSEG_COOC_WINDOW, "格员", "居民"));

  /* custom content tags: only v */
  g_autoptr(ZhsegCorpus) cv = zhseg_corpus_new(test_default_dict(), NULL, NULL);
  g_assert_true(zhseg_corpus_set_content_tags(cv, "v", &error));
  g_assert_false(zhseg_corpus_set_content_tags(cv, " , ", &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_true(zhseg_corpus_add(cv, 0, "x", NULL, count_doc(cv, doc, G_N_ELEMENTS(doc)), &error));
  g_autoptr(ZhsegStats) sv = zhseg_corpus_compute(cv, NULL, ZHSEG_IDF_COLLECTION, NULL, 1, &error);
  g_assert_nonnull(term(sv, "走访"));
  g_assert_null(term(sv, "居民"));
}

static void test_order_independent(void)
{
  /* Adding B before A gives the same results, field by field. */
  g_autoptr(ZhsegTermLexicon) lex = test_lexicon();
  g_autoptr(ZhsegCorpus) c1 = zhseg_corpus_new(test_default_dict(), lex, NULL);
  g_autoptr(ZhsegCorpus) c2 = zhseg_corpus_new(test_default_dict(), lex, NULL);
  g_autoptr(ZhsegStats) s1 = compute_ab(c1, 0, 1);
  g_autoptr(ZhsegStats) s2 = compute_ab(c2, 1, 1);
  gsize n1, n2;
  const ZhsegTermStats *t1 = zhseg_stats_terms(s1, &n1), *t2 = zhseg_stats_terms(s2, &n2);
  g_assert_cmpuint(n1, ==, n2);
  for (gsize i = 0; i < n1; i++) {
    g_assert_cmpstr(t1[i].term, ==, t2[i].term);
    g_assert_cmpuint(t1[i].count, ==, t2[i].count);
    g_assert_cmpfloat(t1[i].textrank, ==, t2[i].textrank);
    if (i > 0)
      g_assert_cmpint(strcmp(t1[i - 1].term, t1[i].term), <, 0);
  }
  for (int scope = 0; scope < 2; scope++) {
    const ZhsegPairStats *p1 = zhseg_stats_pairs(s1, scope, &n1);
    const ZhsegPairStats *p2 = zhseg_stats_pairs(s2, scope, &n2);
    g_assert_cmpuint(n1, ==, n2);
    g_assert_cmpmem(p1, n1 * sizeof *p1, p2, n2 * sizeof *p2);
  }
  g_assert_cmpstr(zhseg_stats_article_id(s2, 0), ==, "A");
  /* ranking ties broken by term: all df-1 terms in byte order */
  gsize n;
  g_autofree guint32 *rank = zhseg_stats_rank(s1, ZHSEG_RANK_DF, &n);
  const ZhsegTermStats *t = zhseg_stats_terms(s1, NULL);
  for (gsize i = 1; i < n; i++)
    g_assert_true(t[rank[i - 1]].df > t[rank[i]].df ||
                  (t[rank[i - 1]].df == t[rank[i]].df && rank[i - 1] < rank[i]));
}

static void test_missing_article(void)
{
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), NULL, NULL);
  GError *error = NULL;
  g_assert_true(zhseg_corpus_add(c, 1, "B", NULL, count_doc(c, doc_b, G_N_ELEMENTS(doc_b)), &error));
  ZhsegStats *st = zhseg_corpus_compute(c, NULL, ZHSEG_IDF_COLLECTION, NULL, 1, &error);
  g_assert_null(st);
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID);
  g_clear_error(&error);
}

static void test_reference(void)
{
  /* Collection {A} against reference {B}. 引领: 1 of 6 against 1 of 4:
   * E1 = 6·2/10 = 1.2, E2 = 0.8; G² = 2·(ln(1/1.2) + ln(1/0.8)) = -0.0816994
   * (negative: rarer in A); log ratio log2((1/6)/(1/4)) = log2(2/3). */
  g_autoptr(ZhsegCorpus) c = zhseg_corpus_new(test_default_dict(), NULL, NULL);
  g_autoptr(ZhsegCorpus) r = zhseg_corpus_new(test_default_dict(), NULL, NULL);
  GError *error = NULL;
  g_assert_true(zhseg_corpus_add(c, 0, "A", NULL, count_doc(c, doc_a, G_N_ELEMENTS(doc_a)), &error));
  g_assert_true(zhseg_corpus_add(r, 0, "B", NULL, count_doc(r, doc_b, G_N_ELEMENTS(doc_b)), &error));
  g_autoptr(ZhsegStats) st = zhseg_corpus_compute(c, r, ZHSEG_IDF_COLLECTION, NULL, 1, &error);
  g_assert_no_error(error);
  g_assert_true(zhseg_stats_has_reference(st));
  const ZhsegTermStats *t = term(st, "引领");
  assert_near(t->key.g2, -2 * (log(1 / 1.2) + log(1 / 0.8)));
  assert_near(t->key.log_ratio, log2(2.0 / 3));
  g_assert_cmpuint(t->key.ref_freq, ==, 1);
  g_assert_cmpuint(t->key.ref_df, ==, 1);
  /* 1 of 1 against 1 of 1 article: df log ratio 0 */
  assert_near(t->key.df_log_ratio, 0.0);
  /* 网格员 (2 of 6, absent from B) ranks first by keyness */
  gsize n;
  g_autofree guint32 *rank = zhseg_stats_rank(st, ZHSEG_RANK_KEYNESS, &n);
  g_assert_cmpstr(zhseg_stats_terms(st, NULL)[rank[0]].term, ==, "网格员");
}

static void test_lexicon_parse(void)
{
  GError *error = NULL;
  g_autoptr(ZhsegTermLexicon) lex =
      zhseg_term_lexicon_new_from_text("a\tX\nb\n# c\tY\n a \tZ\n", -1, "t", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(zhseg_term_lexicon_n_terms(lex), ==, 2);
  const char *concept;
  g_assert_cmpstr(zhseg_term_lexicon_term(lex, 0, &concept), ==, "a");
  g_assert_cmpstr(concept, ==, "Z"); /* listed twice: the last concept */
  g_assert_cmpstr(zhseg_term_lexicon_term(lex, 1, &concept), ==, "b");
  g_assert_cmpstr(concept, ==, "");
  g_autofree char *ud = zhseg_term_lexicon_user_dict_text(lex);
  g_assert_cmpstr(ud, ==, "a\nb\n");
  g_assert_null(zhseg_term_lexicon_new_from_text("a\tX\tY\n", -1, "t", &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT);
  g_assert_nonnull(strstr(error->message, "t:1"));
  g_clear_error(&error);

  /* The bundled governance lexicon: 150+ terms, and the words the issue names */
  g_autoptr(ZhsegTermLexicon) gov = zhseg_term_lexicon_load("governance", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(zhseg_term_lexicon_n_terms(gov), >=, 150);
  const char *const must[] = {"党建", "党建引领", "网格", "网格员", "志愿服务", "石榴籽",
                              "社区食堂", "新时代文明实践站", "铸牢中华民族共同体意识"};
  for (gsize i = 0; i < G_N_ELEMENTS(must); i++) {
    gboolean found = FALSE;
    for (gsize k = 0; k < zhseg_term_lexicon_n_terms(gov) && !found; k++)
      found = strcmp(zhseg_term_lexicon_term(gov, k, NULL), must[i]) == 0;
    g_assert_true(found);
  }
  g_assert_null(zhseg_term_lexicon_load("no-such-lexicon", &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND);
  g_clear_error(&error);
}

static void test_wordlists(void)
{
  GError *error = NULL;
  g_autoptr(ZhsegStopwords) sw = zhseg_stopwords_new();
  g_assert_true(zhseg_stopwords_add_file(sw, "zh", &error));
  g_assert_no_error(error);
  g_assert_cmpuint(zhseg_stopwords_size(sw), >, 500);
  g_assert_true(zhseg_stopwords_contains(sw, "我们", -1));
  g_assert_false(zhseg_stopwords_contains(sw, "网格", -1));
  zhseg_stopwords_remove(sw, "我们", -1);
  g_assert_false(zhseg_stopwords_contains(sw, "我们", -1));

  /* IDF table: a known word, and jieba's median (sorted(values)[n // 2]) for
   * an unknown one. Table a 1, b 3, c 2, d 10 -> sorted 1 2 3 10 -> 3. */
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("zhseg-idf-XXXXXX", &path, &error);
  g_assert_no_error(error);
  close(fd);
  g_assert_true(g_file_set_contents(path, "a 1\nb 3.0\n\nc 2\nd 10\n", -1, &error));
  g_autoptr(ZhsegIdf) idf = zhseg_idf_load(path, &error);
  g_assert_no_error(error);
  assert_near(zhseg_idf_lookup(idf, "b", -1), 3.0);
  assert_near(zhseg_idf_lookup(idf, "zz", -1), 3.0);
  assert_near(zhseg_idf_lookup(idf, "d", -1), 10.0);
  g_assert_true(g_file_set_contents(path, "a 1\nb x\n", -1, &error));
  g_assert_null(zhseg_idf_load(path, &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT);
  g_clear_error(&error);
  g_unlink(path);
  /* jieba's table loads */
  g_autoptr(ZhsegIdf) jieba = zhseg_idf_load(NULL, &error);
  g_assert_no_error(error);
  g_assert_cmpfloat(zhseg_idf_lookup(jieba, "社区", -1), >, 0);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/stats/counts/lexicon", test_lexicon_counts);
  g_test_add_func("/stats/counts/frequencies", test_frequencies);
  g_test_add_func("/stats/counts/cooc", test_cooc);
  g_test_add_func("/stats/counts/textrank", test_textrank_corpus);
  g_test_add_func("/stats/counts/filters", test_filters);
  g_test_add_func("/stats/counts/order-independent", test_order_independent);
  g_test_add_func("/stats/counts/missing-article", test_missing_article);
  g_test_add_func("/stats/keyness/reference", test_reference);
  g_test_add_func("/stats/lexicon/parse", test_lexicon_parse);
  g_test_add_func("/stats/wordlists", test_wordlists);
  return g_test_run();
}
