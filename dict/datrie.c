/* Double-array trie construction over character ids (see image.h for the
 * layout). Used by the compiler for the default image and by user-dictionary
 * overlays, which build a small second trie at open time. */
#include "dict/private.h"

#include <string.h>

typedef struct {
  ZhsegSlot *slots;
  guint32 *freqs;
  guint64 *used;      /* bit i: slot i is taken; cap bits, plus a word of slack */
  guint32 cap;
  guint32 high;       /* one past the highest used slot */
  gint32 max_base;
  guint32 first_free; /* no free slot below it */
  guint32 n_chars;
} Builder;

static void builder_grow(Builder *b, guint64 need);

/* Called for every position find_base looks at: the common case inline. */
static inline void builder_reserve(Builder *b, guint64 need)
{
  if (G_UNLIKELY(need > b->cap))
    builder_grow(b, need);
}

static void builder_grow(Builder *b, guint64 need)
{
  guint64 cap = b->cap ? b->cap : 1024;
  while (cap < need)
    cap *= 2;
  g_assert(cap < G_MAXINT32);
  b->slots = g_renew(ZhsegSlot, b->slots, cap);
  b->freqs = g_renew(guint32, b->freqs, cap);
  for (guint64 i = b->cap; i < cap; i++) {
    b->slots[i] = (ZhsegSlot){0, ZHSEG_FREE_CHECK, ZHSEG_NOT_A_WORD, 0, 0, 0};
    b->freqs[i] = 0;
  }
  /* cap is a power of two of at least 1024: whole words. */
  b->used = g_renew(guint64, b->used, cap / 64 + 1);
  memset(b->used + (b->cap ? b->cap / 64 + 1 : 0), 0,
         (cap / 64 + 1 - (b->cap ? b->cap / 64 + 1 : 0)) * sizeof(guint64));
  b->cap = (guint32)cap;
}

static inline gboolean slot_used(const Builder *b, guint32 i)
{
  return (b->used[i / 64] >> (i % 64)) & 1;
}

static inline void take_slot(Builder *b, guint32 i)
{
  b->used[i / 64] |= G_GUINT64_CONSTANT(1) << (i % 64);
}

/* Bit k set when slot i + k is free, k < 64 (i + 64 < cap). */
static inline guint64 free_bits(const Builder *b, guint32 i)
{
  guint32 w = i / 64, r = i % 64;
  guint64 x = b->used[w] >> r;
  if (r != 0)
    x |= b->used[w + 1] << (64 - r);
  return ~x;
}

static int compare_words(gconstpointer pa, gconstpointer pb)
{
  const ZhsegBuildWord *a = pa, *b = pb;
  guint32 n = MIN(a->n_chars, b->n_chars);
  for (guint32 i = 0; i < n; i++)
    if (a->chars[i] != b->chars[i])
      return a->chars[i] < b->chars[i] ? -1 : 1;
  return a->n_chars < b->n_chars ? -1 : a->n_chars > b->n_chars;
}

/* Finds the smallest base >= 1 whose slots base + label are all free, for
 * children with these labels (ascending): exact first-fit. The free-slot
 * bitmap answers for 64 candidate bases at once (one word per label, and
 * most candidates fail on the first labels), which matters for the nodes
 * with thousands of children, whose search crosses the packed front of
 * the array. */
static gint32 find_base(Builder *b, const guint32 *labels, guint n)
{
  /* Skip past slots taken since the last search. */
  builder_reserve(b, (guint64)b->first_free + 130);
  while (slot_used(b, b->first_free)) {
    b->first_free++;
    builder_reserve(b, (guint64)b->first_free + 130);
  }
  guint32 lo = MAX(b->first_free, labels[0] + 1) - labels[0];
  for (;; lo += 64) {
    builder_reserve(b, (guint64)lo + b->n_chars + 130);
    guint64 fit = ~G_GUINT64_CONSTANT(0);
    for (guint i = 0; i < n && fit != 0; i++)
      fit &= free_bits(b, lo + labels[i]);
    if (fit != 0)
      return (gint32)(lo + (guint32)__builtin_ctzll(fit));
  }
}

/* A node waiting for its children to be placed: the words [lo, hi) share
 * its prefix of `depth` characters; `mass` is their summed frequency. */
typedef struct {
  guint64 mass;
  gsize lo, hi;
  guint32 slot;
  guint32 depth;
} Pending;

/* Max-heap order: heavier first; ties by word order, so images are
 * reproducible. */
static gboolean pending_before(const Pending *a, const Pending *b)
{
  return a->mass != b->mass ? a->mass > b->mass : a->lo < b->lo;
}

