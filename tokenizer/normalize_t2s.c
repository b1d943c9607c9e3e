/* Traditional -> simplified conversion.
 *
 * ICU's `Traditional-Simplified` transliterator is the reference, but it is
 * slow (it runs rule matching over every character). Its rules map single
 * characters, so the table below is built once per process by running the
 * transliterator over every Han character, each on its own line, in one call;
 * test_normalize checks that table and transliterator agree on whole texts.
 * The table then costs a bitmap test per character, and only units that hold
 * traditional characters are touched. */
#include "tokenizer/normalize_private.h"

#include <string.h>
#include <unicode/utf16.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static const guint32 ranges[][2] = {
  /* punctuation too: the transliterator turns 「」 into “” */
  {0x2000, 0x206F}, {0x2E80, 0x303F}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2FFFF},
};

static T2sTable *table;
static GError *table_error;

static void set_bit(guint8 *bits, guint32 cp)
{
  if (cp < 0x30000)
    bits[cp >> 3] |= 1u << (cp & 7);
}

/* Runs transliterator `id` over every character of `ranges`, each on its own
 * line, in one call, and calls `func` with each character and its result. */
typedef void (*ResultFunc)(T2sTable *t, guint32 cp, GArray *res);

static gboolean run_all(const char *id_ascii, T2sTable *t, ResultFunc func)
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

static void add_t2s(T2sTable *t, guint32 cp, GArray *res)
{
  set_bit(t->is_trad, cp);
  guint32 *copy = g_new0(guint32, res->len + 1);
  memcpy(copy, res->data, res->len * sizeof(guint32));
  g_hash_table_insert(t->map, GUINT_TO_POINTER(cp), copy);
}

/* A character that Simplified-Traditional changes is not written in
 * traditional text: evidence that a paragraph is simplified. */
static void add_s2t(T2sTable *t, guint32 cp, GArray *res)
{
  set_bit(t->is_simp_only, cp);
}

static gpointer build(gpointer unused)
{
  T2sTable *t = g_new0(T2sTable, 1);
  t->is_trad = g_new0(guint8, 0x30000 / 8);
  t->is_simp_only = g_new0(guint8, 0x30000 / 8);
  t->map = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  if (!run_all("Traditional-Simplified", t, add_t2s) || !run_all("Simplified-Traditional", t, add_s2t)) {
    g_hash_table_destroy(t->map);
    g_free(t->is_trad);
    g_free(t->is_simp_only);
    g_free(t);
    return NULL;
  }
  table = t;
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
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(WChar), n + 16);
  for (guint u = 0; u + 1 < unit_bounds->len; u++) {
    gsize b = g_array_index(unit_bounds, gsize, u), e = g_array_index(unit_bounds, gsize, u + 1);
    gboolean convert = TRUE;
    if (mode == 2) {
      /* auto: a unit is traditional when it holds more traditional-only than
       * simplified-only characters; simplified text always has many of the
       * latter (这, 们, 说), traditional text none. */
      gsize trad = 0, simp = 0;
      for (gsize i = b; i < e; i++) {
        trad += nz_bit(t->is_trad, src[i].cp);
        simp += nz_bit(t->is_simp_only, src[i].cp);
      }
      convert = trad > 0 && trad > simp;
    }
    for (gsize i = b; i < e; i++) {
      const guint32 *s;
      if (convert && nz_bit(t->is_trad, src[i].cp) &&
          (s = g_hash_table_lookup(t->map, GUINT_TO_POINTER(src[i].cp))) != NULL) {
        (*n_conv)++;
        for (; *s != 0; s++) {
          WChar c = {*s, src[i].oc, src[i].oce};
          g_array_append_val(out, c);
        }
      } else {
        g_array_append_val(out, src[i]);
      }
    }
  }
  g_array_set_size(w, 0);
  g_array_append_vals(w, out->data, out->len);
  g_array_free(out, TRUE);
}
