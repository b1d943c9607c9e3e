/* Tests of the normalizer (issue 4): decoding, folding, t2s, layout repair,
 * dedup, chunking, and the offset map. */
#include "testutil.h"
#include "tokenizer/normalize_map.h"
#include "tokenizer/normalize_private.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* ------------------------------------------------------------- helpers */

static char *read_file(const char *path, gsize *len)
{
  char *text = NULL;
  GError *error = NULL;
  g_file_get_contents(path, &text, len, &error);
  g_assert_no_error(error);
  return text;
}

static const char *const bulletins[] = {
  "examples/bulletins/000_52021f6d9e622ea6.txt", "examples/bulletins/001_2a2cfac5a1734cac.txt",
  "examples/bulletins/002_03d3af94e49f0032.txt", "examples/bulletins/003_fe8fcde420be2a24.txt",
  "examples/bulletins/004_26b3da91c02ab179.txt",
};

/* Normalizes with default options (plus t2s) and returns the text (g_free). */
static char *normalize(const char *bytes, gsize len, ZhsegT2sMode t2s, const char *encoding,
                       ZhsegNormalizeStats *stats)
{
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  GError *error = NULL;
  zhseg_normalizer_set_encoding(n, encoding, &error);
  g_assert_no_error(error);
  zhseg_normalizer_set_t2s(n, t2s);
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, bytes, len, &error);
  g_assert_no_error(error);
  g_assert_nonnull(r);
  if (stats != NULL)
    *stats = *zhseg_normalized_stats(r);
  gsize out_len;
  const char *text = zhseg_normalized_text(r, &out_len);
  g_assert_cmpuint(strlen(text), ==, out_len);
  return g_strndup(text, out_len);
}

static char *normalize_str(const char *s)
{
  return normalize(s, strlen(s), ZHSEG_T2S_OFF, NULL, NULL);
}

/* Decodes `len` bytes of `encoding` to UTF-8 with ICU (U+FFFD for bad bytes). */
static char *decode(const char *bytes, gsize len, const char *encoding)
{
  UErrorCode st = U_ZERO_ERROR;
  gsize cap = len * 3 + 16;
  char *out = g_malloc(cap);
  int32_t n = ucnv_convert("UTF-8", encoding, out, (int32_t)cap, bytes, (int32_t)len, &st);
  g_assert_cmpstr(u_errorName(st), ==, "U_ZERO_ERROR");
  out[n] = '\0';
  return out;
}

/* ---------------------------------------------------------------- decode */

static void test_decode_utf8_bom(void)
{
  const char in[] = "\xEF\xBB\xBF社区居民\r\n";
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, in, strlen(in), NULL);
  g_assert_cmpstr(zhseg_normalized_text(r, NULL), ==, "社区居民\n");
  const ZhsegNormalizeStats *s = zhseg_normalized_stats(r);
  g_assert_true(s->bom);
  g_assert_cmpstr(s->encoding, ==, "UTF-8");
  g_assert_cmpuint(zhseg_normalized_orig_offset(r, 0), ==, 3);
  g_assert_cmpuint(zhseg_normalized_orig_char(r, 0), ==, 0); /* the BOM is not a character */
  g_assert_cmpuint(zhseg_normalized_orig_char(r, 3), ==, 1);
  guint64 a, b;
  zhseg_normalized_map_span(r, 12, 13, &a, &b, NULL, NULL); /* the LF came from CR LF */
  g_assert_cmpuint(a, ==, 15);
  g_assert_cmpuint(b, ==, 17);
}

static void test_decode_line_col(void)
{
  const char in[] = "\xEF\xBB\xBF" "ab.\r\n社区。\n\n十\n九届";
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  zhseg_normalizer_set_join_lines(n, ZHSEG_JOIN_ALWAYS);
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, in, strlen(in), NULL);
  const char *t = zhseg_normalized_text(r, NULL);
  g_assert_cmpstr(t, ==, "ab.\n社区。\n\n十九届");
  guint64 line, col;
  zhseg_normalized_orig_line_col(r, 0, &line, &col);
  g_assert_cmpuint(line, ==, 1);
  g_assert_cmpuint(col, ==, 1);
  zhseg_normalized_orig_line_col(r, (gsize)(strstr(t, "区") - t), &line, &col);
  g_assert_cmpuint(line, ==, 2);
  g_assert_cmpuint(col, ==, 2);
  zhseg_normalized_orig_line_col(r, (gsize)(strstr(t, "届") - t), &line, &col);
  g_assert_cmpuint(line, ==, 5);
  g_assert_cmpuint(col, ==, 2);
  /* the token 十九 has a joined line break inside; its original text has not */
  gsize s9 = (gsize)(strstr(t, "十") - t), e9 = s9 + strlen("十九");
  g_assert_true(zhseg_normalized_span_joined(r, s9, e9));
  g_autofree char *orig = zhseg_normalized_original_text(r, s9, e9, NULL);
  g_assert_cmpstr(orig, ==, "十九");
  guint64 a, b;
  zhseg_normalized_map_span(r, s9, e9, &a, &b, NULL, NULL);
  g_assert_cmpuint(b - a, ==, strlen("十\n九"));
}

static void check_encoding_roundtrip(const char *relative, const char *encoding, const char *expect_detected)
{
  gsize len, elen;
  g_autofree char *utf8 = test_read_source(relative, &len);
  g_autofree char *bytes = test_encode(utf8, len, encoding, &elen);
  /* The reference: ICU's own decoding of the same bytes, normalized as UTF-8. */
  g_autofree char *ref_utf8 = decode(bytes, elen, encoding);
  const char *ref_src = ref_utf8;
  if (g_str_has_prefix(ref_src, "\xEF\xBB\xBF"))
    ref_src += 3;
  g_autofree char *ref = normalize(ref_src, strlen(ref_src), ZHSEG_T2S_OFF, "UTF-8", NULL);
  ZhsegNormalizeStats st;
  g_autofree char *got = normalize(bytes, elen, ZHSEG_T2S_OFF, NULL, &st);
  if (expect_detected != NULL)
    g_assert_cmpstr(st.encoding, ==, expect_detected);
  else /* by the BOM ICU wrote */
    g_assert_cmpstr(st.encoding, ==, (guchar)bytes[0] == 0xFE ? "UTF-16BE" : "UTF-16LE");
  g_assert_cmpuint(st.n_invalid, ==, 0);
  g_assert_cmpstr(got, ==, ref);
}

static void test_decode_gbk(void)
{
  check_encoding_roundtrip(bulletins[0], "GBK", "GB18030");
  check_encoding_roundtrip(bulletins[1], "GB18030", "GB18030");
  check_encoding_roundtrip(bulletins[3], "GB2312", "GB18030");
  /* GBK of the bulletin normalizes exactly like its UTF-8. */
  gsize len, elen;
  g_autofree char *utf8 = test_read_source(bulletins[2], &len);
  g_autofree char *gbk = test_encode(utf8, len, "GBK", &elen);
  g_autofree char *a = normalize(utf8, len, ZHSEG_T2S_OFF, NULL, NULL);
  g_autofree char *b = normalize(gbk, elen, ZHSEG_T2S_OFF, NULL, NULL);
  g_assert_cmpstr(a, ==, b);
}

static void test_decode_big5(void)
{
  check_encoding_roundtrip("tests/fixtures/000_traditional.txt", "Big5", "Big5");
  check_encoding_roundtrip("tests/fixtures/002_traditional.txt", "Big5", "Big5");
}

static void test_decode_utf16(void)
{
  /* ICU's "UTF-16" writes a BOM; a little-endian one is also made by hand. */
  check_encoding_roundtrip(bulletins[1], "UTF-16", NULL);
  gsize len, elen;
  g_autofree char *utf8 = test_read_source(bulletins[0], &len);
  g_autofree char *le = test_encode(utf8, len, "UTF-16LE", &elen);
  char *bom_le = g_malloc(elen + 2);
  bom_le[0] = (char)0xFF;
  bom_le[1] = (char)0xFE;
  memcpy(bom_le + 2, le, elen);
  ZhsegNormalizeStats st;
  g_autofree char *a = normalize(utf8, len, ZHSEG_T2S_OFF, NULL, NULL);
  g_autofree char *b = normalize(bom_le, elen + 2, ZHSEG_T2S_OFF, NULL, &st);
  g_assert_cmpstr(st.encoding, ==, "UTF-16LE");
  g_assert_true(st.bom);
  g_assert_cmpstr(a, ==, b);
  g_free(bom_le);
}

static void test_decode_invalid(void)
{
  const char in[] = "社区\xFF\xFE居民\xE4\xB8";
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  zhseg_normalizer_set_encoding(n, "UTF-8", NULL);
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, in, strlen(in), NULL);
  g_assert_cmpstr(zhseg_normalized_text(r, NULL), ==, "社区\xEF\xBF\xBD\xEF\xBF\xBD居民\xEF\xBF\xBD");
  const ZhsegNormalizeStats *s = zhseg_normalized_stats(r);
  g_assert_cmpuint(s->n_invalid, ==, 3);
  g_assert_cmpuint(s->n_invalid_offsets, ==, 3);
  g_assert_cmpuint(s->invalid_offsets[0], ==, 6);
  g_assert_cmpuint(s->invalid_offsets[1], ==, 7);
  g_assert_cmpuint(s->invalid_offsets[2], ==, 14);
  /* Each U+FFFD maps to its bad bytes. */
  guint64 a, b;
  zhseg_normalized_map_span(r, 9, 12, &a, &b, NULL, NULL);
  g_assert_cmpuint(a, ==, 7);
  g_assert_cmpuint(b, ==, 8);
  /* A damaged UTF-8 file is still detected as UTF-8. */
  gsize len;
  g_autofree char *utf8 = test_read_source(bulletins[0], &len);
  utf8[300] = (char)0xFF;
  ZhsegNormalizeStats st;
  g_free(normalize(utf8, len, ZHSEG_T2S_OFF, NULL, &st)); /* only its stats are looked at */
  g_assert_cmpstr(st.encoding, ==, "UTF-8");
  g_assert_cmpuint(st.n_invalid, >=, 1);
}

