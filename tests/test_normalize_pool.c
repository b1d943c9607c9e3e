/* The normalizer's pool (tokenizer/normalize_pool.h): which blocks it hands
 * out again, that results stay whole while their memory is recycled, and
 * that results may outlive their normalizer or be freed on another thread
 * (run under ASan, these are what would fail). */
#include "testutil.h"
#include "tokenizer/normalize_map.h"
#include "tokenizer/normalize_private.h"

#include <string.h>

#define KiB ((gsize)1024)

static guint64 reused(NzPool *pool)
{
  guint64 n;
  gsize kept;
  nz_pool_counts(pool, &n, &kept);
  return n;
}

static void test_pool_blocks(void)
{
  NzPool *pool = nz_pool_new();
  char *a = nz_pool_alloc(pool, 200 * KiB);
  memset(a, 'a', 200 * KiB);
  nz_pool_give(pool, a);
  /* A little smaller: the same block. */
  char *b = nz_pool_alloc(pool, 190 * KiB);
  g_assert_true(b == a);
  g_assert_cmpuint(reused(pool), ==, 1);
  /* Grown past its room: a new block holding the old bytes. */
  b = nz_pool_realloc(pool, b, 300 * KiB);
  g_assert_cmpint(b[0], ==, 'a');
  g_assert_cmpint(b[190 * KiB - 1], ==, 'a');
  /* ... and the old one, given back by realloc, serves the next request. */
  char *c = nz_pool_alloc(pool, 150 * KiB);
  g_assert_true(c == a);
  g_assert_cmpuint(reused(pool), ==, 2);
  nz_pool_give(pool, c);
  /* Larger than any kept block: new. */
  char *big = nz_pool_alloc(pool, 1024 * KiB);
  g_assert_true(big != a);
  nz_pool_give(pool, big);
  /* A small block comes from malloc, whatever is kept. */
  char *small = nz_pool_alloc(pool, 4 * KiB);
  g_assert_true(small != a && small != big);
  g_assert_cmpuint(reused(pool), ==, 2);
  nz_pool_give(pool, small);
  /* 120 KiB: not the 1 MiB block, more than four times too large (a small
   * result must not hold a large block), but the 200 KiB one. */
  char *d = nz_pool_alloc(pool, 120 * KiB);
  g_assert_true(d == a);
  nz_pool_give(pool, d);
  nz_pool_give(pool, b);
  /* Closed, it keeps nothing (ASan's leak check sees the blocks freed). */
  nz_pool_close(pool);
  guint64 n;
  gsize kept;
  nz_pool_counts(pool, &n, &kept);
  g_assert_cmpuint(kept, ==, 0);
  char *e = nz_pool_alloc(pool, 200 * KiB);
  nz_pool_give(pool, e);
  nz_pool_counts(pool, &n, &kept);
  g_assert_cmpuint(kept, ==, 0);
  g_assert_cmpuint(n, ==, 3);
  nz_pool_unref(pool);
  /* Without a pool: plain blocks. */
  char *f = nz_pool_realloc(NULL, NULL, 10);
  strcpy(f, "123456789");
  f = nz_pool_realloc(NULL, f, 100 * KiB);
  g_assert_cmpstr(f, ==, "123456789");
  nz_pool_give(NULL, f);
}

static void test_pool_bound(void)
{
  NzPool *pool = nz_pool_new();
  /* 100 blocks of 1 MiB given back: the pool keeps at most 64 MiB. */
  char *blocks[100];
  for (guint i = 0; i < G_N_ELEMENTS(blocks); i++)
    blocks[i] = nz_pool_alloc(pool, 1024 * KiB);
  for (guint i = 0; i < G_N_ELEMENTS(blocks); i++)
    nz_pool_give(pool, blocks[i]);
  guint64 n;
  gsize kept;
  nz_pool_counts(pool, &n, &kept);
  g_assert_cmpuint(kept, <=, 64 * 1024 * KiB);
  g_assert_cmpuint(kept, >=, 32 * 1024 * KiB);
  /* A block over the bound is never kept. */
  char *huge = nz_pool_alloc(pool, 100 * 1024 * KiB);
  gsize before = kept;
  nz_pool_give(pool, huge);
  nz_pool_counts(pool, &n, &kept);
  g_assert_cmpuint(kept, ==, before);
  nz_pool_unref(pool); /* frees what it keeps */
}

