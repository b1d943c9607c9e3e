/* Shared inside stats/; not part of the public API. */
#ifndef ZHSEG_STATS_PRIVATE_H
#define ZHSEG_STATS_PRIVATE_H

#include "include/zhseg.h"
#include "stats/measures.h"

struct ZhsegTermLexicon {
  GPtrArray *terms;     /* char *, file order of first appearance */
  GArray *term_concept; /* guint per term: index into concepts, or G_MAXUINT */
  GPtrArray *concepts;  /* char *, order of first appearance */
  GHashTable *index;    /* term -> GUINT_TO_POINTER(i + 1) */
  gsize max_bytes;      /* longest term */
};

/* One occurrence of a lexicon term inside a string (byte offsets). */
typedef struct {
  guint term;
  guint start;
  guint len;
} ZhsegTermMatch;

/* Appends to `matches` every occurrence of a lexicon term in s[0..len), at
 * every character position (overlapping occurrences included), ordered by
 * start then length. */
void zhseg_term_lexicon_match(const ZhsegTermLexicon *lex, const char *s, gsize len, GArray *matches);
/* Index of the term s[0..len), or -1. */
gssize zhseg_term_lexicon_find(const ZhsegTermLexicon *lex, const char *s, gsize len);
guint zhseg_term_lexicon_n_concepts_(const ZhsegTermLexicon *lex);

/* Packs two 32-bit ids into a key for the pair tables. */
static inline guint64 zhseg_pair_key(guint32 a, guint32 b)
{
  return ((guint64)a << 32) | b;
}

/* Pair key -> count (stats/pairmap.c). Slot i is used when counts[i] > 0;
 * iterate over i < cap. */
typedef struct {
  guint64 *keys;
  guint64 *counts;
  gsize cap; /* a power of two */
  gsize len;
} ZhsegPairMap;

ZhsegPairMap *zhseg_pair_map_new(void);
void zhseg_pair_map_free(ZhsegPairMap *m);
void zhseg_pair_map_add(ZhsegPairMap *m, guint64 key, guint64 count);

/* One term of an article. */
typedef struct {
  char *term;
  guint64 count;
  guint64 token_count;
  guint32 sentences; /* sentences holding it as a content word */
  gboolean content;
} ZhsegDocTerm;

struct ZhsegDocCounts {
  GArray *terms;          /* ZhsegDocTerm */
  ZhsegPairMap *pairs_win;  /* (local a, local b), a < b in local id -> count */
  ZhsegPairMap *pairs_sent; /* same, sentences */
  ZhsegPairMap *pairs_tr;   /* TextRank edges, unordered (a <= b) */
  guint64 *concepts;      /* per lexicon concept */
  guint n_concepts;
  guint64 tokens;
  guint64 sentences;
};

/* One article kept in the corpus: its term counts by corpus term id. */
typedef struct {
  guint32 id;
  guint64 count;
} ZhsegArticleTerm;

typedef struct {
  char *id;
  char *path;
  guint64 tokens;
  GArray *terms;     /* ZhsegArticleTerm, sorted by id once computed */
  guint64 *concepts; /* per concept */
  gboolean used;
} ZhsegArticle;

typedef struct {
  char *term;
  guint64 count;
  guint64 token_count;
  guint32 df;
  guint64 sentences;
  gboolean content;
} ZhsegCorpusTerm;

struct ZhsegCorpus {
  ZhsegDict *dict;
  const ZhsegTermLexicon *lexicon;
  const ZhsegStopwords *stopwords;
  GHashTable *content_tags; /* tag name -> 1 */
  guint window;
  guint tr_span;

  GMutex lock;
  GHashTable *vocab;        /* term -> GUINT_TO_POINTER(id + 1) */
  GArray *terms;            /* ZhsegCorpusTerm by id */
  ZhsegPairMap *pairs_win, *pairs_sent, *pairs_tr; /* by corpus id */
  GArray *articles;         /* ZhsegArticle by index */
  guint n_articles;
  guint64 tokens;
  guint64 sentences;
};

#endif
