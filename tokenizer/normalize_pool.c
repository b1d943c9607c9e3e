/* The normalizer's kept memory (see normalize_pool.h). */
#include "tokenizer/normalize_pool.h"

#include <string.h>

/* What a pool keeps in all: a few chunks' results (the zhseg program feeds
 * 256 KiB chunks, ~4 MB of arrays each on the general path; a 1 MiB chunk
 * of GB18030 takes ~16 MB). */
#define POOL_MAX_BYTES ((gsize)64 << 20)
/* Smaller blocks go back to malloc, which keeps them cheaply itself (glibc
 * maps only blocks of 128 KiB and more). */
#define POOL_MIN_BYTES ((gsize)64 << 10)
/* A kept block serves a request of at least a quarter of its size, so a
 * small result does not hold a large block. */
#define POOL_MAX_SLACK 4
#define POOL_MAX_ENTRIES 64
/* Large blocks are made a little larger than asked, in whole 64 KiB, so
 * the next chunk's, a few bytes longer, still fits. */
#define POOL_ROUND ((gsize)64 << 10)

static gsize rounded_size(gsize size)
{
  if (size < POOL_MIN_BYTES || size > G_MAXSIZE / 2)
    return size;
  gsize more = size + size / 16 + POOL_ROUND - 1;
  return more - more % POOL_ROUND;
}

/* May a kept entry of `bytes` serve a request of `want`? Not when it is
 * more than POOL_MAX_SLACK times larger, counting a request under
 * POOL_MIN_BYTES as that large (requests from 16 KiB on look here). */
static gboolean fits(gsize bytes, gsize want)
{
  return bytes >= want && bytes / POOL_MAX_SLACK <= MAX(want, POOL_MIN_BYTES);
}

/* Every block carries its size in front, so giving it back needs no size;
 * 16 bytes keep malloc's alignment. */
typedef struct {
  gsize size;
  gsize reserved;
} BlockHeader;
G_STATIC_ASSERT(sizeof(BlockHeader) == 16);

typedef struct {
  gpointer ptr;   /* BlockHeader * or GArray * */
  gsize bytes;    /* the block's size, or an array's length in bytes when given (its room is at least that) */
  guint kind;     /* 0 for a block, else the array's NzArrayKind */
} Entry;

struct NzPool {
  gatomicrefcount ref;
  GMutex lock;
  gboolean closed;
  gsize kept_bytes;
  guint64 n_reused; /* blocks and arrays handed out again */
  Entry kept[POOL_MAX_ENTRIES]; /* oldest first */
  guint n_kept;
};

NzPool *nz_pool_new(void)
{
  NzPool *pool = g_new0(NzPool, 1);
  g_atomic_ref_count_init(&pool->ref);
  g_mutex_init(&pool->lock);
  return pool;
}

NzPool *nz_pool_ref(NzPool *pool)
{
  if (pool != NULL)
    g_atomic_ref_count_inc(&pool->ref);
  return pool;
}

static void entry_free(Entry *e)
{
  if (e->kind == 0)
    g_free(e->ptr);
  else
    g_array_free(e->ptr, TRUE);
}

/* Drops the kept entry k (the lock held). */
static Entry take_entry(NzPool *pool, guint k)
{
  Entry e = pool->kept[k];
  pool->kept_bytes -= e.bytes;
  memmove(pool->kept + k, pool->kept + k + 1, (pool->n_kept - k - 1) * sizeof(Entry));
  pool->n_kept--;
  return e;
}

static void drop_all(NzPool *pool)
{
  while (pool->n_kept > 0) {
    Entry e = take_entry(pool, pool->n_kept - 1);
    entry_free(&e);
  }
}

void nz_pool_unref(NzPool *pool)
{
  if (pool == NULL || !g_atomic_ref_count_dec(&pool->ref))
    return;
  drop_all(pool);
  g_mutex_clear(&pool->lock);
  g_free(pool);
}

void nz_pool_close(NzPool *pool)
{
  if (pool == NULL)
    return;
  g_mutex_lock(&pool->lock);
  pool->closed = TRUE;
  drop_all(pool);
  g_mutex_unlock(&pool->lock);
}