static void test_pool_arrays(void)
{
  NzPool *pool = nz_pool_new();
  GArray *o = nz_pool_take_array(pool, NZ_ARRAY_OCHARS, sizeof(OChar));
  g_array_set_size(o, 100000);
  GArray *l = nz_pool_take_array(pool, NZ_ARRAY_LINES, sizeof(guint64));
  g_array_set_size(l, 20000);
  nz_pool_give_array(pool, NZ_ARRAY_OCHARS, o);
  nz_pool_give_array(pool, NZ_ARRAY_LINES, l);
  /* Same element size, each back to its own use, empty. */
  GArray *o2 = nz_pool_take_array(pool, NZ_ARRAY_OCHARS, sizeof(OChar));
  GArray *l2 = nz_pool_take_array(pool, NZ_ARRAY_LINES, sizeof(guint64));
  g_assert_true(o2 == o);
  g_assert_true(l2 == l);
  g_assert_cmpuint(o2->len, ==, 0);
  g_assert_cmpuint(l2->len, ==, 0);
  /* None of a kind left: a new one. */
  GArray *s = nz_pool_take_array(pool, NZ_ARRAY_SEGS, sizeof(NzSeg));
  g_assert_true(s != o && s != l);
  g_array_free(s, TRUE);
  nz_pool_give_array(pool, NZ_ARRAY_OCHARS, o2);
  nz_pool_give_array(pool, NZ_ARRAY_LINES, l2);
  nz_pool_unref(pool);
}

/* The sample bulletins (examples/bulletins/\*.txt), repeated to about
 * `target` bytes. */
static GString *bulletins_text(gsize target)
{
  g_autofree char *dir = test_source_path("examples/bulletins");
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  GString *s = g_string_new(NULL);
  GString *once = g_string_new(NULL);
  for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
    if (!g_str_has_suffix(name, ".txt"))
      continue;
    g_autofree char *rel = g_build_filename("examples/bulletins", name, NULL);
    gsize len;
    g_autofree char *t = test_read_source(rel, &len);
    g_string_append_len(once, t, len);
  }
  g_dir_close(d);
  g_assert_cmpuint(once->len, >, 10000);
  while (s->len < target)
    g_string_append_len(s, once->str, once->len);
  g_string_free(once, TRUE);
  return s;
}

/* Feeds `bytes` in chunks of about `window` bytes to two normalizers: one
 * frees each result before the next feed, so its results are built in
 * recycled memory; the other keeps every result until the end, so its
 * results never are. Every chunk's text and map must agree. Returns how
 * often the first normalizer's pool handed memory out again. */
static guint64 compare_recycled(const char *bytes, gsize len, gsize window, ZhsegT2sMode t2s)
{
  g_autoptr(ZhsegNormalizer) rec = zhseg_normalizer_new();
  g_autoptr(ZhsegNormalizer) keep = zhseg_normalizer_new();
  zhseg_normalizer_set_t2s(rec, t2s);
  zhseg_normalizer_set_t2s(keep, t2s);
  const char *enc = zhseg_normalizer_detect(rec, bytes, len);
  zhseg_normalizer_detect(keep, bytes, len);
  GPtrArray *kept = g_ptr_array_new_with_free_func((GDestroyNotify)zhseg_normalized_free);
  gsize pos = 0;
  while (pos < len) {
    gsize avail = MIN(window, len - pos);
    gsize take = avail == len - pos ? avail : zhseg_normalizer_safe_split(bytes + pos, avail, enc, TRUE);
    GError *error = NULL;
    ZhsegNormalized *a = zhseg_normalizer_feed(rec, bytes + pos, take, &error);
    g_assert_no_error(error);
    ZhsegNormalized *b = zhseg_normalizer_feed(keep, bytes + pos, take, &error);
    g_assert_no_error(error);
    g_ptr_array_add(kept, b);
    gsize la, lb;
    const char *ta = zhseg_normalized_text(a, &la);
    const char *tb = zhseg_normalized_text(b, &lb);
    g_assert_cmpuint(la, ==, lb);
    g_assert_true(memcmp(ta, tb, la) == 0);
    g_assert_cmpint(ta[la], ==, '\0');
    for (gsize k = 0; k < la; k = (gsize)(g_utf8_next_char(ta + k) - ta)) {
      g_assert_cmpuint(zhseg_normalized_orig_offset(a, k), ==, zhseg_normalized_orig_offset(b, k));
      g_assert_cmpuint(zhseg_normalized_orig_char(a, k), ==, zhseg_normalized_orig_char(b, k));
      guint64 l1, c1, l2, c2;
      zhseg_normalized_orig_line_col(a, k, &l1, &c1);
      zhseg_normalized_orig_line_col(b, k, &l2, &c2);
      g_assert_cmpuint(l1, ==, l2);
      g_assert_cmpuint(c1, ==, c2);
    }
    zhseg_normalized_free(a);
    pos += take;
  }
  g_ptr_array_free(kept, TRUE);
  return reused(nz_normalizer_pool(rec));
}

