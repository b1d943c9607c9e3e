/* The segmenter's insides, shared by segmenter.c (runs, API), block.c (DAG
 * and best path), hmm.c (unknown words) and rules.c (numbers and dates). */
#ifndef ZHSEG_SEGMENTER_PRIVATE_H
#define ZHSEG_SEGMENTER_PRIVATE_H

#include "dict/private.h"
#include "tokenizer/chars.h"

/* Per-character flags inside a block. */
enum {
  CF_START = 1 << 0, /* a word may start here (not inside a Latin word or number) */
  CF_END = 1 << 1,   /* a word may end here */
  CF_ATOM = 1 << 2,  /* the character starts a Latin word or number (atom) */
  CF_DIGITS = 1 << 3,/* that atom is a number */
};

/* The longest block segmented at once, in characters. A longer stretch of
 * text without punctuation or spaces is cut at a point no dictionary word
 * spans (see block.c). */
#define ZHSEG_MAX_BLOCK 16384

/* A token inside a block: character indices [a, b). */
typedef struct {
  guint32 a, b;
  guint8 type;
  guint8 flags;
  guint8 tag;
} BlockToken;

typedef struct {
  const char *utf8;
  gsize len;
  guint8 tag;
} SpecialWord;

struct ZhsegSegmenter {
  ZhsegDict *dict;
  ZhsegMode mode;
  gboolean hmm;
  gboolean overlay;
  gboolean jieba_hmm; /* ZHSEG_SEGMENTER_JIEBA_HMM */
  int tag_x, tag_eng, tag_m;

  /* Block scratch, indexed by character; `cap` entries each. */
  guint32 *cid;  /* base trie character id */
  guint32 *uid;  /* user trie character id (overlay only) */
  gint32 *cp;    /* code point */
  gsize *boff;   /* byte offset in the caller's buffer; boff[n] = end */
  guint8 *flag;  /* CF_* */
  double *route; /* best log-probability from here to the block's end */
  gint32 *end;   /* last character of the best word starting here */
  guint32 *slot; /* trie slot of that word (USER_SLOT bit: user trie), 0 = none */
  gsize cap;
  BlockToken *bt;  /* the block's tokens */
  guint32 n_bt, bt_cap;
  BlockToken *bt2; /* search mode: tokens with subwords */
  guint32 bt2_cap;

  /* Finished tokens go straight into the caller's GArray: its length is
   * grown ahead in large steps (ob_cap) and trimmed to n_ob at the end, so
   * no library call happens per token. */
  ZhsegToken *ob;
  gsize n_ob, ob_cap;
  GArray *out;
  gsize out_base; /* the GArray's length before this call */

  /* HMM scratch. */
  double *viterbi;
  guint8 *back;
  gsize hmm_cap;

  guint8 *unit_cid; /* [n_chars + 1]: 1 for the date/time units of rules.c */
  GArray *special; /* SpecialWord, longest first */
  guint8 special_first[32];
};

#define USER_SLOT 0x80000000u

/* Appends a block token. */
void zhseg_bt_grow(ZhsegSegmenter *seg);
static inline void zhseg_bt_add(ZhsegSegmenter *seg, guint32 a, guint32 b, guint8 type, guint8 flags,
                                guint8 tag)
{
  if (G_UNLIKELY(seg->n_bt == seg->bt_cap))
    zhseg_bt_grow(seg);
  seg->bt[seg->n_bt++] = (BlockToken){a, b, type, flags, tag};
}

/* Appends a finished token. */
void zhseg_ob_grow(ZhsegSegmenter *seg);
static inline ZhsegToken *zhseg_ob_next(ZhsegSegmenter *seg)
{
  if (G_UNLIKELY(seg->n_ob == seg->ob_cap))
    zhseg_ob_grow(seg);
  return &seg->ob[seg->n_ob++];
}

/* Grows the block scratch to hold n + 1 characters. */
void zhseg_segmenter_reserve(ZhsegSegmenter *seg, gsize n);

/* Segments the block starting at *pos and appends its tokens; advances *pos
 * and *cpos past it. */
void zhseg_segment_block(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos, gsize *cpos);

/* Runs the HMM over characters [a, b) of the block and appends its words
 * to seg->tokens. */
void zhseg_hmm_cut(ZhsegSegmenter *seg, guint32 a, guint32 b);

/* Joins numbers with the date and time units that belong to them. */
void zhseg_rules_apply(ZhsegSegmenter *seg);
/* Marks the units' character ids in seg->unit_cid. */
void zhseg_rules_init(ZhsegSegmenter *seg);

/* Tag id by name in an existing dictionary, -1 when it has none. */
static inline int zhseg_dict_tag_id_const(const ZhsegDict *dict, const char *tag)
{
  for (guint i = 0; i < dict->tag_names->len; i++)
    if (g_str_equal(g_ptr_array_index(dict->tag_names, i), tag))
      return (int)i;
  return -1;
}

#endif
