/* Artifact repair: PDF fake bold prints a caption two or three times
 * (`社区中老年人在表演太极扇社区中老年人在表演太极扇。。`).
 *
 * Finding squares (a run immediately repeated) naively is quadratic. Here a
 * hash of each 4-character gram remembers where it was last seen; only when it
 * was seen 4..64 characters back is that distance tried as a period, and a
 * found repetition is skipped as a whole. Each position costs O(1) hashing
 * plus at most one comparison of <= 64 characters: linear in the line. Runs
 * whose own period is shorter than 4 (`哈哈哈哈`, `一个一个`) and runs copied
 * four times or more are deliberate text and stay. */
#include "tokenizer/normalize_private.h"

#define MIN_RUN 4
#define MAX_RUN 64
#define TABLE_BITS 12

static inline guint32 gram_hash(const guint32 *c, gsize stride)
{
  guint32 h = (c[0] * 31u + c[stride]) * 31u + c[2 * stride];
  h = (h * 31u + c[3 * stride]) * 0x9E3779B1u;
  return h >> (32 - TABLE_BITS);
}

static inline gboolean equal_run(const guint32 *cps, gsize stride, gsize a, gsize b, gsize len)
{
  for (gsize k = 0; k < len; k++)
    if (cps[(a + k) * stride] != cps[(b + k) * stride])
      return FALSE;
  return TRUE;
}

static gboolean worth_dedup(const guint32 *cps, gsize stride, gsize p, gsize len)
{
  for (gsize q = 1; q < MIN_RUN; q++) {
    if (len % q != 0)
      continue;
    if (equal_run(cps, stride, p, p + q, len - q))
      return FALSE; /* period q < 4: 哈哈哈哈, 一个一个 */
  }
  for (gsize k = 0; k < len; k++)
    if (nz_is_han(cps[(p + k) * stride]))
      return TRUE;
  return FALSE;
}

/* The search, inlined with a constant stride: 1 for the fast path's plain
 * code points, 3 for the slow path's WChar array. */
static G_ALWAYS_INLINE inline gboolean find_impl(const guint32 *cps, gsize n, const gsize stride, gsize from,
                                                 guint32 *table, gsize *start, gsize *period, guint *copies)
{
  for (gsize j = from; j + MIN_RUN <= n; j++) {
    guint32 h = gram_hash(cps + j * stride, stride);
    guint32 prev = table[h];
    table[h] = (guint32)j + 1;
    if (prev == 0)
      continue;
    gsize p = prev - 1;
    /* Stale entries from earlier lines or chunks are out of range. */
    if (p < from || p >= j || j - p < MIN_RUN || j - p > MAX_RUN)
      continue;
    gsize len = j - p;
    if (j + len > n || !equal_run(cps, stride, p, j, len))
      continue;
    guint c = 2;
    while (p + (c + 1) * len <= n && equal_run(cps, stride, p, p + c * len, len)) {
      c++;
      if (c > 3)
        break;
    }
    if (c <= 3 && worth_dedup(cps, stride, p, len)) {
      *start = p;
      *period = len;
      *copies = c;
      return TRUE;
    }
    if (c > 3) {
      /* Skip the whole deliberate repetition so it is compared once. */
      gsize end = p + c * len;
      while (end + len <= n && equal_run(cps, stride, p, end, len))
        end += len;
      j = end - 1;
    }
  }
  return FALSE;
}

gboolean nz_dedup_find(const guint32 *cps, gsize n, gsize stride, gsize from, guint32 *table,
                       gsize *start, gsize *period, guint *copies)
{
  if (stride == 1)
    return find_impl(cps, n, 1, from, table, start, period, copies);
  g_return_val_if_fail(stride == sizeof(WChar) / sizeof(guint32), FALSE);
  return find_impl(cps, n, sizeof(WChar) / sizeof(guint32), from, table, start, period, copies);
}

gboolean nz_is_doubled_punct(guint32 a, guint32 b)
{
  if (a != b)
    return FALSE;
  switch (a) {
  case 0x3002: case 0xFF0C: case 0x3001: case 0xFF1B: case 0xFF1A:
    return TRUE;
  default:
    return FALSE;
  }
}

static void flag_dup(OChar *o, const WChar *c)
{
  for (guint32 k = c->oc; k < c->oce; k++)
    o[k].cp |= OCHAR_DUP;
}

gsize nz_dedup(WChar *w, gsize n, OChar *o, guint32 *table, guint64 *n_runs, guint64 *n_punct)
{
  const gsize stride = sizeof(WChar) / sizeof(guint32);
  gsize out = 0;
  gsize line = 0;
  while (line < n) {
    gsize end = line;
    while (end < n && w[end].cp != '\n')
      end++;
    /* Repeated runs within [line, end). */
    gsize cur = line, s, len;
    guint copies;
    while (nz_dedup_find(&w[0].cp, end, stride, cur, table, &s, &len, &copies)) {
      for (gsize i = cur; i < s + len; i++)
        w[out++] = w[i];
      for (gsize i = s + len; i < s + copies * len; i++)
        flag_dup(o, &w[i]);
      cur = s + copies * len;
      (*n_runs)++;
    }
    for (gsize i = cur; i < end; i++)
      w[out++] = w[i];
    if (end < n)
      w[out++] = w[end];
    line = end + 1;
  }
  /* Doubled sentence marks (`。。`); a run of four or more is left alone. */
  gsize m = 0;
  for (gsize i = 0; i < out;) {
    gsize r = i + 1;
    while (r < out && nz_is_doubled_punct(w[i].cp, w[r].cp))
      r++;
    w[m++] = w[i];
    if (r - i >= 2 && r - i <= 3) {
      for (gsize k = i + 1; k < r; k++)
        flag_dup(o, &w[k]);
      (*n_punct)++;
    } else {
      for (gsize k = i + 1; k < r; k++)
        w[m++] = w[k];
    }
    i = r;
  }
  return m;
}
