/* Traditional -> simplified conversion.
 *
 * ICU's `Traditional-Simplified` transliterator is the reference, but it is
 * slow (it runs rule matching over every character). Its rules map single
 * characters, so the table below is built once per process by running the
 * transliterator over every Han character, each on its own line, in one call;
 * test_normalize checks that table and transliterator agree on whole texts.
 * The table then costs a bitmap test per character, and only units that hold
 * traditional characters are touched.
 *
 * Running the transliterator over every Han character takes about 0.2 s, too
 * much for every `zhseg cut`: the build writes the table once to
 * share/zhseg/t2s.bin (nz_t2s_write_table), and processes map that file
 * (found by the data-file rule), building from ICU only when it is missing.
 * The file is the table's own memory image (the layout below), so loading
 * it costs a mapping and a few checks, not parsing: a text form cost more
 * instructions than all the rest of a process's start-up. */
#include "tokenizer/normalize_private.h"

#include <string.h>
#include <unicode/utf16.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static const guint32 ranges[][2] = {
  /* punctuation too: the transliterator turns 「」 into “” */
  {0x2000, 0x206F}, {0x2E80, 0x303F}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2FFFF},
};

/* The image, in guint32 words of the machine's byte order (the file is
 * written and read on the build's machine; another order fails the magic):
 *   magic, version, n_trad, n_pool,
 *   is_trad and is_simp_only bitmaps (BITMAP_WORDS each),
 *   trad[n_trad] (ascending), off[n_trad + 1], pool[n_pool]. */
#define IMAGE_MAGIC 0x5332545Au /* "ZT2S" */
#define IMAGE_VERSION 1u
#define IMAGE_HEADER 4
#define BITMAP_BYTES (0x30000 / 8)
#define BITMAP_WORDS (BITMAP_BYTES / 4)

static GError *table_error;

static gsize image_words(guint32 n_trad, guint32 n_pool)
{
  return IMAGE_HEADER + 2 * (gsize)BITMAP_WORDS + n_trad + (n_trad + 1) + (gsize)n_pool;
}

/* Points `t` into an image of `words` words; FALSE when it is not one
 * (truncated, another version or byte order, unsorted). */
static gboolean table_from_image(T2sTable *t, const guint32 *img, gsize words)
{
  if (words < IMAGE_HEADER || img[0] != IMAGE_MAGIC || img[1] != IMAGE_VERSION ||
      words != image_words(img[2], img[3]))
    return FALSE;
  t->image = img;
  t->image_words = words;
  t->n_trad = img[2];
  t->is_trad = (const guint8 *)(img + IMAGE_HEADER);
  t->is_simp_only = t->is_trad + BITMAP_BYTES;
  t->trad = img + IMAGE_HEADER + 2 * BITMAP_WORDS;
  t->off = t->trad + t->n_trad;
  t->pool = t->off + t->n_trad + 1;
  if (t->off[0] != 0 || t->off[t->n_trad] != img[3])
    return FALSE;
  for (guint32 k = 0; k < t->n_trad; k++)
    if ((k > 0 && t->trad[k] <= t->trad[k - 1]) || t->off[k + 1] < t->off[k] || !nz_bit(t->is_trad, t->trad[k]))
      return FALSE;
  return TRUE;
}

