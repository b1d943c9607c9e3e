/* Counting one article: its terms, lexicon occurrences inside tokens,
 * concepts, co-occurrence windows, sentences and TextRank edges. */
#include "stats/private.h"

#include <stdlib.h>
#include <string.h>

void zhseg_doc_counts_free(ZhsegDocCounts *doc)
{
  if (doc == NULL)
    return;
  for (guint i = 0; i < doc->terms->len; i++)
    g_free(g_array_index(doc->terms, ZhsegDocTerm, i).term);
  g_array_free(doc->terms, TRUE);
  zhseg_pair_map_free(doc->pairs_win);
  zhseg_pair_map_free(doc->pairs_sent);
  zhseg_pair_map_free(doc->pairs_tr);
  g_free(doc->concepts);
  g_free(doc);
}

guint64 zhseg_doc_counts_tokens(const ZhsegDocCounts *doc)
{
  g_return_val_if_fail(doc != NULL, 0);
  return doc->tokens;
}

typedef struct {
  ZhsegDocCounts *doc;
  GHashTable *local; /* term (owned by doc->terms) -> id + 1 */
} Builder;

static guint32 local_term(Builder *b, const char *s, gsize len)
{
  char buf[256];
  char *key = len < sizeof buf ? buf : g_malloc(len + 1);
  memcpy(key, s, len);
  key[len] = '\0';
  gpointer v = g_hash_table_lookup(b->local, key);
  guint32 id;
  if (v != NULL) {
    id = GPOINTER_TO_UINT(v) - 1;
  } else {
    ZhsegDocTerm t = {g_strndup(s, len), 0, 0, 0, FALSE};
    g_array_append_val(b->doc->terms, t);
    id = b->doc->terms->len - 1;
    g_hash_table_insert(b->local, t.term, GUINT_TO_POINTER(id + 1));
  }
  if (key != buf)
    g_free(key);
  return id;
}

static gboolean is_content(const ZhsegCorpus *c, const ZhsegToken *t, const char *s, gsize len)
{
  if (t->type != ZHSEG_TOKEN_WORD && t->type != ZHSEG_TOKEN_LATIN)
    return FALSE;
  if (g_utf8_strlen(s, len) < 2)
    return FALSE;
  const char *tag = zhseg_dict_tag_name(c->dict, t->tag);
  if (tag == NULL || *tag == '\0' || strcmp(tag, "x") == 0)
    tag = (t->flags & ZHSEG_TOKEN_FLAG_HMM) || t->type == ZHSEG_TOKEN_LATIN ? "n" : "";
  if (t->type == ZHSEG_TOKEN_LATIN && !g_hash_table_contains(c->content_tags, tag))
    tag = "eng";
  if (!g_hash_table_contains(c->content_tags, tag))
    return FALSE;
  return c->stopwords == NULL || !zhseg_stopwords_contains(c->stopwords, s, len);
}

static gboolean ends_sentence(const ZhsegToken *t, const char *s, gsize len)
{
  if (t->type == ZHSEG_TOKEN_SPACE) {
    guint nl = 0;
    for (gsize i = 0; i < len; i++)
      nl += s[i] == '\n';
    return nl >= 2;
  }
  if (t->type != ZHSEG_TOKEN_PUNCT)
    return FALSE;
  static const char *const enders[] = {"。", "！", "？", "；", "!", "?", ";", "…"};
  for (gsize i = 0; i < G_N_ELEMENTS(enders); i++)
    if (g_strstr_len(s, len, enders[i]) != NULL)
      return TRUE;
  return FALSE;
}

