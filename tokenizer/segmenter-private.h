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
  CF_NOHMM = 1 << 4, /* outside U+4E00..U+9FD5, the characters jieba's HMM takes */
};

/* The longest block segmented at once, in characters. A longer stretch of
 * text without punctuation or spaces is cut at a point no dictionary word
 * spans (see block.c). */
#define ZHSEG_MAX_BLOCK 16384

typedef struct {
  const char *utf8;
  gsize len;
  guint8 tag;
} SpecialWord;

/* The best path's word from one character of a block: its end and its slot
 * side by side, so the hot loops hold one pointer for both and write them,
 * and read them, at once. */
typedef struct {
  gint32 end;   /* last character of the best word starting here */
  guint32 slot; /* trie slot of that word (USER_SLOT bit: user trie), 0 = none */
} ZhsegPathWord;

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
  gsize *boff;   /* byte offset in the caller's buffer; boff[n] = end */
  guint8 *flag;  /* CF_* */
  double *route; /* best log-probability from here to the block's end */
  ZhsegPathWord *word; /* the best word starting here */
  gsize cap;

  /* The text being cut, and the current block's first character offset. */
  const guchar *text;
  gsize cbase;
  /* The character that ended the last block, already decoded and classed
   * (valid for the text being cut; peek_pos is G_MAXSIZE between calls). */
  gsize peek_pos;
  gint32 peek_c;
  guint peek_n;
  CharClass peek_class;

  /* Finished tokens go straight into the caller's GArray: its length is
   * grown ahead in large steps (ob_cap) and trimmed to n_ob at the end, so
   * no library call happens per token. A block's tokens are written there
   * as they are found; rules.c and search mode rework them in place. */
  ZhsegToken *ob;
  gsize n_ob, ob_cap;
  GArray *out;
  gsize out_base; /* the GArray's length before this call */
  ZhsegToken *scratch; /* search mode: a copy of the block's tokens */
  gsize scratch_cap;

  /* HMM scratch. */
  double *viterbi;
  guint8 *back;
  gsize hmm_cap;

  guint8 *cid_class; /* [n_chars + 1]: CID_* marks of each character id */
  GArray *special; /* SpecialWord, longest first */
  guint8 special_first[32];
};

#define USER_SLOT 0x80000000u

/* Marks of a character id, so the rare paths can rule characters out
 * without decoding them again. Id 0 (characters the dictionary lacks)
 * carries CID_UNIT and CID_NUMERAL as "maybe". */
enum {
  CID_UNIT = 1 << 0,       /* 年 月 日 时 分 秒 (rules.c) */
  CID_NUMERAL = 1 << 1,    /* a Han, full-width or ASCII digit, or 十 (rules.c) */
  CID_STANDALONE = 1 << 2, /* a word frequent enough to stand alone (hmm.c) */
  CID_ZERO = 1 << 3,       /* a block holds 〇 or ○ (a block mark only: block.c sets it) */
};

/* Builds block.c's decoding table; called before any segmenter is made. */
void zhseg_block_init(void);

/* Appends a finished token. */
void zhseg_ob_grow(ZhsegSegmenter *seg);
static inline ZhsegToken *zhseg_ob_next(ZhsegSegmenter *seg)
{
  if (G_UNLIKELY(seg->n_ob == seg->ob_cap))
    zhseg_ob_grow(seg);
  return &seg->ob[seg->n_ob++];
}

/* Makes room for k more tokens. */
static inline void zhseg_ob_reserve(ZhsegSegmenter *seg, gsize k)
{
  while (G_UNLIKELY(seg->n_ob + k > seg->ob_cap))
    zhseg_ob_grow(seg);
}

/* Appends the token for block characters [a, b). */
static inline void zhseg_emit(ZhsegSegmenter *seg, guint32 a, guint32 b, guint8 type, guint8 flags,
                              guint8 tag)
{
  *zhseg_ob_next(seg) = (ZhsegToken){seg->boff[a], seg->boff[b], seg->cbase + a, seg->cbase + b,
                                     tag, type, flags};
}

