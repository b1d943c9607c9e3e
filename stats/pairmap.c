/* An open-addressing hash map from a pair key to a count, for the
 * co-occurrence tables (no allocation per entry, unlike a GHashTable). */
#include "stats/private.h"

static inline gsize pair_hash(guint64 x)
{
  /* splitmix64's finaliser: all 64 bits matter (g_int64_hash would fold the
   * key to a ^ b, which collides for many pairs) */
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT(0x94d049bb133111eb);
  x ^= x >> 31;
  return (gsize)x;
}

ZhsegPairMap *zhseg_pair_map_new(void)
{
  ZhsegPairMap *m = g_new0(ZhsegPairMap, 1);
  m->cap = 64;
  m->keys = g_new(guint64, m->cap);
  m->counts = g_new0(guint64, m->cap);
  return m;
}

void zhseg_pair_map_free(ZhsegPairMap *m)
{
  if (m == NULL)
    return;
  g_free(m->keys);
  g_free(m->counts);
  g_free(m);
}

static void grow(ZhsegPairMap *m)
{
  gsize old_cap = m->cap;
  guint64 *old_keys = m->keys, *old_counts = m->counts;
  m->cap *= 2;
  m->keys = g_new(guint64, m->cap);
  m->counts = g_new0(guint64, m->cap);
  gsize mask = m->cap - 1;
  for (gsize i = 0; i < old_cap; i++) {
    if (old_counts[i] == 0)
      continue;
    gsize j = pair_hash(old_keys[i]) & mask;
    while (m->counts[j] != 0)
      j = (j + 1) & mask;
    m->keys[j] = old_keys[i];
    m->counts[j] = old_counts[i];
  }
  g_free(old_keys);
  g_free(old_counts);
}

void zhseg_pair_map_add(ZhsegPairMap *m, guint64 key, guint64 count)
{
  if (count == 0)
    return;
  if ((m->len + 1) * 4 > m->cap * 3) /* load factor 3/4 */
    grow(m);
  gsize mask = m->cap - 1, j = pair_hash(key) & mask;
  while (m->counts[j] != 0) {
    if (m->keys[j] == key) {
      m->counts[j] += count;
      return;
    }
    j = (j + 1) & mask;
  }
  m->keys[j] = key;
  m->counts[j] = count;
  m->len++;
}