static void test_pool_results(void)
{
  g_autoptr(GString) text = bulletins_text(3 * 1024 * KiB);
  /* UTF-8 as extracted (pieces: copies, replacements, slow units). */
  g_assert_cmpuint(compare_recycled(text->str, text->len, 256 * KiB, ZHSEG_T2S_OFF), >, 0);
  /* GB18030 (the general path, the largest arrays). */
  gsize gl;
  g_autofree char *gbk = test_encode(text->str, text->len, "GB18030", &gl);
  g_assert_cmpuint(compare_recycled(gbk, gl, 256 * KiB, ZHSEG_T2S_OFF), >, 0);
  /* Traditional characters, converted. */
  gsize tl;
  g_autofree char *trad = test_read_source("tests/fixtures/002_traditional.txt", &tl);
  g_autoptr(GString) trads = g_string_new(NULL);
  while (trads->len < 1024 * KiB)
    g_string_append_len(trads, trad, tl);
  g_assert_cmpuint(compare_recycled(trads->str, trads->len, 128 * KiB, ZHSEG_T2S_AUTO), >, 0);
  /* The clean fast path: the normalized text fed again. */
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  g_autoptr(ZhsegNormalized) clean = zhseg_normalizer_run(n, text->str, text->len, NULL);
  gsize cl;
  const char *ct = zhseg_normalized_text(clean, &cl);
  g_assert_cmpuint(compare_recycled(ct, cl, 256 * KiB, ZHSEG_T2S_OFF), >, 0);
}

static gpointer free_results(gpointer queue)
{
  ZhsegNormalized *r;
  while ((r = g_async_queue_pop(queue)) != GINT_TO_POINTER(1))
    zhseg_normalized_free(r);
  return NULL;
}

/* Results freed on another thread while the normalizer goes on, and
 * results freed after the normalizer: their memory goes back to a pool
 * shared by both, or is freed once the normalizer is gone. */
static void test_pool_lifetimes(void)
{
  g_autoptr(GString) text = bulletins_text(2 * 1024 * KiB);
  gsize gl;
  g_autofree char *gbk = test_encode(text->str, text->len, "GB18030", &gl);
  ZhsegNormalizer *n = zhseg_normalizer_new();
  GAsyncQueue *queue = g_async_queue_new();
  GThread *th = g_thread_new("free-results", free_results, queue);
  const char *enc = zhseg_normalizer_detect(n, gbk, gl);
  GPtrArray *late = g_ptr_array_new();
  GPtrArray *late_text = g_ptr_array_new_with_free_func(g_free);
  gsize pos = 0;
  for (guint i = 0; pos < gl; i++) {
    gsize avail = MIN(128 * KiB, gl - pos);
    gsize take = avail == gl - pos ? avail : zhseg_normalizer_safe_split(gbk + pos, avail, enc, TRUE);
    ZhsegNormalized *r = zhseg_normalizer_feed(n, gbk + pos, take, NULL);
    g_assert_nonnull(r);
    if (i % 3 == 2) { /* kept past the normalizer's end, with a copy of its text */
      g_ptr_array_add(late, r);
      g_ptr_array_add(late_text, g_strdup(zhseg_normalized_text(r, NULL)));
    } else {
      g_async_queue_push(queue, r);
    }
    pos += take;
  }
  g_async_queue_push(queue, GINT_TO_POINTER(1));
  g_thread_join(th);
  g_async_queue_unref(queue);
  g_assert_cmpuint(reused(nz_normalizer_pool(n)), >, 0);
  zhseg_normalizer_free(n);
  g_assert_cmpuint(late->len, >, 2);
  for (guint i = 0; i < late->len; i++) {
    ZhsegNormalized *r = late->pdata[i];
    g_assert_cmpstr(zhseg_normalized_text(r, NULL), ==, late_text->pdata[i]);
    guint64 line, col;
    zhseg_normalized_orig_line_col(r, 0, &line, &col);
    g_assert_cmpuint(line, >=, 1);
    zhseg_normalized_free(r);
  }
  g_ptr_array_free(late, TRUE);
  g_ptr_array_free(late_text, TRUE);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/normalize/pool/blocks", test_pool_blocks);
  g_test_add_func("/normalize/pool/bound", test_pool_bound);
  g_test_add_func("/normalize/pool/arrays", test_pool_arrays);
  g_test_add_func("/normalize/pool/results", test_pool_results);
  g_test_add_func("/normalize/pool/lifetimes", test_pool_lifetimes);
  return g_test_run();
}