static void test_decode_strict(void)
{
  const char in[] = "社区居民。\n社区\xFF居民";
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  zhseg_normalizer_set_encoding(n, "UTF-8", NULL);
  zhseg_normalizer_set_strict(n, TRUE);
  GError *error = NULL;
  ZhsegNormalized *r = zhseg_normalizer_run(n, in, strlen(in), &error);
  g_assert_null(r);
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ENCODING);
  g_assert_nonnull(strstr(error->message, "byte offset 22"));
  g_clear_error(&error);
  /* The CLI names the file and the offset. */
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("zhseg-strict-XXXXXX.txt", &path, &error);
  g_assert_no_error(error);
  close(fd);
  g_file_set_contents(path, in, strlen(in), &error);
  g_assert_no_error(error);
  const char *args[] = {"normalize", "--strict", "--encoding", "UTF-8", path, NULL};
  g_autofree char *out = NULL, *err = NULL;
  int status = test_run_cli(args, NULL, &out, &err);
  g_assert_cmpint(status, ==, 1);
  g_assert_nonnull(strstr(err, path));
  g_assert_nonnull(strstr(err, "byte offset 22"));
  g_unlink(path);
}

/* ------------------------------------------------------------------ fold */

/* The report counts what the text became, whichever path a line took: a
 * full-width mark that NFKC makes ASCII and folding makes full width again
 * is no change (CR LF and an invalid byte send a line through the slow
 * path, plain lines take the fast one). */