const guint32 *nz_t2s_lookup(const T2sTable *t, guint32 cp, gsize *len)
{
  guint32 lo = 0, hi = t->n_trad;
  while (lo < hi) {
    guint32 mid = lo + (hi - lo) / 2;
    if (t->trad[mid] < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == t->n_trad || t->trad[lo] != cp)
    return NULL;
  *len = t->off[lo + 1] - t->off[lo];
  return t->pool + t->off[lo];
}

/* ------------------------------------------------------------ from ICU */

typedef struct {
  guint8 is_trad[BITMAP_BYTES];
  guint8 is_simp_only[BITMAP_BYTES];
  GArray *entries; /* TradEntry */
  GArray *pool;    /* guint32 */
} Builder;

typedef struct {
  guint32 cp, off, len;
} TradEntry;

static void set_bit(guint8 *bits, guint32 cp)
{
  if (cp < 0x30000)
    bits[cp >> 3] |= 1u << (cp & 7);
}

/* Runs transliterator `id` over every character of `ranges`, each on its own
 * line, in one call, and calls `func` with each character and its result. */
typedef void (*ResultFunc)(Builder *b, guint32 cp, GArray *res);

static gboolean run_all(const char *id_ascii, Builder *t, ResultFunc func)
{
  UErrorCode status = U_ZERO_ERROR;
  UParseError pe;
  UChar id[64];
  u_uastrcpy(id, id_ascii);
  UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &status);
  char *what = g_strdup_printf("opening ICU transliterator %s", id_ascii);
  gboolean failed = zhseg_icu_failed(status, &table_error, what);
  g_free(what);
  if (failed)
    return FALSE;
  gsize count = 0;
  for (gsize r = 0; r < G_N_ELEMENTS(ranges); r++)
    count += ranges[r][1] - ranges[r][0] + 1;
  /* Each character followed by a line break; results can grow, so leave room. */
  int32_t cap = (int32_t)(count * 3 * 2 + 16);
  UChar *buf = g_new(UChar, cap);
  int32_t len = 0;
  for (gsize r = 0; r < G_N_ELEMENTS(ranges); r++)
    for (guint32 cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
      U16_APPEND_UNSAFE(buf, len, cp);
      buf[len++] = '\n';
    }
  int32_t limit = len;
  utrans_transUChars(tr, buf, &len, cap, 0, &limit, &status);
  utrans_close(tr);
  if (zhseg_icu_failed(status, &table_error, "running an ICU transliterator")) {
    g_free(buf);
    return FALSE;
  }
  int32_t k = 0;
  GArray *res = g_array_new(TRUE, FALSE, sizeof(guint32));
  for (gsize r = 0; r < G_N_ELEMENTS(ranges); r++)
    for (guint32 cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
      g_array_set_size(res, 0);
      while (k < len && buf[k] != '\n') {
        UChar32 c;
        U16_NEXT(buf, k, len, c);
        guint32 u = (guint32)c;
        g_array_append_val(res, u);
      }
      k++; /* the line break */
      if (res->len != 1 || g_array_index(res, guint32, 0) != cp)
        func(t, cp, res);
    }
  g_array_free(res, TRUE);
  g_free(buf);
  return TRUE;
}

static void add_t2s(Builder *b, guint32 cp, GArray *res)
{
  set_bit(b->is_trad, cp);
  TradEntry e = {cp, b->pool->len, res->len};
  g_array_append_val(b->entries, e);
  g_array_append_vals(b->pool, res->data, res->len);
}

/* A character that Simplified-Traditional changes is not written in
 * traditional text: evidence that a paragraph is simplified. */
static void add_s2t(Builder *b, guint32 cp, GArray *res)
{
  set_bit(b->is_simp_only, cp);
}

static int compare_entry(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const TradEntry *)a)->cp, y = ((const TradEntry *)b)->cp;
  return x < y ? -1 : x > y;
}

/* The image of the table ICU's transliterators make, in a new buffer of
 * *words words; NULL (table_error set) when ICU cannot run them. */
static guint32 *image_from_icu(gsize *words)
{
  Builder *b = g_new0(Builder, 1);
  b->entries = g_array_new(FALSE, FALSE, sizeof(TradEntry));
  b->pool = g_array_new(FALSE, FALSE, sizeof(guint32));
  guint32 *img = NULL;
  if (run_all("Traditional-Simplified", b, add_t2s) && run_all("Simplified-Traditional", b, add_s2t)) {
    g_array_sort(b->entries, compare_entry); /* `ranges` are not in code point order */
    guint32 n = b->entries->len;
    *words = image_words(n, b->pool->len);
    img = g_new(guint32, *words);
    guint32 *p = img;
    *p++ = IMAGE_MAGIC;
    *p++ = IMAGE_VERSION;
    *p++ = n;
    *p++ = b->pool->len;
    memcpy(p, b->is_trad, BITMAP_BYTES);
    memcpy(p + BITMAP_WORDS, b->is_simp_only, BITMAP_BYTES);
    p += 2 * BITMAP_WORDS;
    guint32 *trad = p, *off = p + n, *pool = off + n + 1, at = 0;
    for (guint32 k = 0; k < n; k++) {
      const TradEntry *e = &g_array_index(b->entries, TradEntry, k);
      trad[k] = e->cp;
      off[k] = at;
      memcpy(pool + at, &g_array_index(b->pool, guint32, e->off), e->len * sizeof(guint32));
      at += e->len;
    }
    off[n] = at;
  }
  g_array_free(b->entries, TRUE);
  g_array_free(b->pool, TRUE);
  g_free(b);
  return img;
}

