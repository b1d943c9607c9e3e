/* The dictionary's insides, shared by dict/ and the segmenter; not public. */
#ifndef ZHSEG_DICT_PRIVATE_H
#define ZHSEG_DICT_PRIVATE_H

#include "common/private.h"
#include "dict/image.h"

/* A word handed to the trie builder: character ids and what its slot holds. */
typedef struct {
  guint32 *chars;
  guint32 n_chars;
  float logp;
  guint32 freq;
  guint8 tag;
} ZhsegBuildWord;

typedef struct {
  ZhsegSlot *slots;
  guint32 *freqs;
  guint32 n_slots;
} ZhsegTrie;

/* XXH3-64 of a whole image, its checksum field read as 0; size is at least
 * sizeof(ZhsegImageHeader). */
guint64 zhseg_image_checksum(const guint8 *image, gsize size);

/* Sorts `words` and builds the double array; ids must be 1..n_chars. */
void zhseg_trie_build(ZhsegBuildWord *words, gsize n_words, guint32 n_chars, ZhsegTrie *out);
void zhseg_trie_clear(ZhsegTrie *trie);

/* One entry of a text lexicon. */
typedef struct {
  char *word;
  double freq; /* < 0: not given */
  char *tag;   /* NULL: not given */
  guint line;
} ZhsegLexEntry;

/* Parses a lexicon (see zhseg_dict_compile) into a GArray of ZhsegLexEntry
 * (free with zhseg_lexicon_free). Errors name `source` and the line. */
GArray *zhseg_lexicon_parse(const char *text, gsize len, const char *source, GError **error);
void zhseg_lexicon_free(GArray *entries);

/* A marker in the user trie: the user removed this base word (frequency 0). */
#define ZHSEG_REMOVED_WORD 2.0f

struct ZhsegDict {
  gint ref;
  char *path;
  void *map;         /* the base image's mapping; NULL in an overlay */
  gsize map_size;
  ZhsegDict *base;   /* an overlay's base image dictionary; NULL in a base */

  /* Views into the image (an overlay copies its base's). */
  const ZhsegImageHeader *hdr;
  const guint16 *charmap;
  const ZhsegAstralEntry *astral;
  gsize n_astral;
  const ZhsegSlot *slots;
  const guint32 *freqs;
  guint32 n_slots;
  guint32 n_chars;
  const ZhsegHmmHeader *hmm; /* NULL without HMM tables */
  const double *emit;        /* [(n_chars + 1) * 4] */
  double total;
  double log_total;
  gsize n_words;
  GPtrArray *tag_names; /* char *, owned by the image or by this array */

  /* Overlay only. */
  ZhsegTrie user;          /* over ids 1..n_user_chars */
  guint32 n_user_chars;    /* n_chars plus characters only user words have */
  GHashTable *extra_chars; /* code point -> id > n_chars */
  GArray *user_entries;    /* ZhsegLexEntry: the effective user entries, one per
                              word, freq resolved (0 = removed) */
};

/* One step of a trie walk: the child of slot `s` on character id `c`, or 0
 * when there is none (0 is the root, never a child). Id 0 never matches,
 * since labels start at 1, so it needs no test of its own. The children
 * mask, in the slot the walk stands on, rules most characters out without
 * reading slots[t] (see image.h). The bound on t is what keeps a damaged
 * image from sending the walk outside the array: open does not read every
 * slot (that would cost milliseconds), so the walk checks the one slot it
 * is about to read. */
static inline guint32 zhseg_trie_step(const ZhsegSlot *slots, guint32 n_slots, guint32 s, guint32 c)
{
  if (!(slots[s].children & ZHSEG_CHILD_BIT(c)))
    return 0;
  guint32 t = (guint32)slots[s].base + c;
  return t < n_slots && slots[t].check == s ? t : 0;
}

/* Character id of a code point in the base image (0: the image has none). */
static inline guint32 zhseg_dict_char_id(const ZhsegDict *d, gint32 cp)
{
  if (G_LIKELY(cp < 0x10000))
    return cp >= 0 ? d->charmap[cp] : 0;
  gsize lo = 0, hi = d->n_astral;
  while (lo < hi) {
    gsize mid = (lo + hi) / 2;
    if (d->astral[mid].cp < (guint32)cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < d->n_astral && d->astral[lo].cp == (guint32)cp ? d->astral[lo].id : 0;
}

/* Character id in the overlay's extended id space (base id, else extra). */
static inline guint32 zhseg_dict_user_char_id(const ZhsegDict *d, gint32 cp)
{
  guint32 id = zhseg_dict_char_id(d, cp);
  if (id == 0 && d->extra_chars != NULL)
    id = GPOINTER_TO_UINT(g_hash_table_lookup(d->extra_chars, GINT_TO_POINTER(cp)));
  return id;
}

/* Id of a POS tag name, appending it to dict->tag_names when new; returns
 * -1 when the 256 ids a slot can hold are used up. */
int zhseg_dict_tag_id(ZhsegDict *dict, const char *tag);

#endif
