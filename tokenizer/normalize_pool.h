/* The memory a normalizer's results give back when they are freed, kept for
 * its next results.
 *
 * Why: a result holds a dozen arrays, 12-18 bytes per input byte on the
 * general path. glibc serves blocks that large with mmap and unmaps them on
 * free, so a program feeding 1 MiB chunks faulted every page of every
 * result in again: a third of bench_normalize's time went to the kernel.
 * A library must not set its host's malloc policy, so the normalizer keeps
 * its own blocks instead: the last ones its results gave back, up to a
 * bound (normalize_pool.c), reused for the next chunk.
 *
 * A pool is shared by a normalizer and its live results, which may outlive
 * the normalizer and may be freed on another thread: it is reference
 * counted, and a mutex guards what it keeps. A NULL pool is allowed
 * everywhere and means plain g_malloc and g_free. */
#ifndef ZHSEG_NORMALIZE_POOL_H
#define ZHSEG_NORMALIZE_POOL_H

#include <glib.h>

typedef struct NzPool NzPool;

NzPool *nz_pool_new(void);
NzPool *nz_pool_ref(NzPool *pool);
void nz_pool_unref(NzPool *pool);
/* The normalizer is gone: frees what the pool keeps, and keeps nothing
 * more (results freed later free their memory). */
void nz_pool_close(NzPool *pool);

/* A block of at least `size` bytes, uninitialized: a kept one when one is
 * large enough. Only nz_pool_realloc and nz_pool_give may take it back,
 * never g_free. */
gpointer nz_pool_alloc(NzPool *pool, gsize size);
/* The block, `size` bytes of it kept, now with room for at least `size`
 * bytes (never shrinks). block NULL: nz_pool_alloc. */
gpointer nz_pool_realloc(NzPool *pool, gpointer block, gsize size);
/* Takes the block back (NULL: nothing). */
void nz_pool_give(NzPool *pool, gpointer block);

/* Arrays are kept by what they hold, so each comes back to the same use
 * (with the room it grew to there). */
typedef enum {
  NZ_ARRAY_OCHARS = 1, /* a slow result's original characters (OChar) */
  NZ_ARRAY_SEGS,       /* a result's segments (NzSeg) */
  NZ_ARRAY_LINES,      /* a result's line index (guint64) */
} NzArrayKind;

/* An empty GArray of `elt_size`-byte elements (not zero-terminated, not
 * cleared): the last one of this kind given back, when there is one. */
GArray *nz_pool_take_array(NzPool *pool, NzArrayKind kind, guint elt_size);
/* Takes an array back (NULL: nothing). */
void nz_pool_give_array(NzPool *pool, NzArrayKind kind, GArray *array);

/* For the tests: blocks and arrays handed out again so far, and the bytes
 * kept now. */
void nz_pool_counts(NzPool *pool, guint64 *n_reused, gsize *kept_bytes);

#endif