/* The share/zhseg/t2s.bin image, mapped; NULL when missing or not one. */
static T2sTable *load(const char *path)
{
  GMappedFile *f = g_mapped_file_new(path, FALSE, NULL);
  if (f == NULL)
    return NULL;
  T2sTable *t = g_new0(T2sTable, 1);
  gsize bytes = g_mapped_file_get_length(f);
  if (bytes % 4 == 0 && table_from_image(t, (const guint32 *)g_mapped_file_get_contents(f), bytes / 4))
    return t; /* mapped for the process's life, like the table */
  g_free(t);
  g_mapped_file_unref(f);
  return NULL;
}

static T2sTable *build_from_icu(void)
{
  gsize words;
  guint32 *img = image_from_icu(&words);
  if (img == NULL)
    return NULL;
  T2sTable *t = g_new0(T2sTable, 1);
  if (!table_from_image(t, img, words))
    g_error("t2s: the image built from ICU is inconsistent");
  return t;
}

static gpointer build(gpointer unused)
{
  char *path = zhseg_find_data_file(NULL, "ZHSEG_T2S_TABLE", "t2s.bin", NULL);
  T2sTable *t = path != NULL ? load(path) : NULL;
  g_free(path);
  if (t == NULL)
    t = build_from_icu();
  return t;
}

const T2sTable *nz_t2s_table(GError **error)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build, NULL);
  if (once.retval == NULL && error != NULL)
    *error = g_error_copy(table_error);
  return once.retval;
}

gboolean nz_t2s_table_is_icus(const T2sTable *t)
{
  /* Both are images of one format: equal tables are equal words. */
  T2sTable *icu = build_from_icu();
  gboolean same = icu != NULL && icu->image_words == t->image_words &&
                  memcmp(icu->image, t->image, t->image_words * sizeof(guint32)) == 0;
  if (icu != NULL)
    g_free((gpointer)icu->image);
  g_free(icu);
  return same;
}

gboolean nz_t2s_write_table(const char *path, GError **error)
{
  gsize words;
  guint32 *img = image_from_icu(&words);
  if (img == NULL) {
    if (error != NULL)
      *error = g_error_copy(table_error);
    return FALSE;
  }
  gboolean ok = g_file_set_contents(path, (const char *)img, (gssize)(words * 4), error);
  g_free(img);
  return ok;
}

void nz_t2s_apply(const T2sTable *t, GArray *w, const GArray *unit_bounds, int mode, guint64 *n_conv)
{
  WChar *src = (WChar *)w->data;
  gsize n = w->len;
  /* Nothing to do unless a traditional character occurs. */
  gsize i = 0;
  while (i < n && !nz_bit(t->is_trad, src[i].cp))
    i++;
  if (i == n)
    return;
  /* auto: a unit is traditional when it holds more traditional-only than
   * simplified-only characters; simplified text always has many of the
   * latter (这, 们, 说), traditional text none. Decide every unit first:
   * simplified text with a stray traditional character needs no copy. */
  guint n_units = unit_bounds->len > 0 ? unit_bounds->len - 1 : 0;
  guint8 *convert = g_new(guint8, n_units + 1);
  gboolean any = FALSE;
  for (guint u = 0; u < n_units; u++) {
    gsize b = g_array_index(unit_bounds, gsize, u), e = g_array_index(unit_bounds, gsize, u + 1);
    convert[u] = TRUE;
    if (mode == 2) {
      gsize trad = 0, simp = 0;
      for (gsize k = b; k < e; k++) {
        trad += nz_bit(t->is_trad, src[k].cp);
        simp += nz_bit(t->is_simp_only, src[k].cp);
      }
      convert[u] = trad > 0 && trad > simp;
    }
    any |= convert[u];
  }
  if (!any) {
    g_free(convert);
    return;
  }
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(WChar), n + 16);
  for (guint u = 0; u < n_units; u++) {
    gsize b = g_array_index(unit_bounds, gsize, u), e = g_array_index(unit_bounds, gsize, u + 1);
    if (!convert[u]) {
      g_array_append_vals(out, src + b, (guint)(e - b));
      continue;
    }
    for (gsize k = b; k < e; k++) {
      const guint32 *r;
      gsize rl;
      if (nz_bit(t->is_trad, src[k].cp) && (r = nz_t2s_lookup(t, src[k].cp, &rl)) != NULL) {
        (*n_conv)++;
        for (gsize j = 0; j < rl; j++) {
          WChar c = {r[j], src[k].oc, src[k].oce};
          g_array_append_val(out, c);
        }
      } else {
        g_array_append_val(out, src[k]);
      }
    }
  }
  g_free(convert);
  g_array_set_size(w, 0);
  g_array_append_vals(w, out->data, out->len);
  g_array_free(out, TRUE);
}