static void test_fold_counts(void)
{
  struct {
    const char *in;
    guint64 nfkc, folded;
  } cases[] = {
    {"你好，世界。\n", 0, 0},
    {"你好，世界。\r\n", 0, 0},
    {"你好，世界。\xff\n", 0, 0},
    {"你好,世界。\n", 0, 1},
    {"你好,世界。\r\n", 0, 1},
    {"你好,世界:对吗\r\n", 0, 2},
    {"１２点，ＡＢ。\n", 4, 0},
    {"１２点，ＡＢ。\r\n", 4, 0},
    {"10：30开会\r\n", 1, 0}, /* not in Chinese context: stays ASCII */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    ZhsegNormalizeStats st;
    g_free(normalize(cases[i].in, strlen(cases[i].in), ZHSEG_T2S_OFF, NULL, &st)); /* only its stats are looked at */
    if (st.n_nfkc != cases[i].nfkc || st.n_punct_folded != cases[i].folded)
      g_error("%s: nfkc %" G_GUINT64_FORMAT " folded %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT, cases[i].in, st.n_nfkc, st.n_punct_folded, cases[i].nfkc, cases[i].folded);
  }
}

static void test_fold_punct(void)
{
  struct {
    const char *in, *out;
  } cases[] = {
    {"社区,居民:(好)!对吗?是;", "社区，居民：（好）！对吗？是；"},
    {"社区，居民：（好）！", "社区，居民：（好）！"},
    {"共1,000人,10:30开会", "共1,000人，10:30开会"},
    {"Hello, world (ok)!", "Hello, world (ok)!"},
    {"ＡＢＣ１２３　ｘ", "ABC123 x"},
    {"APP,及时", "APP，及时"},
    {"截至 11 月", "截至 11 月"},
    {"社区 居民  服务", "社区居民服务"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = normalize_str(cases[i].in);
    g_assert_cmpstr(got, ==, cases[i].out);
  }
  /* Bulletin 000 with ASCII commas (as 001 writes them) normalizes alike. */
  gsize len;
  g_autofree char *text = test_read_source(bulletins[0], &len);
  GString *ascii = g_string_new(NULL);
  for (const char *p = text; *p; p++) {
    if (g_str_has_prefix(p, "，")) {
      g_string_append_c(ascii, ',');
      p += strlen("，") - 1;
    } else if (g_str_has_prefix(p, "：")) {
      g_string_append_c(ascii, ':');
      p += strlen("：") - 1;
    } else {
      g_string_append_c(ascii, *p);
    }
  }
  g_autofree char *a = normalize(text, len, ZHSEG_T2S_OFF, NULL, NULL);
  g_autofree char *b = normalize(ascii->str, ascii->len, ZHSEG_T2S_OFF, NULL, NULL);
  g_assert_cmpstr(a, ==, b);
  g_string_free(ascii, TRUE);
}

/* The fold context as the rule states it, looking along the line each
 * time (what nz_fold_context did before its cursor, in the square of a
 * run's length): a mark after a Han character folds; one between digits
 * does not; otherwise the first character past the neutral marks and
 * spaces, before it and then after it on the line, decides. */
static gboolean is_neutral_ref(guint32 c)
{
  return c == ' ' || c == '\t' || c == 0x3000 || nz_fullwidth_of(c) != 0 || c == 0xFF0C || c == 0xFF1A ||
         c == 0xFF1B || c == 0xFF01 || c == 0xFF1F || c == 0xFF08 || c == 0xFF09;
}

static gboolean fold_context_ref(const guint32 *cps, gsize n, gsize i)
{
  if (i > 0 && cps[i - 1] >= 0x4E00 && cps[i - 1] <= 0x9FFF)
    return TRUE;
  gboolean dl = i > 0 && ((cps[i - 1] >= '0' && cps[i - 1] <= '9') || (cps[i - 1] >= 0xFF10 && cps[i - 1] <= 0xFF19));
  gboolean dr = i + 1 < n && ((cps[i + 1] >= '0' && cps[i + 1] <= '9') || (cps[i + 1] >= 0xFF10 && cps[i + 1] <= 0xFF19));
  if (dl && dr)
    return FALSE;
  for (gsize j = i; j-- > 0 && cps[j] != '\n' && cps[j] != '\r';)
    if (!is_neutral_ref(cps[j])) {
      if (nz_is_chinese(cps[j]))
        return TRUE;
      break;
    }
  for (gsize j = i + 1; j < n && cps[j] != '\n' && cps[j] != '\r'; j++)
    if (!is_neutral_ref(cps[j]))
      return nz_is_chinese(cps[j]);
  return FALSE;
}

static gboolean between_han_ref(const guint32 *cps, gsize n, gsize i)
{
  gsize l = i, r = i;
  while (l > 0 && nz_is_space(cps[l - 1]))
    l--;
  while (r < n && nz_is_space(cps[r]))
    r++;
  return l > 0 && r < n && nz_is_han(cps[l - 1]) && nz_is_han(cps[r]);
}

/* The cursor gives the rule's answers, asked in order (as the normalizer
 * asks) and out of order, on random lines full of runs of marks and spaces;
 * and a line of 100 000 marks between spaces, which took 16 s before it, is
 * folded (in 0.08 s). */
static void test_fold_cursor(void)
{
  static const guint32 alphabet[] = {0x597D, 0x793E, ',', ':', ';', '!', '?', '(', ')', 0xFF0C, 0xFF1F, 0xFF08,
                                     '1', 0xFF12, 'a', ' ', '\t', 0x3000, '\n', 0x3002, 0x201C, 0x2026};
  for (int round = 0; round < 300; round++) {
    gsize n = (gsize)g_test_rand_int_range(1, 120);
    guint32 cps[120];
    for (gsize i = 0; i < n;) {
      guint32 c = alphabet[g_test_rand_int_range(0, G_N_ELEMENTS(alphabet))];
      gsize run = g_test_rand_bit() ? 1 : (gsize)g_test_rand_int_range(2, 30);
      for (gsize k = 0; k < run && i < n; k++)
        cps[i++] = c;
    }
    NzFoldCursor in_order, any_order;
    nz_fold_cursor_init(&in_order, cps, n, 1);
    nz_fold_cursor_init(&any_order, cps, n, 1);
    for (gsize i = 0; i < n; i++) {
      if (g_test_rand_bit())
        continue; /* the normalizer asks of some positions only */
      g_assert_cmpint(nz_fold_context(&in_order, i), ==, fold_context_ref(cps, n, i));
      g_assert_cmpint(nz_between_han(&in_order, i), ==, between_han_ref(cps, n, i));
      gsize j = (gsize)g_test_rand_int_range(0, (gint32)n);
      g_assert_cmpint(nz_fold_context(&any_order, j), ==, fold_context_ref(cps, n, j));
      g_assert_cmpint(nz_between_han(&any_order, j), ==, between_han_ref(cps, n, j));
    }
  }
  GString *marks = g_string_new("好");
  for (int i = 0; i < 200000; i++)
    g_string_append_c(marks, i % 2 ? '?' : ' ');
  g_autofree char *out = normalize(marks->str, marks->len, ZHSEG_T2S_OFF, NULL, NULL);
  /* after 好, every ? is folded to ？ (spaces between marks stay) */
  g_assert_true(g_str_has_prefix(out, "好 ？ ？"));
  g_assert_cmpuint(strlen(out), ==, 3 + 100000 + 100000 * 3);
  g_string_free(marks, TRUE);
}

static void test_fold_expansion(void)
{
  const char in[] = "温度3℃，好…吗";
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, in, strlen(in), NULL);
  gsize len;
  const char *t = zhseg_normalized_text(r, &len);
  g_assert_cmpstr(t, ==, "温度3°C，好...吗");
  const char *deg = strstr(t, "°");
  gsize ds = (gsize)(deg - t), de = ds + strlen("°C");
  const char *orig_c = strstr(in, "℃");
  gsize cs = (gsize)(orig_c - in), ce = cs + strlen("℃");
  /* °C, ° alone and C alone all map to the whole ℃. */
  guint64 a, b, ca, cb;
  zhseg_normalized_map_span(r, ds, de, &a, &b, &ca, &cb);
  g_assert_cmpuint(a, ==, cs);
  g_assert_cmpuint(b, ==, ce);
  g_assert_cmpuint(ca, ==, 3);
  g_assert_cmpuint(cb, ==, 4);
  zhseg_normalized_map_span(r, ds, ds + strlen("°"), &a, &b, NULL, NULL);
  g_assert_cmpuint(a, ==, cs);
  g_assert_cmpuint(b, ==, ce);
  zhseg_normalized_map_span(r, ds + strlen("°"), de, &a, &b, NULL, NULL);
  g_assert_cmpuint(a, ==, cs);
  g_assert_cmpuint(b, ==, ce);
  g_assert_true(zhseg_normalized_is_boundary(r, ds));
  g_assert_false(zhseg_normalized_is_boundary(r, ds + strlen("°")));
  g_assert_true(zhseg_normalized_is_boundary(r, de));
  /* ... (three characters) maps to the one … */
  const char *dots = strstr(t, "...");
  zhseg_normalized_map_span(r, (gsize)(dots - t), (gsize)(dots - t) + 3, &a, &b, NULL, NULL);
  g_assert_cmpuint(a, ==, (gsize)(strstr(in, "…") - in));
  g_assert_cmpuint(b, ==, (gsize)(strstr(in, "…") - in) + strlen("…"));
  g_assert_false(zhseg_normalized_is_boundary(r, (gsize)(dots - t) + 1));
  /* Tokens cut inside an expansion are merged by map_tokens. */
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  ZhsegToken tk[] = {
    {0, ds, 0, 0, 0, ZHSEG_TOKEN_WORD, 0},
    {ds, ds + strlen("°"), 0, 0, 0, ZHSEG_TOKEN_SYMBOL, 0},
    {ds + strlen("°"), de, 0, 0, 0, ZHSEG_TOKEN_LATIN, 0},
    {de, len, 0, 0, 0, ZHSEG_TOKEN_WORD, 0},
  };
  g_array_append_vals(tokens, tk, G_N_ELEMENTS(tk));
  guint nt = zhseg_normalized_map_tokens(r, tokens, 0);
  g_assert_cmpuint(nt, ==, 3);
  ZhsegToken *m = &g_array_index(tokens, ZhsegToken, 1);
  g_assert_cmpuint(m->start, ==, cs);
  g_assert_cmpuint(m->end, ==, ce);
  g_assert_cmpuint(g_array_index(tokens, ZhsegToken, 2).end, ==, strlen(in));
  g_array_free(tokens, TRUE);
  /* The text as it stands in the input. */
  g_autofree char *orig = zhseg_normalized_original_text(r, ds, de, NULL);
  g_assert_cmpstr(orig, ==, "℃");
}

/* ------------------------------------------------------------------- t2s */

/* ICU's transliterator over a whole text, the reference for the table. */
static char *icu_translit(const char *id_ascii, const char *utf8)
{
  UErrorCode st = U_ZERO_ERROR;
  UParseError pe;
  UChar id[64];
  u_uastrcpy(id, id_ascii);
  UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
  g_assert_cmpstr(u_errorName(st), ==, "U_ZERO_ERROR");
  glong n16 = 0;
  gunichar2 *u16 = g_utf8_to_utf16(utf8, -1, NULL, &n16, NULL);
  int32_t cap = (int32_t)n16 * 2 + 16, len = (int32_t)n16, limit = len;
  UChar *buf = g_new(UChar, cap);
  memcpy(buf, u16, n16 * sizeof(UChar));
  utrans_transUChars(tr, buf, &len, cap, 0, &limit, &st);
  g_assert_cmpstr(u_errorName(st), ==, "U_ZERO_ERROR");
  utrans_close(tr);
  char *out = g_utf16_to_utf8((gunichar2 *)buf, len, NULL, NULL, NULL);
  g_free(buf);
  g_free(u16);
  return out;
}

/* The table a process loads (the build's share/zhseg/t2s.bin) is the one
 * ICU's transliterators make, and its lookup answers like a scan would. */
static void test_t2s_image(void)
{
  const T2sTable *t = nz_t2s_table(NULL);
  g_assert_nonnull(t);
  g_assert_cmpuint(t->n_trad, >, 1000);
  g_assert_true(nz_t2s_table_is_icus(t));
  gsize len;
  for (guint32 k = 0; k < t->n_trad; k++) {
    const guint32 *r = nz_t2s_lookup(t, t->trad[k], &len);
    g_assert_true(r == t->pool + t->off[k] && len == t->off[k + 1] - t->off[k]);
    gboolean next_is_trad = k + 1 < t->n_trad && t->trad[k + 1] == t->trad[k] + 1;
    g_assert_true((nz_t2s_lookup(t, t->trad[k] + 1, &len) != NULL) == next_is_trad);
  }
  g_assert_null(nz_t2s_lookup(t, 0x8FD9, &len)); /* 这: simplified */
  const guint32 *r = nz_t2s_lookup(t, 0x9019, &len); /* 這 -> 这 */
  g_assert_true(r != NULL && len == 1 && r[0] == 0x8FD9);
}

static void test_t2s_fixtures(void)
{
  const char *pairs[][2] = {
    {"tests/fixtures/000_traditional.txt", "examples/bulletins/000_52021f6d9e622ea6.txt"},
    {"tests/fixtures/002_traditional.txt", "examples/bulletins/002_03d3af94e49f0032.txt"},
    {"tests/fixtures/003_traditional.txt", "examples/bulletins/003_fe8fcde420be2a24.txt"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    gsize tl, sl;
    g_autofree char *trad = test_read_source(pairs[i][0], &tl);
    g_autofree char *simp = test_read_source(pairs[i][1], &sl);
    ZhsegNormalizeStats st;
    g_autofree char *on = normalize(trad, tl, ZHSEG_T2S_ON, NULL, &st);
    g_assert_cmpuint(st.n_t2s, >, 1000);
    /* The table agrees with ICU's transliterator on the whole text. */
    g_autofree char *icu = icu_translit("Traditional-Simplified", trad);
    g_autofree char *icu_norm = normalize(icu, strlen(icu), ZHSEG_T2S_OFF, NULL, NULL);
    g_assert_cmpstr(on, ==, icu_norm);
    /* auto converts the traditional text and leaves the simplified alone. */
    g_autofree char *au = normalize(trad, tl, ZHSEG_T2S_AUTO, NULL, NULL);
    g_assert_cmpstr(au, ==, on);
    g_autofree char *simp_off = normalize(simp, sl, ZHSEG_T2S_OFF, NULL, NULL);
    g_autofree char *simp_auto = normalize(simp, sl, ZHSEG_T2S_AUTO, NULL, &st);
    g_assert_cmpstr(simp_auto, ==, simp_off);
    g_assert_cmpuint(st.n_t2s, ==, 0);
    /* These bulletins survive the round trip, so traditional segments as simplified. */
    g_assert_cmpstr(on, ==, simp_off);
    ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
    g_autofree char *ta = test_cut_joined(seg, on);
    g_autofree char *tb = test_cut_joined(seg, simp_off);
    g_assert_cmpstr(ta, ==, tb);
    zhseg_segmenter_free(seg);
  }
  /* auto decides per paragraph: a traditional paragraph in simplified text. */
  g_autofree char *mixed = normalize_str("我们在社区开展志愿服务。\n我們在社區開展志願服務。\n");
  g_autofree char *mixed_auto = NULL;
  {
    const char *in = "我们在社区开展志愿服务。\n我們在社區開展志願服務。\n";
    mixed_auto = normalize(in, strlen(in), ZHSEG_T2S_AUTO, NULL, NULL);
  }
  g_assert_cmpstr(mixed_auto, ==, "我们在社区开展志愿服务。\n我们在社区开展志愿服务。\n");
  g_assert_cmpstr(mixed, ==, "我们在社区开展志愿服务。\n我們在社區開展志願服務。\n");
}

/* ---------------------------------------------------------------- layout */

static void check_unwrapped(const char *raw_rel, const char *fixture_rel)
{
  gsize rl, fl;
  g_autofree char *raw = test_read_source(raw_rel, &rl);
  g_autofree char *fix = test_read_source(fixture_rel, &fl);
  ZhsegNormalizeStats st;
  g_autofree char *a = normalize(raw, rl, ZHSEG_T2S_OFF, NULL, &st);
  g_autofree char *b = normalize(fix, fl, ZHSEG_T2S_OFF, NULL, NULL);
  g_assert_cmpuint(st.n_lines_joined, >, 200);
  g_assert_cmpstr(a, ==, b);
  /* and so are their tokens */
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  g_autofree char *ta = test_cut_joined(seg, a);
  g_autofree char *tb = test_cut_joined(seg, b);
  g_assert_cmpstr(ta, ==, tb);
  zhseg_segmenter_free(seg);
}

static void test_layout_000(void)
{
  check_unwrapped(bulletins[0], "tests/fixtures/000_unwrapped.txt");
  gsize rl;
  g_autofree char *raw = test_read_source(bulletins[0], &rl);
  g_autofree char *a = normalize(raw, rl, ZHSEG_T2S_OFF, NULL, NULL);
  /* the words the issue names are whole */
  g_assert_nonnull(strstr(a, "十九届"));
  g_assert_nonnull(strstr(a, "习近平总书记"));
  g_assert_nonnull(strstr(a, "道德风尚"));
  /* headings stay on their own lines */
  g_assert_nonnull(strstr(a, "\n锡林浩特市楚古兰街道爱民社区\n"));
}

static void test_layout_002(void)
{
  check_unwrapped(bulletins[2], "tests/fixtures/002_unwrapped.txt");
  gsize rl;
  g_autofree char *raw = test_read_source(bulletins[2], &rl);
  g_autofree char *a = normalize(raw, rl, ZHSEG_T2S_OFF, NULL, NULL);
  g_assert_nonnull(strstr(a, "特别是社区创新"));
  g_assert_nonnull(strstr(a, "\n共建互融\n实现治理主体多元化\n"));
}

static void test_layout_unwrapped_alone(void)
{
  /* One paragraph per line (001, 003, 004) is left alone. */
  for (gsize i = 0; i < G_N_ELEMENTS(bulletins); i++) {
    if (i == 0 || i == 2)
      continue;
    gsize len;
    g_autofree char *raw = test_read_source(bulletins[i], &len);
    ZhsegNormalizeStats st;
    g_free(normalize(raw, len, ZHSEG_T2S_OFF, NULL, &st)); /* only its stats are looked at */
    g_assert_cmpuint(st.n_lines_joined, ==, 0);
  }
  g_autofree char *crlf = normalize_str("社区。\r\n居民\r服务\n");
  g_assert_cmpstr(crlf, ==, "社区。\n居民\n服务\n");
}

static void test_layout_pku(void)
{
  g_autofree char *utf8_path = test_shared_path("eval/sighan2005/pku_test.utf8");
  g_autofree char *gbk_path = test_shared_path("eval/sighan2005/pku_test.txt");
  if (utf8_path == NULL || gbk_path == NULL) {
    g_test_skip("shared evaluation data (../shared/eval/sighan2005) is absent");
    return;
  }
  gsize ul, gl;
  g_autofree char *u = read_file(utf8_path, &ul);
  g_autofree char *g = read_file(gbk_path, &gl);
  ZhsegNormalizeStats su, sg;
  g_autofree char *a = normalize(u, ul, ZHSEG_T2S_OFF, NULL, &su);
  g_autofree char *b = normalize(g, gl, ZHSEG_T2S_OFF, NULL, &sg);
  g_assert_cmpstr(sg.encoding, ==, "GB18030");
  g_assert_cmpuint(su.n_lines_joined, ==, 0);
  g_assert_cmpuint(sg.n_invalid, ==, 0);
  g_assert_cmpstr(a, ==, b);
  /* one sentence per line stays so */
  gsize lines_in = 0, lines_out = 0;
  for (const char *p = u; *p; p++)
    lines_in += *p == '\n';
  for (const char *p = a; *p; p++)
    lines_out += *p == '\n';
  g_assert_cmpuint(lines_in, ==, lines_out);
}

/* ----------------------------------------------------------------- dedup */

static gsize count_occurrences(const char *hay, const char *needle)
{
  gsize n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static void test_dedup_captions(void)
{
  gsize l0, l2;
  g_autofree char *b0 = test_read_source(bulletins[0], &l0);
  g_autofree char *b2 = test_read_source(bulletins[2], &l2);
  ZhsegNormalizeStats s0, s2;
  g_autofree char *a = normalize(b0, l0, ZHSEG_T2S_OFF, NULL, &s0);
  g_autofree char *c = normalize(b2, l2, ZHSEG_T2S_OFF, NULL, &s2);
  g_assert_cmpuint(count_occurrences(a, "社区里的新时代文明实践活动"), ==, 1);
  g_assert_cmpuint(count_occurrences(a, "社区里的新时代文明实践活动。\n"), ==, 1);
  g_assert_cmpuint(count_occurrences(a, "加强文明社区建设"), ==, 1);      /* tripled title */
  g_assert_cmpuint(count_occurrences(a, "提升群众幸福指数"), ==, 1);
  g_assert_cmpuint(count_occurrences(a, "。。"), ==, 0);
  g_assert_cmpuint(count_occurrences(c, "社区中老年人在表演太极扇。\n"), ==, 1);
  g_assert_cmpuint(count_occurrences(c, "太极扇社区"), ==, 0);
  g_assert_cmpuint(s0.n_runs_dedup, ==, 6);
  g_assert_cmpuint(s2.n_runs_dedup, ==, 1);
  /* deliberate repetition stays */
  struct {
    const char *in;
  } keep[] = {{"哈哈哈哈哈哈哈哈"}, {"一个一个一个一个"}, {"ABCDABCD"}, {"好好学习，天天向上"},
              {"研究研究再说"}, {"啊啊啊啊啊"}, {"社区活动社区活动社区活动社区活动"}};
  for (gsize i = 0; i < G_N_ELEMENTS(keep); i++) {
    g_autofree char *k = normalize_str(keep[i].in);
    g_assert_cmpstr(k, ==, keep[i].in);
  }
  g_autofree char *d = normalize_str("社区活动阵地社区活动阵地。。还有");
  g_assert_cmpstr(d, ==, "社区活动阵地。还有");
}

static void test_dedup_linear(void)
{
  /* 50 MB on one line, made of what costs a naive search the most: many
   * near-repeats at every distance 4..64, and long deliberate repetitions. */
  const gsize target = 50u << 20;
  GString *s = g_string_sized_new(target + 256);
  const char *han[] = {"社", "区", "居", "民", "服", "务", "党", "建"};
  guint32 seed = 12345;
  while (s->len < target) {
    seed = seed * 1103515245u + 12345u;
    guint kind = (seed >> 16) % 4;
    if (kind == 0) {
      guint period = 4 + (seed >> 8) % 61;
      GString *unit = g_string_new(NULL);
      for (guint k = 0; k < period; k++)
        g_string_append(unit, han[(seed >> (k % 24)) % 8]);
      for (guint c = 0; c < 5 + (seed >> 3) % 20; c++) /* >= 4 copies: kept */
        g_string_append(s, unit->str);
      g_string_free(unit, TRUE);
    } else {
      for (guint k = 0; k < 64; k++) {
        seed = seed * 1103515245u + 12345u;
        g_string_append(s, han[(seed >> 16) % 8]);
      }
    }
  }
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(n, s->str, s->len, NULL);
  g_assert_nonnull(r);
  /* A slow-path line (it has a doubled caption, 5 MB) also completes. */
  GString *t = g_string_new("社区中老年人在表演太极扇社区中老年人在表演太极扇。。");
  while (t->len < (5u << 20)) {
    seed = seed * 1103515245u + 12345u;
    g_string_append(t, han[(seed >> 16) % 8]);
  }
  g_autoptr(ZhsegNormalized) r2 = zhseg_normalizer_run(n, t->str, t->len, NULL);
  g_assert_nonnull(r2);
  g_assert_cmpuint(zhseg_normalized_stats(r2)->n_runs_dedup, >=, 1);
  g_string_free(s, TRUE);
  g_string_free(t, TRUE);
}

/* --------------------------------------------------------------- chunked */

/* Normalizes `bytes` in chunks cut by safe_split within windows of at most
 * `window` bytes; checks text and map against the whole. */
static void check_chunked(const char *bytes, gsize len, gsize window, ZhsegT2sMode t2s)
{
  g_autoptr(ZhsegNormalizer) n = zhseg_normalizer_new();
  zhseg_normalizer_set_t2s(n, t2s);
  g_autoptr(ZhsegNormalized) whole = zhseg_normalizer_run(n, bytes, len, NULL);
  gsize wl;
  const char *wt = zhseg_normalized_text(whole, &wl);
  zhseg_normalizer_begin(n, 0);
  const char *enc = zhseg_normalizer_detect(n, bytes, len);
  GString *joined = g_string_new(NULL);
  gsize pos = 0;
  while (pos < len) {
    gsize avail = MIN(window, len - pos);
    gsize take = avail == len - pos ? avail : zhseg_normalizer_safe_split(bytes + pos, avail, enc, FALSE);
    while (take == 0) { /* no sentence end in the window: widen it, as the CLI does */
      avail = MIN(avail * 2, len - pos);
      take = avail == len - pos ? avail : zhseg_normalizer_safe_split(bytes + pos, avail, enc, FALSE);
    }
    GError *error = NULL;
    g_autoptr(ZhsegNormalized) part = zhseg_normalizer_feed(n, bytes + pos, take, &error);
    g_assert_no_error(error);
    gsize pl;
    const char *pt = zhseg_normalized_text(part, &pl);
    /* every character maps to the same file offsets as in the whole */
    for (gsize k = 0; k < pl; k = (gsize)(g_utf8_next_char(pt + k) - pt)) {
      gsize kn = (gsize)(g_utf8_next_char(pt + k) - pt);
      guint64 a, b, ca, cb, wa, wb, wca, wcb;
      zhseg_normalized_map_span(part, k, kn, &a, &b, &ca, &cb);
      zhseg_normalized_map_span(whole, joined->len + k, joined->len + kn, &wa, &wb, &wca, &wcb);
      g_assert_cmpuint(a, ==, wa);
      g_assert_cmpuint(b, ==, wb);
      g_assert_cmpuint(ca, ==, wca);
      g_assert_cmpuint(cb, ==, wcb);
      guint64 l1, c1, l2, c2;
      zhseg_normalized_orig_line_col(part, k, &l1, &c1);
      zhseg_normalized_orig_line_col(whole, joined->len + k, &l2, &c2);
      g_assert_cmpuint(l1, ==, l2);
      g_assert_cmpuint(c1, ==, c2);
    }
    g_string_append_len(joined, pt, pl);
    pos += take;
  }
  g_assert_cmpuint(joined->len, ==, wl);
  g_assert_cmpstr(joined->str, ==, wt);
  g_string_free(joined, TRUE);
}

static void test_chunked(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bulletins); i++) {
    gsize len;
    g_autofree char *t = test_read_source(bulletins[i], &len);
    check_chunked(t, len, 700, ZHSEG_T2S_OFF);
    check_chunked(t, len, 3000, ZHSEG_T2S_OFF);
  }
  gsize len, gl;
  g_autofree char *trad = test_read_source("tests/fixtures/002_traditional.txt", &len);
  check_chunked(trad, len, 1000, ZHSEG_T2S_AUTO);
  g_autofree char *gbk = test_encode(trad, len, "GB18030", &gl);
  check_chunked(gbk, gl, 1500, ZHSEG_T2S_ON);
  g_autofree char *pku = test_shared_path("eval/sighan2005/pku_test.txt");
  if (pku != NULL) {
    g_autofree char *p = read_file(pku, &len);
    check_chunked(p, len, 64 * 1024, ZHSEG_T2S_OFF);
  }
}

/* ----------------------------------------------------- offset map property */

static const char *const alphabet[] = {
  "社", "区", "居", "民", "服", "务", "國", "區", "說", "這", "个", "，", "。", "、", "“", "”", ",", ":", "(",
  ")", "!", "?", "℃", "…", "Ａ", "１", "a", "Z", "7", " ", " ", "\n", "\r\n", "\n\n", "「", "」", "é",
  "e\xCC\x81", "〇", "\xF0\xA0\x80\x80", "\xF0\x9F\x98\x80", "　", "ﬁ", "㈱", "。。",
};

static const char *const encodings[] = {"UTF-8", "UTF-16BE", "UTF-16LE", "GB18030", "Big5"};

static void test_map_property(void)
{
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (guint iter = 0; iter < 300; iter++) {
    GString *s = g_string_new(NULL);
    guint n = g_test_rand_int_range(1, 120);
    for (guint k = 0; k < n; k++) {
      if (g_test_rand_int_range(0, 8) == 0) { /* a doubled run now and then */
        const char *w = "社区居民服务";
        g_string_append(s, w);
        g_string_append(s, w);
      }
      g_string_append(s, alphabet[g_test_rand_int_range(0, G_N_ELEMENTS(alphabet))]);
    }
    const char *enc = encodings[g_test_rand_int_range(0, G_N_ELEMENTS(encodings))];
    gsize blen;
    char *bytes = test_encode(s->str, s->len, enc, &blen);
    GByteArray *in = g_byte_array_new();
    gboolean bom = g_test_rand_bit();
    if (g_str_has_prefix(enc, "UTF-16")) {
      bom = TRUE; /* UTF-16 is only detected with a BOM */
      static const guint8 be[] = {0xFE, 0xFF}, le[] = {0xFF, 0xFE};
      g_byte_array_append(in, strcmp(enc, "UTF-16BE") == 0 ? be : le, 2);
    } else if (bom && strcmp(enc, "UTF-8") == 0) {
      static const guint8 b8[] = {0xEF, 0xBB, 0xBF};
      g_byte_array_append(in, b8, 3);
    }
    g_byte_array_append(in, (guint8 *)bytes, blen);
    /* invalid bytes (not in UTF-16, where a stray byte shifts everything) */
    if (!g_str_has_prefix(enc, "UTF-16") && in->len > 0)
      for (guint k = 0; k < 3; k++) {
        if (g_test_rand_int_range(0, 2) == 0)
          continue;
        guint at = g_test_rand_int_range(0, in->len + 1);
        /* only between characters: re-encoding shows where they are */
        static const guint8 bad[] = {0xFF};
        if (at == in->len || (in->data[at] < 0x80 && (at == 0 || in->data[at - 1] < 0x80)))
          g_array_insert_vals((GArray *)in, at, bad, 1);
      }
    g_autoptr(ZhsegNormalizer) nz = zhseg_normalizer_new();
    zhseg_normalizer_set_encoding(nz, enc, NULL);
    zhseg_normalizer_set_t2s(nz, g_test_rand_int_range(0, 3));
    GError *error = NULL;
    g_autoptr(ZhsegNormalized) r = zhseg_normalizer_run(nz, (const char *)in->data, in->len, &error);
    g_assert_no_error(error);
    gsize nl;
    const char *nt = zhseg_normalized_text(r, &nl);
    g_assert_true(g_utf8_validate(nt, nl, NULL));
    /* Per normalized character: its span decodes to what it came from. */
    guint64 prev_end = 0;
    for (gsize k = 0; k < nl; k = (gsize)(g_utf8_next_char(nt + k) - nt)) {
      gsize kn = (gsize)(g_utf8_next_char(nt + k) - nt);
      guint64 a, b;
      zhseg_normalized_map_span(r, k, kn, &a, &b, NULL, NULL);
      g_assert_cmpuint(a, <, b);
      g_assert_cmpuint(b, <=, in->len);
      g_assert_cmpuint(a, >=, prev_end > 0 && zhseg_normalized_is_boundary(r, k) ? prev_end : 0);
      if (zhseg_normalized_is_boundary(r, k))
        prev_end = b;
      g_autofree char *raw = decode((const char *)in->data + a, b - a, enc);
      g_autofree char *orig = zhseg_normalized_original_text(r, k, kn, NULL);
      if (!zhseg_normalized_span_joined(r, k, kn))
        g_assert_cmpstr(orig, ==, raw);
    }
    /* Per token (the segmenter over the normalized text): the span decodes
     * to the token's original text, less the joined line breaks. */
    g_array_set_size(tokens, 0);
    zhseg_segmenter_cut(seg, nt, nl, tokens);
    for (guint i = 0; i < tokens->len; i++) {
      ZhsegToken t = g_array_index(tokens, ZhsegToken, i);
      guint64 a, b;
      zhseg_normalized_map_span(r, t.start, t.end, &a, &b, NULL, NULL);
      g_autofree char *raw = decode((const char *)in->data + a, b - a, enc);
      g_autofree char *orig = zhseg_normalized_original_text(r, t.start, t.end, NULL);
      /* Equal, unless the normalizer removed something inside the span (a
       * joined line break, or a repeated copy between two kept characters:
       * `服务社` over `服务[社区居民服务]社`). */
      const ZhsegNormalizeStats *rs = zhseg_normalized_stats(r);
      if (strcmp(orig, raw) != 0)
        g_assert_true(zhseg_normalized_span_joined(r, t.start, t.end) || rs->n_runs_dedup > 0 ||
                      rs->n_punct_dedup > 0);
      /* the original text is what the span holds, in order, less removed parts */
      const char *p = raw;
      for (const char *q = orig; *q; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        while (*p && g_utf8_get_char(p) != c)
          p = g_utf8_next_char(p);
        g_assert_true(*p != '\0');
        p = g_utf8_next_char(p);
      }
    }
    guint before = tokens->len;
    guint after = zhseg_normalized_map_tokens(r, tokens, 0);
    g_assert_cmpuint(after, <=, before);
    for (guint i = 1; i < after; i++)
      g_assert_cmpuint(g_array_index(tokens, ZhsegToken, i - 1).start, <=,
                       g_array_index(tokens, ZhsegToken, i).start);
    g_byte_array_free(in, TRUE);
    g_free(bytes);
    g_string_free(s, TRUE);
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
}

/* The fast path must accept only what the slow path leaves alone. A CR at
 * the end forces the slow path (it becomes LF) without changing anything
 * else, so normalize(x + CR) must be normalize(x) + LF whichever path x took. */
static const char *const clean_alphabet[] = {
  "社", "区", "居", "民", "服", "务", "党", "建", "，", "。", "、", "：", "（", "）", "！", "“", "”", "a", "Z",
  "7", "1", ",", ":", "(", ")", ".", " ", "\n", "\n", "\n\n", "-", "%", "国", "說", "這", "…", "é",
  "\xF0\xA0\x80\x80", "。。", "哈哈哈哈", "十九届二中全会精神", "ＡＢ",
};

static void test_fast_equivalence(void)
{
  guint fast = 0;
  for (guint iter = 0; iter < 3000; iter++) {
    GString *s = g_string_new(NULL);
    guint n = g_test_rand_int_range(1, 200);
    gboolean wrapped = g_test_rand_bit();
    guint col = 0;
    for (guint k = 0; k < n; k++) {
      if (g_test_rand_int_range(0, 10) == 0) {
        const char *w = "社区居民服务";
        g_string_append(s, w);
        if (g_test_rand_bit())
          g_string_append(s, w);
      }
      g_string_append(s, clean_alphabet[g_test_rand_int_range(0, G_N_ELEMENTS(clean_alphabet))]);
      /* now and then a hard-wrapped column */
      if (wrapped && ++col == 18) {
        g_string_append_c(s, '\n');
        col = 0;
      }
    }
    ZhsegT2sMode t2s = g_test_rand_int_range(0, 3);
    /* the random text, then its normalized form (clean: the fast path's case) */
    for (guint round = 0; round < 2; round++) {
      g_autofree char *a = normalize(s->str, s->len, t2s, "UTF-8", NULL);
      g_string_append_c(s, '\r');
      g_autofree char *b = normalize(s->str, s->len, t2s, "UTF-8", NULL);
      g_autofree char *a_lf = g_strconcat(a, "\n", NULL);
      g_assert_cmpstr(b, ==, a_lf);
      g_string_truncate(s, s->len - 1);
      if (round == 1)
        fast += strcmp(a, s->str) == 0;
      g_string_assign(s, a);
    }
    g_string_free(s, TRUE);
  }
  /* Normalizing is idempotent for nearly all of them (a join can make a new
   * repeated run, or a new column), so most second rounds took the fast path. */
  g_test_message("%u of 3000 normalized texts normalized to themselves", fast);
  g_assert_cmpuint(fast, >, 2000);
}

/* Options a comparison sets on both normalizers. */
typedef struct {
  ZhsegT2sMode t2s;
  ZhsegJoinMode join;
  gboolean no_nfkc, no_fold, no_dedup;
} PieceOptions;

static void set_piece_options(ZhsegNormalizer *n, const PieceOptions *o)
{
  zhseg_normalizer_set_t2s(n, o->t2s);
  zhseg_normalizer_set_join_lines(n, o->join);
  zhseg_normalizer_set_nfkc(n, !o->no_nfkc);
  zhseg_normalizer_set_fold_punct(n, !o->no_fold);
  zhseg_normalizer_set_dedup(n, !o->no_dedup);
}

/* Segments of the pieces of `r` of a kind. */
static guint count_segs(const ZhsegNormalized *r, NzSegKind kind)
{
  guint n = 0;
  for (guint k = 0; r->segs != NULL && k + 1 < r->segs->len; k++)
    n += g_array_index(r->segs, NzSeg, k).kind == kind;
  return n;
}

/* Normalizes `text` in chunks of `chunk` bytes cut where safe, unit by unit
 * (pieces) or each chunk whole through the slow path, and checks that the
 * two agree on the text, the statistics and the map of every offset.
 * Returns the number of joins the pieces made outside the slow path. */
static guint compare_pieces_with(const char *text, gsize len, gsize chunk, const PieceOptions *o)
{
  ZhsegNormalizer *np = zhseg_normalizer_new(), *ns = zhseg_normalizer_new();
  set_piece_options(np, o);
  set_piece_options(ns, o);
  nz_normalizer_set_pieces(ns, FALSE);
  guint fast_joins = 0;
  zhseg_normalizer_begin(np, 0);
  zhseg_normalizer_begin(ns, 0);
  for (gsize off = 0; off < len;) {
    gsize take = len - off;
    if (take > chunk) {
      take = zhseg_normalizer_safe_split(text + off, chunk, "UTF-8", TRUE);
      g_assert_cmpuint(take, >, 0);
    }
    g_autoptr(ZhsegNormalized) p = zhseg_normalizer_feed(np, text + off, take, NULL);
    g_autoptr(ZhsegNormalized) q = zhseg_normalizer_feed(ns, text + off, take, NULL);
    gsize pl, ql;
    const char *pt = zhseg_normalized_text(p, &pl), *qt = zhseg_normalized_text(q, &ql);
    g_assert_cmpstr(pt, ==, qt);
    fast_joins += count_segs(p, NZ_SEG_JOIN);
    for (gsize i = 0; i <= pl; i++) {
      g_assert_cmpint(zhseg_normalized_is_boundary(p, i), ==, zhseg_normalized_is_boundary(q, i));
      if (!zhseg_normalized_is_boundary(p, i))
        continue;
      guint64 line[2], col[2];
      zhseg_normalized_orig_line_col(p, i, &line[0], &col[0]);
      zhseg_normalized_orig_line_col(q, i, &line[1], &col[1]);
      g_assert_cmpuint(line[0], ==, line[1]);
      g_assert_cmpuint(col[0], ==, col[1]);
      /* spans from i to the next few boundaries */
      for (gsize j = i + 1, seen = 0; j <= pl && seen < 3; j++) {
        if (!zhseg_normalized_is_boundary(p, j))
          continue;
        seen++;
        guint64 a[4], b[4];
        zhseg_normalized_map_span(p, i, j, &a[0], &a[1], &a[2], &a[3]);
        zhseg_normalized_map_span(q, i, j, &b[0], &b[1], &b[2], &b[3]);
        for (int k = 0; k < 4; k++)
          g_assert_cmpuint(a[k], ==, b[k]);
        g_assert_cmpint(zhseg_normalized_span_joined(p, i, j), ==, zhseg_normalized_span_joined(q, i, j));
        g_autofree char *po = zhseg_normalized_original_text(p, i, j, NULL);
        g_autofree char *qo = zhseg_normalized_original_text(q, i, j, NULL);
        g_assert_cmpstr(po, ==, qo);
      }
    }
    off += take;
  }
  const ZhsegNormalizeStats *a = zhseg_normalizer_get_stats(np), *b = zhseg_normalizer_get_stats(ns);
  g_assert_cmpuint(a->n_chars, ==, b->n_chars);
  g_assert_cmpuint(a->n_crlf, ==, b->n_crlf);
  g_assert_cmpuint(a->n_lines_joined, ==, b->n_lines_joined);
  g_assert_cmpuint(a->n_runs_dedup, ==, b->n_runs_dedup);
  g_assert_cmpuint(a->n_invalid, ==, b->n_invalid);
  g_assert_cmpuint(a->n_t2s, ==, b->n_t2s);
  g_assert_cmpuint(a->n_nfkc, ==, b->n_nfkc);
  g_assert_cmpuint(a->n_punct_folded, ==, b->n_punct_folded);
  g_assert_cmpuint(a->n_punct_dedup, ==, b->n_punct_dedup);
  g_assert_cmpint(a->bom, ==, b->bom);
  zhseg_normalizer_free(np);
  zhseg_normalizer_free(ns);
  return fast_joins;
}

static void compare_pieces(const char *text, gsize len, gsize chunk)
{
  const PieceOptions o = {.t2s = ZHSEG_T2S_AUTO, .join = ZHSEG_JOIN_AUTO};
  compare_pieces_with(text, len, chunk, &o);
}

/* Unit by unit (plain units copied, CR LF replaced, the rest slow) must give
 * what the whole chunk through the slow path gives, at the boundaries
 * between units of each kind and between chunks. */
static void test_fast_pieces(void)
{
  static const char *const units[] = {
    "社区居民积极参加志愿服务活动。\n",                   /* plain */
    "今年共开展活动１２次，参与群众３００人次。\n",       /* full-width digits */
    "街道办事处召开会议。\r\n",                          /* CR LF */
    "社区中老年人在表演太极扇社区中老年人在表演太极扇。。\n", /* doubled caption */
    "为深入学习贯彻党的十\n九届二中全会精神，社区组织党员\n开展主题党日活动，大家\n认真学习了会议精神。\n", /* wraps */
    "“这里的环境越来越好了！”\r\n",                     /* closer after a terminator */
    "中 国 人民\t银行。\n",                               /* spaces between Han */
    "坚持\r以人民为中心。\n",                            /* a lone CR */
    "\n",                                                  /* a blank line */
    "這裡的居民說話很客氣。\n",                            /* traditional */
    "温度为２５℃，湿度60%。\r\n",                         /* an expansion */
    "第①项与第㈠项，再看第①项。\n",                      /* expansions of U+2460 and U+3220, both 32 mod 64 */
    "bad \xFF byte。\n",                                  /* invalid UTF-8 */
  };
  for (guint round = 0; round < 200; round++) {
    GString *s = g_string_new(round % 10 == 0 ? "\xEF\xBB\xBF" : "");
    guint n = g_test_rand_int_range(1, 40);
    for (guint k = 0; k < n; k++)
      g_string_append(s, units[g_test_rand_int_range(0, G_N_ELEMENTS(units))]);
    if (g_test_rand_bit())
      g_string_append(s, "最后一行没有换行");
    compare_pieces(s->str, s->len, g_test_rand_bit() ? s->len + 1 : (gsize)g_test_rand_int_range(64, 600));
    g_string_free(s, TRUE);
  }
  gsize len;
  g_autofree char *pku = test_read_source(bulletins[0], &len);
  compare_pieces(pku, len, 4096);
}

/* Full-width ASCII that the fast path replaces itself (nz_fast_repl_table)
 * must give what the slow path gives, in the contexts where that could
 * differ: folding marks whose context they are (`Ａ,Ｂ` keeps its comma,
 * `好,Ａ` does not), digits around `,` and `:`, combining marks after them
 * (one NFKC segment: the slow path's), spaces next to Han, terminators that
 * end a wrapped column (`．`), doubled marks, CR LF and lone CR. */
static void test_fast_replace(void)
{
  static const char *const parts[] = {
    "社区", "居民", "服务", "這裡", "，", "。", "：", "！", "（", "）", "“", "”", ",", ":", ";", "!", "(", ")",
    ".", "?", " ", "\t", "\xE3\x80\x80", "\n", "\r\n", "\r", "\n\n", "7", "a", "\xCC\x81", "\xCC\x88",
    "\xE2\x83\x9D", "℃", "…", "哈哈哈哈", "\xFF", "\xF0\xA0\x80\x80", "ｶ", "\xEF\xBB\xBF",
  };
  for (guint round = 0; round < 300; round++) {
    GString *s = g_string_new(NULL);
    guint n = g_test_rand_int_range(1, 400);
    guint col = 0, width = g_test_rand_int_range(8, 24);
    gboolean wrapped = g_test_rand_bit();
    for (guint k = 0; k < n; k++) {
      if (g_test_rand_int_range(0, 3) == 0) {
        /* any of ！ to ～, the replaced and the kept */
        g_string_append_unichar(s, (gunichar)g_test_rand_int_range(0xFF01, 0xFF5F));
      } else if (g_test_rand_int_range(0, 40) == 0) {
        const char *w = "ＡＢＣ社区ＤＥ服务";
        g_string_append(s, w);
        g_string_append(s, w);
      } else {
        g_string_append(s, parts[g_test_rand_int_range(0, G_N_ELEMENTS(parts))]);
      }
      if (wrapped && ++col == width) {
        g_string_append(s, g_test_rand_bit() ? "\n" : "\r\n");
        col = 0;
      }
    }
    compare_pieces(s->str, s->len, g_test_rand_bit() ? s->len + 1 : (gsize)g_test_rand_int_range(16, 400));
    g_string_free(s, TRUE);
  }
  /* The table came from the slow path: letters and digits are in it, the
   * folding marks (whose context decides) are not. */
  const guint8 *t = nz_fast_repl_table();
  g_assert_cmpuint(t[0xFF21 - 0xFF01], ==, 'A');
  g_assert_cmpuint(t[0xFF10 - 0xFF01], ==, '0');
  g_assert_cmpuint(t[0xFF0C - 0xFF01], ==, 0);
  g_assert_cmpuint(t[0xFF08 - 0xFF01], ==, 0);
}

/* Hard-wrapped columns, whose wraps the layout joins (the fast path joins
 * them itself when the unit is clean otherwise, normalize_fast_join.c): a
 * paragraph wrapped at every position (a shift of its first line), with
 * the wraps written in every way the join removes (CR LF, blanks before
 * and after, blank lines, U+3000), and at the wraps Latin words (joined
 * with a space), full-width forms, folding marks (and full-width marks
 * NFKC makes ASCII, which changes a line's width), spaces between Han
 * (dropped: also a line's width, and of the characters before a join),
 * characters NFKC expands (… -> ..., which ends a line too, ℃ -> °C),
 * doubled marks and doubled captions (which only the joined line shows),
 * traditional characters and invalid bytes; under each option that
 * changes what the join sees. The pieces must give what the slow path
 * gives, offsets, lines, columns and counts included. */
static void test_fast_joins(void)
{
  static const char *const words[] = {
    "社区", "居民", "积极", "参加", "志愿服务", "活动", "党的", "十九届", "二中全会", "精神", "深入", "学习",
    "贯彻", "基层", "治理", "，", "、", "：", "10：30", "a（", "1：2：3：4：5：6", "社 区", "人\t民", "党  建",
    "治 理 服 务 活 动", "……", "25℃", "①", "ﬁ", "⑩", "½", "″", "社…, 区", "，", ",", ":", "(", ")", "“", "”",
    "１２", "Ａ", "ＡＢ", "abc",
    "Wi-Fi", "95.5%", "2024", "這裡", "說話", "國家", "哈哈哈哈", "℃", "\xFF", "\xE3\x80\x80",
  };
  static const char *const breaks[] = {
    "\n", "\n", "\n", "\n", "\r\n", "\r\n", " \n", "\n  ", "\t\r\n", "\n\n", "\r\n\r\n", "\n \n\n",
    "\xE3\x80\x80\n", "\n\xE3\x80\x80",
  };
  static const char *const han[] = {
    "社", "区", "居", "民", "服", "务", "党", "建", "领", "航", "基", "层", "治", "理", "文", "明", "实", "践", "志",
    "愿", "活", "动", "网", "格", "员", "幸", "福", "指", "数", "群", "众", "组", "织", "开", "展", "主", "题", "日",
  };
  static const char *const caption = "社区中老年人在表演太极扇";
  guint fast_joins = 0, rounds = g_test_quick() ? 300 : 1200;
  for (guint round = 0; round < rounds; round++) {
    GString *s = g_string_new(NULL);
    guint width = g_test_rand_int_range(12, 25), clean = round % 3; /* 0: any word; else clean words only */
    for (guint para = 0, np = g_test_rand_int_range(1, 5); para < np; para++) {
      /* the paragraph, one string per character (or invalid byte) */
      GPtrArray *chars = g_ptr_array_new_with_free_func(g_free);
      guint n = g_test_rand_int_range(4 * width, 8 * width);
      gboolean captioned = g_test_rand_int_range(0, 3) == 0;
      while (chars->len < n) {
        const char *w;
        if (captioned && g_test_rand_int_range(0, 8) == 0)
          w = caption; /* doubled below: a repeated run, maybe across a wrap */
        else if (g_test_rand_int_range(0, 4) != 0)
          w = han[g_test_rand_int_range(0, G_N_ELEMENTS(han))]; /* rarely a repeated run by chance */
        else if (clean != 0)
          w = words[g_test_rand_int_range(0, 33)];
        else
          w = words[g_test_rand_int_range(0, G_N_ELEMENTS(words))];
        for (guint copy = 0; copy < (w == caption ? 2u : 1u); copy++)
          for (const char *p = w; *p;) {
            const char *q = (guchar)*p == 0xFF ? p + 1 : g_utf8_next_char(p);
            g_ptr_array_add(chars, g_strndup(p, (gsize)(q - p)));
            p = q;
          }
      }
      /* the first line shifted, so that over the rounds a wrap falls
       * after every character */
      guint col = round % width;
      for (guint k = 0; k < chars->len; k++) {
        g_string_append(s, g_ptr_array_index(chars, k));
        if (++col == width && k + 1 < chars->len) {
          g_string_append(s, breaks[g_test_rand_int_range(0, clean != 0 ? 10 : G_N_ELEMENTS(breaks))]);
          col = 0;
        }
      }
      g_string_append(s, g_test_rand_bit() ? "。\n" : "。\r\n");
      if (g_test_rand_int_range(0, 4) == 0)
        g_string_append(s, "\n");
      g_ptr_array_free(chars, TRUE);
    }
    PieceOptions o = {.t2s = g_test_rand_int_range(0, 3), .join = ZHSEG_JOIN_AUTO};
    switch (g_test_rand_int_range(0, 8)) {
    case 0: o.join = ZHSEG_JOIN_ALWAYS; break;
    case 1: o.no_nfkc = TRUE; break;
    case 2: o.no_fold = TRUE; break;
    case 3: o.no_dedup = TRUE; break;
    default: break;
    }
    gsize chunk = g_test_rand_bit() ? s->len + 1 : (gsize)g_test_rand_int_range(64, 2000);
    fast_joins += compare_pieces_with(s->str, s->len, chunk, &o);
    g_string_free(s, TRUE);
  }
  /* doubled marks across a wrap, which only the joined line doubles (and
   * the slow path then reduces), and a caption doubled across one */
  const PieceOptions o = {.t2s = ZHSEG_T2S_AUTO, .join = ZHSEG_JOIN_AUTO};
  static const char *const across[] = {
    "社区居民积极参加志愿服务活动党建领航，\n"
    "，基层治理文明实践志愿活动网格员幸福、\n"
    "、群众组织开展主题日活动社区居民积极参\n"
    "加志愿服务活动党建领航基层治理文明实践。\n",
    "社区居民积极参加志愿服务活动党建领航基\n"
    "层治理文明实践志愿活动网格员幸福群众组\n"
    "织开展主题日社区中老年人在表演太极扇社\n"
    "区中老年人在表演太极扇活动党建领航基层\n"
    "治理文明实践。\n",
  };
  for (gsize k = 0; k < G_N_ELEMENTS(across); k++)
    compare_pieces_with(across[k], strlen(across[k]), strlen(across[k]) + 1, &o);
  /* the bulletins, whose columns the fast path joins */
  for (gsize k = 0; k < G_N_ELEMENTS(bulletins); k++) {
    gsize len;
    g_autofree char *text = test_read_source(bulletins[k], &len);
    fast_joins += compare_pieces_with(text, len, g_test_rand_bit() ? len + 1 : 4096, &o);
  }
  g_test_message("%u joins made by the fast path", fast_joins);
  g_assert_cmpuint(fast_joins, >, 3 * rounds);
}

/* Random tokens of one chunk, in increasing order with a jump back now and
 * then: where the cursor says a token is copied text, it must say what the
 * per-token lookups say, and the text must be the input's bytes there; its
 * lookups in other segments must answer as the whole result does.
 * Returns how many tokens it answered. */
static guint check_cursor(const ZhsegNormalized *r, const char *input, guint64 base)
{
  gsize len;
  const char *text = zhseg_normalized_text(r, &len);
  NzMapCursor cur;
  nz_map_cursor_init(&cur, r);
  guint fast = 0;
  for (gsize start = 0; start < len;) {
    /* mostly character boundaries, sometimes inside a character */
    gsize end = start + (gsize)g_test_rand_int_range(1, 13);
    if (g_test_rand_int_range(0, 8) != 0)
      while (end < len && ((guchar)text[end] & 0xC0) == 0x80)
        end++;
    end = MIN(end, len);
    guint64 a, b, ca, cb, ea, eb, eca, ecb;
    gboolean chars = g_test_rand_bit();
    if (nz_map_cursor_copied(&cur, start, end, &a, &b)) {
      fast++;
      zhseg_normalized_map_span(r, start, end, &ea, &eb, &eca, &ecb);
      g_assert_cmpuint(a, ==, ea);
      g_assert_cmpuint(b, ==, eb);
      g_assert_true(zhseg_normalized_is_boundary(r, end));
      g_assert_cmpuint(b - a, ==, end - start);
      g_assert_true(memcmp(input + (a - base), text + start, end - start) == 0);
      if (chars) {
        nz_map_cursor_chars(&cur, start, end, &ca, &cb);
        g_assert_cmpuint(ca, ==, eca);
        g_assert_cmpuint(cb, ==, ecb);
      }
    }
    /* Any token: the lookups through the cursor's segment answer as the
     * whole result does. */
    for (gsize x = start; x <= end + 1; x++)
      g_assert_cmpint(nz_map_cursor_is_boundary(&cur, x), ==, zhseg_normalized_is_boundary(r, x));
    nz_map_cursor_span(&cur, start, end, &a, &b, &ca, &cb);
    zhseg_normalized_map_span(r, start, end, &ea, &eb, &eca, &ecb);
    g_assert_cmpuint(a, ==, ea);
    g_assert_cmpuint(b, ==, eb);
    g_assert_cmpuint(ca, ==, eca);
    g_assert_cmpuint(cb, ==, ecb);
    if (g_test_rand_int_range(0, 50) == 0)
      start = (gsize)g_test_rand_int_range(0, (gint32)MIN(start + 1, (gsize)G_MAXINT32));
    else
      start = end;
  }
  return fast;
}

static void test_map_cursor(void)
{
  static const char *const units[] = {
    "社区居民积极参加志愿服务活动。\n",
    "今年共开展活动１２次，参与群众３００人次。\n",
    "街道办事处召开会议。\r\n",
    "社区中老年人在表演太极扇社区中老年人在表演太极扇。。\n",
    "为深入学习贯彻党的十\n九届二中全会精神，社区组织党员\n开展主题党日活动。\n",
    "中 国 人民\t银行。\n",
    "坚持\r以人民为中心。\n",
    "這裡的居民說話很客氣。\n",
    "温度为２５℃，湿度60%。\r\n",
    "bad \xFF byte。\n",
    "Wi-Fi覆盖率达到 95.5%，ABC公司。\n",
  };
  guint fast = 0;
  for (guint round = 0; round < 300; round++) {
    GString *s = g_string_new(round % 10 == 0 ? "\xEF\xBB\xBF" : "");
    guint n = g_test_rand_int_range(1, 40);
    /* every third input clean (the identity map), the rest mixed (pieces) */
    for (guint k = 0; k < n; k++)
      g_string_append(s, units[round % 3 == 1 ? 0 : g_test_rand_int_range(0, G_N_ELEMENTS(units))]);
    ZhsegNormalizer *norm = zhseg_normalizer_new();
    zhseg_normalizer_set_t2s(norm, ZHSEG_T2S_AUTO);
    zhseg_normalizer_begin(norm, 0);
    gsize chunk = g_test_rand_bit() ? s->len + 1 : (gsize)g_test_rand_int_range(64, 600);
    for (gsize off = 0; off < s->len;) {
      gsize take = s->len - off;
      if (take > chunk) {
        take = zhseg_normalizer_safe_split(s->str + off, chunk, "UTF-8", TRUE);
        g_assert_cmpuint(take, >, 0);
      }
      g_autoptr(ZhsegNormalized) r = zhseg_normalizer_feed(norm, s->str + off, take, NULL);
      g_assert_nonnull(r);
      fast += check_cursor(r, s->str + off, off);
      off += take;
    }
    zhseg_normalizer_free(norm);
    g_string_free(s, TRUE);
  }
  g_assert_cmpuint(fast, >, 1000);
}

/* Dedup's pair filter (normalize_fast_join.c) lets a line skip the exact
 * search: it must never let a repeated run through. Lines made of words
 * that repeat inside a run too (so a pair is last seen nearer than the
 * run's period), with a run of every period 4..64 repeated two to five
 * times, or almost (one character changed), at any place: the pieces
 * (fast where the filter says no run) must give what the slow path gives. */
static void test_fast_dedup_filter(void)
{
  static const char *const words[] = {"社区", "居民", "社", "区", "服务", "，", "、", "的", "a", "1", "“", "”", "ＡＢ", ",", "信息技术"};
  for (guint round = 0; round < 1500; round++) {
    GString *s = g_string_new(NULL);
    for (guint line = 0, nl = g_test_rand_int_range(1, 6); line < nl; line++) {
      GString *run = g_string_new(NULL);
      guint period = g_test_rand_int_range(4, 65);
      for (guint k = 0; k < period;) {
        const char *w = words[g_test_rand_int_range(0, G_N_ELEMENTS(words))];
        g_string_append(run, w);
        k += (guint)g_utf8_strlen(w, -1);
      }
      for (guint k = 0, pre = g_test_rand_int_range(0, 30); k < pre; k++)
        g_string_append(s, words[g_test_rand_int_range(0, G_N_ELEMENTS(words))]);
      guint copies = g_test_rand_int_range(1, 6);
      for (guint c = 0; c < copies; c++) {
        /* now and then a copy with the commas the slow path folds ASCII
         * ones to (a repetition only once folded) */
        if (g_test_rand_int_range(0, 4) == 0) {
          g_auto(GStrv) parts = g_strsplit(run->str, ",", -1);
          g_autofree char *full = g_strjoinv("，", parts);
          g_string_append(s, full);
        } else {
          g_string_append(s, run->str);
        }
        if (g_test_rand_int_range(0, 6) == 0)
          g_string_append(s, "区"); /* almost a repetition */
      }
      for (guint k = 0, post = g_test_rand_int_range(0, 30); k < post; k++)
        g_string_append(s, words[g_test_rand_int_range(0, G_N_ELEMENTS(words))]);
      g_string_append(s, g_test_rand_bit() ? "。\n" : "\n");
      g_string_free(run, TRUE);
    }
    compare_pieces(s->str, s->len, s->len + 1);
    g_string_free(s, TRUE);
  }
}

/* The fast scan takes four three-byte characters at a time: runs of
 * them of every length and alignment, with every kind of character the
 * scan must notice inside or right after a run (marks, quotes, doubled
 * punctuation, traditional and full-width characters, overlongs,
 * surrogates, other lengths, invalid bytes, line ends), against the slow
 * path. */
static void test_fast_blocks(void)
{
  static const char *const plain[] = {"社", "区", "居", "民", "服", "务", "的", "〇", "㐀"};
  static const char *const other[] = {
    "，", "。", "、", "；", "：", "“", "”", "「", "」", "這", "們", "Ａ", "１", "（", "！", "　",
    "\xE0\x80\x80", "\xED\xA0\x80", "\xEF\xBB\xBF", "é", "😀", "a", ",", " ", "\r\n", "\n", "\xFF", "\xE4\xB8",
  };
  for (guint round = 0; round < 2000; round++) {
    GString *s = g_string_new(NULL);
    for (guint k = 0, nk = g_test_rand_int_range(1, 12); k < nk; k++) {
      for (guint r = 0, nr = g_test_rand_int_range(0, 20); r < nr; r++)
        g_string_append(s, plain[g_test_rand_int_range(0, G_N_ELEMENTS(plain))]);
      if (g_test_rand_int_range(0, 4) != 0)
        g_string_append(s, other[g_test_rand_int_range(0, G_N_ELEMENTS(other) - 2 * (round % 2))]);
    }
    compare_pieces(s->str, s->len, g_test_rand_int_range(16, 256));
    g_string_free(s, TRUE);
  }
}

/* The UTF-8 unit-end rule, spelled out in bytes (normalize_split.c), must
 * say what the encoding-independent rule says, whatever the line ends in. */
static void test_fast_ends_sentence(void)
{
  static const char *const parts[] = {"。", "！", "？", "；", "…", ".", "!", "?", ";", "”", "’", "」", "』", "）", ")",
                                      "】", "》", "\"", "'", " ", "\r", "社", "a", "，", "｡", "\xE3\x80", "\x82"};
  guint ends = 0;
  for (guint round = 0; round < 20000; round++) {
    GString *s = g_string_new(g_test_rand_bit() ? "前\n" : "");
    for (guint k = 0, n = g_test_rand_int_range(0, 6); k < n; k++)
      g_string_append(s, parts[g_test_rand_int_range(0, G_N_ELEMENTS(parts))]);
    gsize lf = s->len;
    g_string_append_c(s, '\n');
    gboolean a = nz_utf8_ends_sentence((const guchar *)s->str, lf);
    g_assert_cmpint(a, ==, nz_utf8_ends_sentence_generic((const guchar *)s->str, lf));
    ends += a;
    g_string_free(s, TRUE);
  }
  g_assert_cmpuint(ends, >, 1000);
}

/* The NFKC table is generated at build time: it must say what the rule
 * computed with this process's ICU says, for every BMP code point. */
static void test_fast_nfkc_table(void)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  g_assert_true(U_SUCCESS(status));
  const FastTables *ft = nz_fast_tables();
  guint bad = 0;
  for (guint32 cp = 0; cp < 0x10000; cp++) {
    gboolean bit = (ft->nfkc_bad[cp >> 3] >> (cp & 7)) & 1;
    if (bit != nz_nfkc_bad_rule(nfkc, cp))
      g_error("NFKC table wrong at U+%04X", cp);
    bad += bit;
  }
  /* full-width digits, compatibility ideographs, combining marks... */
  g_assert_cmpuint(bad, >, 4000);
  g_assert_true((ft->nfkc_bad[0xFF11 >> 3] >> (0xFF11 & 7)) & 1);
  /* and the fast path's class table, built from it and the predicates */
  g_assert_true(nz_fast_check_classes());
  g_assert_false((ft->nfkc_bad[0x4E2D >> 3] >> (0x4E2D & 7)) & 1);
}

/* ------------------------------------------------------------------- CLI */

static void test_cli(void)
{
  g_autofree char *path = test_source_path(bulletins[0]);
  const char *args[] = {"normalize", "--report-format", "json", path, NULL};
  g_autofree char *out = NULL, *err = NULL;
  int status = test_run_cli(args, NULL, &out, &err);
  g_assert_cmpint(status, ==, 0);
  g_assert_nonnull(strstr(err, "\"lines_joined\":219"));
  g_assert_nonnull(strstr(out, "十九届二中"));
  const char *help[] = {"normalize", "--help", NULL};
  g_autofree char *hout = NULL;
  status = test_run_cli(help, NULL, &hout, NULL);
  g_assert_cmpint(status, ==, 0);
  g_assert_nonnull(strstr(hout, "Examples:"));
  const char *bad[] = {"normalize", "--t2s", "maybe", NULL};
  status = test_run_cli(bad, "x", NULL, NULL);
  g_assert_cmpint(status, ==, 2);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/normalize/decode/utf8-bom", test_decode_utf8_bom);
  g_test_add_func("/normalize/decode/line-col", test_decode_line_col);
  g_test_add_func("/normalize/decode/gbk", test_decode_gbk);
  g_test_add_func("/normalize/decode/big5", test_decode_big5);
  g_test_add_func("/normalize/decode/utf16", test_decode_utf16);
  g_test_add_func("/normalize/decode/invalid", test_decode_invalid);
  g_test_add_func("/normalize/decode/strict", test_decode_strict);
  g_test_add_func("/normalize/fold/punct", test_fold_punct);
  g_test_add_func("/normalize/fold/counts", test_fold_counts);
  g_test_add_func("/normalize/fold/expansion", test_fold_expansion);
  g_test_add_func("/normalize/fold/cursor", test_fold_cursor);
  g_test_add_func("/normalize/t2s/fixtures", test_t2s_fixtures);
  g_test_add_func("/normalize/t2s/image", test_t2s_image);
  g_test_add_func("/normalize/layout/000", test_layout_000);
  g_test_add_func("/normalize/layout/002", test_layout_002);
  g_test_add_func("/normalize/layout/unwrapped", test_layout_unwrapped_alone);
  g_test_add_func("/normalize/layout/pku", test_layout_pku);
  g_test_add_func("/normalize/dedup/captions", test_dedup_captions);
  g_test_add_func("/normalize/dedup/linear", test_dedup_linear);
  g_test_add_func("/normalize/chunked", test_chunked);
  g_test_add_func("/normalize/map/property", test_map_property);
  g_test_add_func("/normalize/fast/equivalence", test_fast_equivalence);
  g_test_add_func("/normalize/fast/nfkc-table", test_fast_nfkc_table);
  g_test_add_func("/normalize/fast/pieces", test_fast_pieces);
  g_test_add_func("/normalize/fast/replace", test_fast_replace);
  g_test_add_func("/normalize/fast/joins", test_fast_joins);
  g_test_add_func("/normalize/fast/dedup-filter", test_fast_dedup_filter);
  g_test_add_func("/normalize/fast/blocks", test_fast_blocks);
  g_test_add_func("/normalize/fast/ends-sentence", test_fast_ends_sentence);
  g_test_add_func("/normalize/map/cursor", test_map_cursor);
  g_test_add_func("/normalize/cli", test_cli);
  return g_test_run();
}