static int cmp_u32(const void *a, const void *b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static void end_sentence(Builder *b, GArray *sent)
{
  if (sent->len == 0)
    return;
  qsort(sent->data, sent->len, sizeof(guint32), cmp_u32);
  guint n = 0;
  guint32 *ids = (guint32 *)sent->data;
  for (guint i = 0; i < sent->len; i++)
    if (n == 0 || ids[n - 1] != ids[i])
      ids[n++] = ids[i];
  for (guint i = 0; i < n; i++) {
    g_array_index(b->doc->terms, ZhsegDocTerm, ids[i]).sentences++;
    for (guint j = i + 1; j < n; j++)
      zhseg_pair_map_add(b->doc->pairs_sent, zhseg_pair_key(ids[i], ids[j]), 1);
  }
  b->doc->sentences++;
  g_array_set_size(sent, 0);
}

typedef struct {
  guint concept;
  guint start, len;
} ConceptMatch;

static int cmp_concept_match(const void *a, const void *b)
{
  const ConceptMatch *x = a, *y = b;
  if (x->concept != y->concept)
    return x->concept < y->concept ? -1 : 1;
  if (x->len != y->len)
    return x->len > y->len ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Counts the places of each concept inside one token: the longest term of the
 * concept first, then shorter ones that do not overlap a chosen place. */
static void count_concepts(const ZhsegTermLexicon *lex, const GArray *matches, guint64 *concepts,
                           GArray *scratch)
{
  g_array_set_size(scratch, 0);
  for (guint i = 0; i < matches->len; i++) {
    const ZhsegTermMatch *m = &g_array_index(matches, ZhsegTermMatch, i);
    guint ci = g_array_index(lex->term_concept, guint, m->term);
    if (ci == G_MAXUINT)
      continue;
    ConceptMatch cm = {ci, m->start, m->len};
    g_array_append_val(scratch, cm);
  }
  if (scratch->len == 0)
    return;
  qsort(scratch->data, scratch->len, sizeof(ConceptMatch), cmp_concept_match);
  ConceptMatch *cm = (ConceptMatch *)scratch->data;
  for (guint i = 0; i < scratch->len;) {
    guint j = i;
    while (j < scratch->len && cm[j].concept == cm[i].concept)
      j++;
    /* cm[i..j) is one concept, longest first; chosen places are kept in
     * place at the front of the run (k marks its end). */
    guint k = i;
    for (guint x = i; x < j; x++) {
      gboolean overlaps = FALSE;
      for (guint y = i; y < k && !overlaps; y++)
        overlaps = cm[x].start < cm[y].start + cm[y].len && cm[y].start < cm[x].start + cm[x].len;
      if (!overlaps)
        cm[k++] = cm[x];
    }
    concepts[cm[i].concept] += k - i;
    i = j;
  }
}

ZhsegDocCounts *zhseg_corpus_count(const ZhsegCorpus *c, const char *text, gsize len,
                                   const ZhsegToken *tokens, gsize n_tokens)
{
  g_return_val_if_fail(c != NULL && (text != NULL || len == 0), NULL);
  g_return_val_if_fail(tokens != NULL || n_tokens == 0, NULL);
  ZhsegDocCounts *doc = g_new0(ZhsegDocCounts, 1);
  doc->terms = g_array_new(FALSE, FALSE, sizeof(ZhsegDocTerm));
  doc->pairs_win = zhseg_pair_map_new();
  doc->pairs_sent = zhseg_pair_map_new();
  doc->pairs_tr = zhseg_pair_map_new();
  doc->n_concepts = c->lexicon ? zhseg_term_lexicon_n_concepts_(c->lexicon) : 0;
  doc->concepts = g_new0(guint64, doc->n_concepts + 1);
  Builder b = {doc, g_hash_table_new(g_str_hash, g_str_equal)};
  GArray *seq = g_array_new(FALSE, FALSE, sizeof(guint32)); /* content words, for windows */
  GArray *tr = g_array_new(FALSE, FALSE, sizeof(gint64));   /* every token: id or -1 */
  GArray *sent = g_array_new(FALSE, FALSE, sizeof(guint32));
  GArray *matches = g_array_new(FALSE, FALSE, sizeof(ZhsegTermMatch));
  GArray *scratch = g_array_new(FALSE, FALSE, sizeof(ConceptMatch));

  for (gsize i = 0; i < n_tokens; i++) {
    const ZhsegToken *t = &tokens[i];
    if (t->start > t->end || t->end > len) /* not from this text: ignored */
      continue;
    const char *s = text + t->start;
    gsize l = t->end - t->start;
    gboolean word = t->type == ZHSEG_TOKEN_WORD || t->type == ZHSEG_TOKEN_LATIN;
    if (t->flags & ZHSEG_TOKEN_FLAG_SUBWORD) {
      /* A sub-word of a compound (search mode): a term of its own, unless it
       * is a lexicon term, already counted inside the compound. */
      if (word && (c->lexicon == NULL || zhseg_term_lexicon_find(c->lexicon, s, l) < 0) &&
          is_content(c, t, s, l)) {
        guint32 id = local_term(&b, s, l);
        ZhsegDocTerm *dt = &g_array_index(doc->terms, ZhsegDocTerm, id);
        dt->count++;
        dt->token_count++;
        dt->content = TRUE;
      }
      continue;
    }
    gint64 tr_id = -1;
    if (t->type == ZHSEG_TOKEN_SPACE || t->type == ZHSEG_TOKEN_PUNCT) {
      if (ends_sentence(t, s, l))
        end_sentence(&b, sent);
      g_array_append_val(tr, tr_id);
      continue;
    }
    doc->tokens++;
    if (word) {
      gboolean whole_lexicon = FALSE;
      if (c->lexicon != NULL) {
        g_array_set_size(matches, 0);
        zhseg_term_lexicon_match(c->lexicon, s, l, matches);
        for (guint m = 0; m < matches->len; m++) {
          const ZhsegTermMatch *lm = &g_array_index(matches, ZhsegTermMatch, m);
          guint32 id = local_term(&b, s + lm->start, lm->len); /* may grow doc->terms */
          ZhsegDocTerm *dt = &g_array_index(doc->terms, ZhsegDocTerm, id);
          dt->count++;
          if (lm->start == 0 && lm->len == l) {
            dt->token_count++;
            whole_lexicon = TRUE;
          }
        }
        count_concepts(c->lexicon, matches, doc->concepts, scratch);
      }
      gboolean content = is_content(c, t, s, l);
      if (content || whole_lexicon) {
        guint32 id = local_term(&b, s, l);
        ZhsegDocTerm *dt = &g_array_index(doc->terms, ZhsegDocTerm, id);
        if (!whole_lexicon) {
          dt->count++;
          dt->token_count++;
        }
        dt->content |= content;
        g_array_append_val(seq, id);
        g_array_append_val(sent, id);
        tr_id = id;
      }
    }
    g_array_append_val(tr, tr_id);
  }
  end_sentence(&b, sent);

  /* Window pairs over the content-word sequence. */
  const guint32 *sq = (const guint32 *)seq->data;
  for (guint i = 0; i < seq->len; i++)
    for (guint j = i + 1; j < seq->len && j <= i + c->window; j++)
      if (sq[i] != sq[j])
        zhseg_pair_map_add(doc->pairs_win, zhseg_pair_key(MIN(sq[i], sq[j]), MAX(sq[i], sq[j])),
                             1);
  /* TextRank edges as jieba makes them: for each content word at position i,
   * every content word at positions i+1 .. i+span-1 of the token sequence. */
  const gint64 *tp = (const gint64 *)tr->data;
  for (guint i = 0; i < tr->len; i++) {
    if (tp[i] < 0)
      continue;
    for (guint j = i + 1; j < tr->len && j < i + c->tr_span; j++)
      if (tp[j] >= 0) {
        guint32 x = (guint32)tp[i], y = (guint32)tp[j];
        zhseg_pair_map_add(doc->pairs_tr, zhseg_pair_key(MIN(x, y), MAX(x, y)), 1);
      }
  }
  g_hash_table_destroy(b.local);
  g_array_free(seq, TRUE);
  g_array_free(tr, TRUE);
  g_array_free(sent, TRUE);
  g_array_free(matches, TRUE);
  g_array_free(scratch, TRUE);
  return doc;
}