/* The POS tag of the word a path slot stands for (ZhsegPathWord.slot): the
 * user trie's or the base trie's, and "x" for no word (slot 0). */
static inline guint8 zhseg_slot_tag(const ZhsegSegmenter *seg, guint32 slot)
{
  if (slot == 0)
    return (guint8)seg->tag_x;
  if (slot & USER_SLOT)
    return seg->dict->user.slots[slot & ~USER_SLOT].tag;
  return seg->dict->slots[slot].tag;
}

/* Block character indices of a token of the current block. */
static inline guint32 zhseg_tok_a(const ZhsegSegmenter *seg, const ZhsegToken *t)
{
  return (guint32)(t->cstart - seg->cbase);
}
static inline guint32 zhseg_tok_b(const ZhsegSegmenter *seg, const ZhsegToken *t)
{
  return (guint32)(t->cend - seg->cbase);
}

/* Code point of block character i, decoded again from the text: only the
 * rare paths (HMM, rules, overlays) need it, so the hot loop stores none. */
static inline gint32 zhseg_block_cp(const ZhsegSegmenter *seg, guint32 i)
{
  guint n;
  return zhseg_utf8_decode_fast(seg->text + seg->boff[i], seg->boff[i + 1] - seg->boff[i], &n);
}

/* Appends the token of the punctuation mark of n bytes at *pos, with the
 * same mark repeated right after it (——, ……, !!!: its first byte rules out
 * nearly every other character, such as the Han text after); advances *pos
 * and *cpos past them. */
static inline void zhseg_punct_token(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos, gsize *cpos,
                                     guint n)
{
  gsize start = *pos, p = start + n, cstart = *cpos, cp = cstart + 1;
  while (p + n <= len && s[p] == s[start] && memcmp(s + p, s + start, n) == 0) {
    p += n;
    cp++;
  }
  *zhseg_ob_next(seg) = (ZhsegToken){start, p, cstart, cp, (guint16)seg->tag_x, ZHSEG_TOKEN_PUNCT, 0};
  *pos = p;
  *cpos = cp;
}

/* Appends the token of the line break of n bytes at *pos (CR LF is one);
 * advances *pos and *cpos past it. */
static inline void zhseg_newline_token(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos, gsize *cpos,
                                       guint n)
{
  gsize start = *pos, p = start + n, cstart = *cpos, cp = cstart + 1;
  if (s[start] == '\r' && p < len && s[p] == '\n') {
    p++;
    cp++;
  }
  *zhseg_ob_next(seg) = (ZhsegToken){start, p, cstart, cp, 0, ZHSEG_TOKEN_SPACE, 0};
  *pos = p;
  *cpos = cp;
}

/* Grows the block scratch to hold n + 1 characters. */
void zhseg_segmenter_reserve(ZhsegSegmenter *seg, gsize n);

/* Segments the block starting at *pos and appends its tokens; advances *pos
 * and *cpos past it. A punctuation mark after the block, and the blocks
 * after such marks, may come with it (see block.c). */
void zhseg_segment_block(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos, gsize *cpos);

/* Marks the characters the HMM's standalone rule applies to in seg->cid_class. */
void zhseg_hmm_init(ZhsegSegmenter *seg);

/* Runs the HMM over characters [a, b) of the block and appends its words. */
void zhseg_hmm_cut(ZhsegSegmenter *seg, guint32 a, guint32 b);

/* Joins numbers with the date and time units that belong to them, in the
 * block's tokens seg->ob[first, n_ob). */
void zhseg_rules_apply(ZhsegSegmenter *seg, gsize first);
/* Joins the digits of a number written with a zero 〇 or ○ (二○○○), in the
 * block's tokens seg->ob[first, n_ob). */
void zhseg_rules_join_zero_numbers(ZhsegSegmenter *seg, gsize first);
/* Fills seg->cid_class. */
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