/* Keeps e, making room by freeing the oldest entries; or frees it. */
static void keep(NzPool *pool, Entry e)
{
  if (pool == NULL || e.bytes < POOL_MIN_BYTES || e.bytes > POOL_MAX_BYTES) {
    entry_free(&e);
    return;
  }
  g_mutex_lock(&pool->lock);
  if (pool->closed) {
    g_mutex_unlock(&pool->lock);
    entry_free(&e);
    return;
  }
  /* Freed outside the lock, since free may take a while. */
  Entry evicted[POOL_MAX_ENTRIES];
  guint n_evicted = 0;
  while (pool->n_kept > 0 && (pool->n_kept == POOL_MAX_ENTRIES || pool->kept_bytes + e.bytes > POOL_MAX_BYTES))
    evicted[n_evicted++] = take_entry(pool, 0);
  pool->kept[pool->n_kept++] = e;
  pool->kept_bytes += e.bytes;
  g_mutex_unlock(&pool->lock);
  for (guint k = 0; k < n_evicted; k++)
    entry_free(&evicted[k]);
}

gpointer nz_pool_alloc(NzPool *pool, gsize size)
{
  if (pool != NULL && size >= POOL_MIN_BYTES / POOL_MAX_SLACK) {
    g_mutex_lock(&pool->lock);
    guint best = G_MAXUINT;
    for (guint k = 0; k < pool->n_kept; k++) {
      const Entry *e = &pool->kept[k];
      if (e->kind == 0 && fits(e->bytes, size) && (best == G_MAXUINT || e->bytes < pool->kept[best].bytes))
        best = k;
    }
    BlockHeader *h = best != G_MAXUINT ? take_entry(pool, best).ptr : NULL;
    pool->n_reused += h != NULL;
    g_mutex_unlock(&pool->lock);
    if (h != NULL)
      return h + 1;
  }
  size = rounded_size(size);
  g_assert(size <= G_MAXSIZE - sizeof(BlockHeader));
  BlockHeader *h = g_malloc(sizeof(BlockHeader) + size);
  h->size = size;
  h->reserved = 0;
  return h + 1;
}

gpointer nz_pool_realloc(NzPool *pool, gpointer block, gsize size)
{
  if (block == NULL)
    return nz_pool_alloc(pool, size);
  BlockHeader *h = (BlockHeader *)block - 1;
  if (h->size >= size)
    return block;
  gpointer grown = nz_pool_alloc(pool, size);
  memcpy(grown, block, h->size);
  nz_pool_give(pool, block);
  return grown;
}

void nz_pool_give(NzPool *pool, gpointer block)
{
  if (block == NULL)
    return;
  BlockHeader *h = (BlockHeader *)block - 1;
  keep(pool, (Entry){h, h->size, 0});
}

GArray *nz_pool_take_array(NzPool *pool, NzArrayKind kind, guint elt_size)
{
  g_assert(kind != 0);
  if (pool != NULL) {
    GArray *a = NULL;
    g_mutex_lock(&pool->lock);
    for (guint k = pool->n_kept; k-- > 0;)
      if (pool->kept[k].kind == kind) {
        a = take_entry(pool, k).ptr;
        pool->n_reused++;
        break;
      }
    g_mutex_unlock(&pool->lock);
    if (a != NULL) {
      g_assert(g_array_get_element_size(a) == elt_size);
      return a;
    }
  }
  return g_array_new(FALSE, FALSE, elt_size);
}

void nz_pool_give_array(NzPool *pool, NzArrayKind kind, GArray *array)
{
  if (array == NULL)
    return;
  gsize bytes = (gsize)array->len * g_array_get_element_size(array);
  /* Emptied here, so a kept array is ready; its room stays. */
  g_array_set_size(array, 0);
  keep(pool, (Entry){array, bytes, kind});
}

void nz_pool_counts(NzPool *pool, guint64 *n_reused, gsize *kept_bytes)
{
  if (pool == NULL) {
    *n_reused = 0;
    *kept_bytes = 0;
    return;
  }
  g_mutex_lock(&pool->lock);
  *n_reused = pool->n_reused;
  *kept_bytes = pool->kept_bytes;
  g_mutex_unlock(&pool->lock);
}
