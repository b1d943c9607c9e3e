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
#include <unicode/utrans.h>

static const guint32 ranges[][2] = {
  {0x2E80, 0x2FDF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2FFFF},
};

static T2sTable *table;
static GError *table_error;

static void set_bit(guint8 *bits, guint32 cp)
{
  if (cp < 0x30000)
    bits[cp >> 3] |= 1u << (cp & 7);
}

static gpointer build(gpointer unused)
{
  UErrorCode status = U_ZERO_ERROR;
  UParseError pe;
  static const UChar id[] = {'T', 'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', '-', 'S', 'i', 'm',
                             'p', 'l', 'i', 'f', 'i', 'e', 'd', 0};
  UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &status);
  if (zhseg_icu_failed(status, &table_error, "opening ICU transliterator Traditional-Simplified"))
    return NULL;
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
  if (zhseg_icu_failed(status, &table_error, "running ICU transliterator Traditional-Simplified")) {
    g_free(buf);
    return NULL;
  }
  T2sTable *t = g_new0(T2sTable, 1);
  t->is_trad = g_new0(guint8, 0x30000 / 8);
  t->is_simp_only = g_new0(guint8, 0x30000 / 8);
  t->map = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  GArray *targets = g_array_new(FALSE, FALSE, sizeof(guint32));
  int32_t k = 0;
  for (gsize r = 0; r < G_N_ELEMENTS(ranges); r++)
    for (guint32 cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
      GArray *res = g_array_new(TRUE, FALSE, sizeof(guint32));
      while (k < len && buf[k] != '\n') {
        UChar32 c;
        U16_NEXT(buf, k, len, c);
        guint32 u = (guint32)c;
        g_array_append_val(res, u);
      }
      k++; /* the line break */
      if (res->len != 1 || g_array_index(res, guint32, 0) != cp) {
        set_bit(t->is_trad, cp);
        for (guint i = 0; i < res->len; i++)
          g_array_append_val(targets, g_array_index(res, guint32, i));
        g_hash_table_insert(t->map, GUINT_TO_POINTER(cp), g_array_free(res, FALSE));
      } else {
        g_array_free(res, TRUE);
      }
    }
  for (guint i = 0; i < targets->len; i++) {
    guint32 cp = g_array_index(targets, guint32, i);
    if (!nz_bit(t->is_trad, cp))
      set_bit(t->is_simp_only, cp);
  }
  g_array_free(targets, TRUE);
  g_free(buf);
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
  gsize first = n;
  /* Nothing to do unless a traditional character occurs. */
  for (gsize i = 0; i < n; i++)
    if (nz_bit(t->is_trad, src[i].cp)) {
      first = i;
      break;
    }
  if (first == n)
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
