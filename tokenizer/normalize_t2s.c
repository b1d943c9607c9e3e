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
 * share/zhseg/t2s.tsv (nz_t2s_write_table), and processes load that file
 * (found by the data-file rule), building from ICU only when it is missing. */
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

static T2sTable *table_new(void)
{
  T2sTable *t = g_new0(T2sTable, 1);
  t->is_trad = g_new0(guint8, 0x30000 / 8);
  t->is_simp_only = g_new0(guint8, 0x30000 / 8);
  t->map = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  return t;
}

static void table_free(T2sTable *t)
{
  g_hash_table_destroy(t->map);
  g_free(t->is_trad);
  g_free(t->is_simp_only);
  g_free(t);
}

static T2sTable *build_from_icu(void)
{
  T2sTable *t = table_new();
  if (!run_all("Traditional-Simplified", t, add_t2s) || !run_all("Simplified-Traditional", t, add_s2t)) {
    table_free(t);
    return NULL;
  }
  return t;
}

/* The file: `T<TAB>cp<TAB>cp...` (a traditional character and its simplified
 * form) and `S<TAB>cp` (a simplified-only character), code points in hex. */
static T2sTable *load(const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  T2sTable *t = table_new();
  gboolean ok = TRUE;
  GArray *res = g_array_new(TRUE, FALSE, sizeof(guint32));
  for (char *line = text, *next; ok && line != NULL && *line; line = next) {
    char *nl = strchr(line, '\n');
    next = nl != NULL ? nl + 1 : NULL;
    if (nl != NULL)
      *nl = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    char kind = line[0];
    char *p = line + 1, *end;
    guint32 cp = (guint32)g_ascii_strtoull(p, &end, 16);
    ok = (kind == 'T' || kind == 'S') && end != p && cp < 0x30000;
    g_array_set_size(res, 0);
    while (ok && kind == 'T' && *end == '\t') {
      p = end;
      guint32 u = (guint32)g_ascii_strtoull(p, &end, 16);
      ok = end != p;
      g_array_append_val(res, u);
    }
    if (!ok)
      break;
    if (kind == 'T')
      add_t2s(t, cp, res);
    else
      add_s2t(t, cp, res);
  }
  g_array_free(res, TRUE);
  g_free(text);
  if (!ok) {
    table_free(t);
    return NULL;
  }
  return t;
}

static gpointer build(gpointer unused)
{
  char *path = zhseg_find_data_file(NULL, "ZHSEG_T2S_TABLE", "t2s.tsv", NULL);
  T2sTable *t = path != NULL ? load(path) : NULL;
  g_free(path);
  if (t == NULL)
    t = build_from_icu();
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

static int compare_cp(gconstpointer a, gconstpointer b)
{
  guint32 x = GPOINTER_TO_UINT(*(const gpointer *)a), y = GPOINTER_TO_UINT(*(const gpointer *)b);
  return x < y ? -1 : x > y;
}

gboolean nz_t2s_write_table(const char *path, GError **error)
{
  T2sTable *t = build_from_icu();
  if (t == NULL) {
    if (error != NULL)
      *error = g_error_copy(table_error);
    return FALSE;
  }
  GString *out = g_string_new("# Traditional -> simplified, from ICU's Traditional-Simplified and\n"
                              "# Simplified-Traditional transliterators (generated at build time).\n");
  GPtrArray *keys = g_ptr_array_new();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, t->map);
  while (g_hash_table_iter_next(&it, &key, NULL))
    g_ptr_array_add(keys, key);
  g_ptr_array_sort(keys, compare_cp);
  for (guint i = 0; i < keys->len; i++) {
    guint32 cp = GPOINTER_TO_UINT(g_ptr_array_index(keys, i));
    g_string_append_printf(out, "T%X", cp);
    for (const guint32 *r = g_hash_table_lookup(t->map, GUINT_TO_POINTER(cp)); *r; r++)
      g_string_append_printf(out, "\t%X", *r);
    g_string_append_c(out, '\n');
  }
  g_ptr_array_free(keys, TRUE);
  for (guint32 cp = 0; cp < 0x30000; cp++)
    if (nz_bit(t->is_simp_only, cp))
      g_string_append_printf(out, "S%X\n", cp);
  gboolean ok = g_file_set_contents(path, out->str, (gssize)out->len, error);
  g_string_free(out, TRUE);
  table_free(t);
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