static void heap_push(GArray *heap, Pending p)
{
  g_array_append_val(heap, p);
  Pending *h = (Pending *)heap->data;
  gsize i = heap->len - 1;
  while (i > 0 && pending_before(&h[i], &h[(i - 1) / 2])) {
    Pending t = h[i];
    h[i] = h[(i - 1) / 2];
    h[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static Pending heap_pop(GArray *heap)
{
  Pending *h = (Pending *)heap->data;
  Pending top = h[0];
  h[0] = h[heap->len - 1];
  g_array_set_size(heap, heap->len - 1);
  gsize n = heap->len, i = 0;
  for (;;) {
    gsize l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && pending_before(&h[l], &h[m]))
      m = l;
    if (r < n && pending_before(&h[r], &h[m]))
      m = r;
    if (m == i)
      break;
    Pending t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
  return top;
}

/* Places the children of node p.slot (first-fit, see find_base) and queues
 * them. */
static void place_children(Builder *b, GArray *heap, GArray *labels_buf, const ZhsegBuildWord *w,
                           const guint64 *mass_before, Pending p)
{
  gsize lo = p.lo, hi = p.hi;
  guint32 depth = p.depth;
  /* The word equal to this node's prefix (if any) sorts first: already stored. */
  if (lo < hi && w[lo].n_chars == depth)
    lo++;
  if (lo >= hi) {
    b->slots[p.slot].base = 0; /* a leaf: base 0 can never reach a child of s */
    return;
  }
  g_array_set_size(labels_buf, 0);
  for (gsize k = lo; k < hi; k++) {
    guint32 c = w[k].chars[depth];
    if (labels_buf->len == 0 || g_array_index(labels_buf, guint32, labels_buf->len - 1) != c)
      g_array_append_val(labels_buf, c);
  }
  const guint32 *labels = (const guint32 *)labels_buf->data;
  guint n = labels_buf->len;
  gint32 base = p.slot == 0 ? 0 : find_base(b, labels, n);
  builder_reserve(b, (guint64)base + b->n_chars + 2);
  b->slots[p.slot].base = base;
  b->max_base = MAX(b->max_base, base);
  gsize k = lo;
  for (guint i = 0; i < n; i++) {
    guint32 t = (guint32)base + labels[i];
    g_assert(!slot_used(b, t));
    take_slot(b, t);
    b->slots[t].check = p.slot;
    b->slots[p.slot].children |= (guint16)ZHSEG_CHILD_BIT(labels[i]);
    b->high = MAX(b->high, t + 1);
    /* Children's words are contiguous in sorted order. */
    gsize start = k;
    while (k < hi && w[k].chars[depth] == labels[i])
      k++;
    if (w[start].n_chars == depth + 1) {
      b->slots[t].logp = w[start].logp;
      b->freqs[t] = w[start].freq;
      b->slots[t].tag = w[start].tag;
    }
    heap_push(heap, (Pending){mass_before[k] - mass_before[start], start, k, t, depth + 1});
  }
}

/* Builds the double array best-first: the nodes whose words are most
 * frequent get their children placed first, so the slots a segmenter
 * reaches most often are packed together at the front of the array
 * rather than spread over all of it (most walks stop within two or three
 * steps, and each step is a read from a place the last one does not
 * predict: packing what is hot is what keeps those reads in cache). */
static void insert_all(Builder *b, const ZhsegBuildWord *w, gsize lo, gsize hi)
{
  /* mass_before[k]: summed weight of words [lo, k); a word weighs its
   * frequency plus one, so words without one still count. */
  guint64 *mass_before = g_new(guint64, hi + 1);
  mass_before[lo] = 0;
  for (gsize k = lo; k < hi; k++)
    mass_before[k + 1] = mass_before[k] + w[k].freq + 1;
  GArray *heap = g_array_new(FALSE, FALSE, sizeof(Pending));
  GArray *labels = g_array_new(FALSE, FALSE, sizeof(guint32));
  heap_push(heap, (Pending){mass_before[hi], lo, hi, 0, 0});
  while (heap->len > 0)
    place_children(b, heap, labels, w, mass_before, heap_pop(heap));
  g_array_free(labels, TRUE);
  g_array_free(heap, TRUE);
  g_free(mass_before);
}

void zhseg_trie_build(ZhsegBuildWord *words, gsize n_words, guint32 n_chars, ZhsegTrie *out)
{
  if (n_words > 1) /* qsort must not see the NULL of an empty array */
    qsort(words, n_words, sizeof *words, compare_words);
  Builder b = {0};
  b.n_chars = n_chars;
  b.first_free = 1;
  builder_reserve(&b, (guint64)n_chars + 2);
  take_slot(&b, 0);
  b.slots[0].check = ZHSEG_FREE_CHECK;
  b.high = 1;
  /* Drop empty words: they have no node. */
  gsize lo = 0;
  while (lo < n_words && words[lo].n_chars == 0)
    lo++;
  insert_all(&b, words, lo, n_words);
  /* Pad so that base + any character id stays inside the array. */
  guint32 n_slots = MAX(b.high, (guint32)b.max_base + n_chars + 1);
  builder_reserve(&b, n_slots);
  out->n_slots = n_slots;
  out->slots = g_renew(ZhsegSlot, b.slots, n_slots);
  out->freqs = g_renew(guint32, b.freqs, n_slots);
  g_free(b.used);
}

void zhseg_trie_clear(ZhsegTrie *trie)
{
  g_clear_pointer(&trie->slots, g_free);
  g_clear_pointer(&trie->freqs, g_free);
  trie->n_slots = 0;
}
