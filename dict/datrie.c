/* Double-array trie construction over character ids (see image.h for the
 * layout). Used by the compiler for the default image and by user-dictionary
 * overlays, which build a small second trie at open time. */
#include "dict/private.h"

#include <string.h>

typedef struct {
  ZhsegSlot *slots;
  guint32 *freqs;
  guint8 *tags;
  guint8 *used;
  guint32 cap;
  guint32 high;       /* one past the highest used slot */
  gint32 max_base;
  guint32 next_check; /* first slot worth looking at for a free base */
  guint32 n_chars;
} Builder;

static void builder_reserve(Builder *b, guint64 need)
{
  if (need <= b->cap)
    return;
  guint64 cap = b->cap ? b->cap : 1024;
  while (cap < need)
    cap *= 2;
  g_assert(cap < G_MAXINT32);
  b->slots = g_renew(ZhsegSlot, b->slots, cap);
  b->freqs = g_renew(guint32, b->freqs, cap);
  b->tags = g_renew(guint8, b->tags, cap);
  b->used = g_renew(guint8, b->used, cap);
  for (guint64 i = b->cap; i < cap; i++) {
    b->slots[i] = (ZhsegSlot){0, ZHSEG_FREE_CHECK, ZHSEG_NOT_A_WORD};
    b->freqs[i] = 0;
    b->tags[i] = 0;
    b->used[i] = 0;
  }
  b->cap = (guint32)cap;
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

/* Finds a base for children with these labels (ascending) such that every
 * slot base + label is free, first-fit from next_check (as Darts does). */
static gint32 find_base(Builder *b, const guint32 *labels, guint n)
{
  guint32 pos = MAX(b->next_check, labels[0] + 1) - 1;
  guint32 scanned = 0, occupied = 0;
  gboolean first = TRUE;
  for (;;) {
    pos++;
    builder_reserve(b, (guint64)pos + b->n_chars + 2);
    if (b->used[pos]) {
      occupied++;
      scanned++;
      continue;
    }
    scanned++;
    if (first) {
      b->next_check = pos;
      first = FALSE;
    }
    gint32 base = (gint32)(pos - labels[0]);
    gboolean ok = TRUE;
    for (guint i = 1; i < n && ok; i++)
      ok = !b->used[base + labels[i]];
    if (ok) {
      /* Skip over a crowded stretch so later searches do not rescan it. */
      if (scanned > 16 && occupied * 20 >= scanned * 19)
        b->next_check = pos;
      return base;
    }
  }
}

static void insert(Builder *b, guint32 s, ZhsegBuildWord *w, gsize lo, gsize hi, guint depth)
{
  /* The word equal to this node's prefix (if any) sorts first: already stored. */
  if (lo < hi && w[lo].n_chars == depth)
    lo++;
  if (lo >= hi) {
    b->slots[s].base = 0; /* a leaf: base 0 can never reach a child of s */
    return;
  }
  guint32 stack_labels[64];
  GArray *heap = NULL;
  guint32 *labels = stack_labels;
  guint n = 0;
  for (gsize k = lo; k < hi; k++) {
    guint32 c = w[k].chars[depth];
    if (n == 0 || labels[n - 1] != c) {
      if (n == G_N_ELEMENTS(stack_labels) && heap == NULL) {
        heap = g_array_new(FALSE, FALSE, sizeof(guint32));
        g_array_append_vals(heap, stack_labels, n);
      }
      if (heap != NULL) {
        g_array_append_val(heap, c);
        labels = (guint32 *)heap->data;
      } else {
        labels[n] = c;
      }
      n++;
    }
  }
  gint32 base = s == 0 ? 0 : find_base(b, labels, n);
  builder_reserve(b, (guint64)base + b->n_chars + 2);
  b->slots[s].base = base;
  b->max_base = MAX(b->max_base, base);
  for (guint i = 0; i < n; i++) {
    guint32 t = (guint32)base + labels[i];
    g_assert(!b->used[t]);
    b->used[t] = 1;
    b->slots[t].check = s;
    b->high = MAX(b->high, t + 1);
  }
  /* Recurse child by child; children's words are contiguous in sorted order. */
  gsize k = lo;
  for (guint i = 0; i < n; i++) {
    guint32 t = (guint32)base + labels[i];
    gsize start = k;
    while (k < hi && w[k].chars[depth] == labels[i])
      k++;
    if (w[start].n_chars == depth + 1) {
      b->slots[t].logp = w[start].logp;
      b->freqs[t] = w[start].freq;
      b->tags[t] = w[start].tag;
    }
    insert(b, t, w, start, k, depth + 1);
  }
  if (heap != NULL)
    g_array_free(heap, TRUE);
}

void zhseg_trie_build(ZhsegBuildWord *words, gsize n_words, guint32 n_chars, ZhsegTrie *out)
{
  if (n_words > 1) /* qsort must not see the NULL of an empty array */
    qsort(words, n_words, sizeof *words, compare_words);
  Builder b = {0};
  b.n_chars = n_chars;
  b.next_check = 1;
  builder_reserve(&b, (guint64)n_chars + 2);
  b.used[0] = 1;
  b.slots[0].check = ZHSEG_FREE_CHECK;
  b.high = 1;
  /* Drop empty words: they have no node. */
  gsize lo = 0;
  while (lo < n_words && words[lo].n_chars == 0)
    lo++;
  insert(&b, 0, words, lo, n_words, 0);
  /* Pad so that base + any character id stays inside the array. */
  guint32 n_slots = MAX(b.high, (guint32)b.max_base + n_chars + 1);
  builder_reserve(&b, n_slots);
  out->n_slots = n_slots;
  out->slots = g_renew(ZhsegSlot, b.slots, n_slots);
  out->freqs = g_renew(guint32, b.freqs, n_slots);
  out->tags = g_renew(guint8, b.tags, n_slots);
  g_free(b.used);
}

void zhseg_trie_clear(ZhsegTrie *trie)
{
  g_clear_pointer(&trie->slots, g_free);
  g_clear_pointer(&trie->freqs, g_free);
  g_clear_pointer(&trie->tags, g_free);
  trie->n_slots = 0;
}
