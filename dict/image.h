/* The binary dictionary image: one file holding the whole model, laid out so
 * it can be memory-mapped and used in place, never parsed.
 *
 *   header     ZhsegImageHeader: magic, version, byte order, totals, checksum,
 *              and a table of sections (offset and size, 64-byte aligned)
 * then, in this order (the loader finds them by offset; what open reads
 * comes first, so a cold open touches the file's first pages only):
 *   TAGNAMES   NUL-separated tag names, id order
 *   CHARMAP    guint16[65536]: BMP code point -> character id (0 = unknown)
 *   ASTRAL     ZhsegAstralEntry[]: code points above U+FFFF, sorted, -> id
 *   SLOTS      ZhsegSlot[n_slots]: the double-array trie
 *   FREQS      guint32[n_slots]: frequency of the word ending at a slot
 *   HMM        ZhsegHmmHeader + double emit[n_chars + 1][4] (B, M, E, S)
 *
 * Character ids are ranked by how often the character occurs in the lexicon
 * (weighted by word frequency), so the trie's hot nodes sit together at the
 * front of SLOTS. The trie transition from slot s on character c is
 * t = slots[s].base + c, valid when slots[t].check == s. A slot also
 * holds the POS tag of the word ending there and a mask of its children's
 * labels, so the walk reads no other array: a step whose label's bit is
 * clear ends the walk without reading slots[t], a read from a place no
 * earlier read predicts, and the most frequent cache miss of a walk (most
 * walks end on a character the node has no child for). The root is slot 0
 * with base 0, so the node of a first character c is slot c. The compiler
 * keeps every base at most n_slots - n_chars - 1, so t stays inside the
 * array; the loader does not read every slot to confirm it, so each walk
 * step checks t < n_slots (zhseg_trie_step), which a damaged image needs.
 */
#ifndef ZHSEG_DICT_IMAGE_H
#define ZHSEG_DICT_IMAGE_H

#include <glib.h>

#define ZHSEG_IMAGE_MAGIC "ZHSEGDCT"
#define ZHSEG_IMAGE_VERSION 2u /* 2: tag and child mask in each slot, no TAGS section */
#define ZHSEG_IMAGE_BYTE_ORDER 0x01020304u
#define ZHSEG_IMAGE_ALIGN 64u
/* What open reads (header, tag names, character map, astral table, the
 * trie's root) lies in an image's first ZHSEG_IMAGE_OPEN_BYTES, as the
 * compiler lays it out; open asks for them in one read. */
#define ZHSEG_IMAGE_OPEN_BYTES (136u * 1024)

/* A slot's logp when no word ends there: any positive value works, since
 * every real log-probability is negative. */
#define ZHSEG_NOT_A_WORD 1.0f
/* A free slot's check: no parent has this index. */
#define ZHSEG_FREE_CHECK G_MAXUINT32
/* jieba's log-probability for "impossible" in the HMM tables. */
#define ZHSEG_HMM_MIN (-3.14e100)

enum {
  ZHSEG_SECTION_CHARMAP,
  ZHSEG_SECTION_ASTRAL,
  ZHSEG_SECTION_SLOTS,
  ZHSEG_SECTION_FREQS,
  ZHSEG_SECTION_TAGNAMES,
  ZHSEG_SECTION_HMM,
  ZHSEG_N_SECTIONS
};

typedef struct {
  guint64 offset;
  guint64 size;
} ZhsegSection;

/* The longest word a lexicon may hold, in characters. */
#define ZHSEG_MAX_WORD_CHARS 256

typedef struct {
  char magic[8];
  guint32 version;
  guint32 byte_order;
  guint64 file_size;
  guint64 checksum; /* XXH3-64 of the whole file, this field read as 0 */
  double total_freq;
  guint32 n_words;
  guint32 n_chars; /* character ids are 1..n_chars */
  guint32 n_slots;
  guint32 n_tags;
  guint32 max_word_chars; /* 1..ZHSEG_MAX_WORD_CHARS */
  guint32 has_hmm;
  ZhsegSection sections[ZHSEG_N_SECTIONS];
} ZhsegImageHeader;

typedef struct {
  gint32 base;
  guint32 check;
  float logp; /* log(freq / total) of the word ending here, or ZHSEG_NOT_A_WORD */
  guint8 tag;        /* POS tag id of the word ending here */
  guint8 reserved;   /* 0 */
  guint16 children;  /* bit c % 16 set for each child's label c (see ZHSEG_CHILD_BIT) */
} ZhsegSlot;
/* Four slots to a 64-byte cache line, none straddling two. */
G_STATIC_ASSERT(sizeof(ZhsegSlot) == 16);

/* The bit of a slot's children mask a child labelled c sets. Only a hint:
 * a set bit may stand for another label, so the child's check decides. */
#define ZHSEG_CHILD_BIT(c) (1u << ((c) % 16))

typedef struct {
  guint32 cp;
  guint32 id;
} ZhsegAstralEntry;

typedef struct {
  double start[4];    /* B, M, E, S */
  double trans[4][4]; /* from, to */
} ZhsegHmmHeader;

enum { ZHSEG_HMM_B, ZHSEG_HMM_M, ZHSEG_HMM_E, ZHSEG_HMM_S };

#endif
