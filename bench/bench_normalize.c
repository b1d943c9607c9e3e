/* bench_normalize: normalizer throughput beside the segmenter's.
 *
 * Usage: bench_normalize [FILE] [MB]
 * FILE defaults to the PKU test text (../shared/eval/sighan2005/pku_test.utf8)
 * if present, else the sample bulletins. The text is repeated to about MB
 * megabytes (default 64) and fed in 1 MiB chunks cut by safe_split, as the
 * CLI does. Measured: the raw file (as given), the clean UTF-8 fast path (the
 * file's own normalized text fed again), GBK (the raw text in GB18030),
 * traditional input with t2s auto, and the precise segmenter on the clean
 * text. */
#include "include/zhseg.h"

#include <stdio.h>
#include <time.h>
#include <string.h>
#include <sys/resource.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static GString *repeat(const char *text, gsize len, gsize target)
{
  GString *s = g_string_sized_new(target + len);
  while (s->len < target) {
    g_string_append_len(s, text, len);
    if (len > 0 && text[len - 1] != '\n')
      g_string_append_c(s, '\n');
  }
  return s;
}

static char *convert(const char *to, const char *from, const char *in, gsize len, gsize *out_len)
{
  UErrorCode st = U_ZERO_ERROR;
  gsize cap = len * 4 + 16;
  char *out = g_malloc(cap);
  int32_t n = ucnv_convert(to, from, out, (int32_t)cap, in, (int32_t)len, &st);
  if (U_FAILURE(st)) {
    fprintf(stderr, "conversion failed: %s\n", u_errorName(st));
    exit(1);
  }
  *out_len = (gsize)n;
  return out;
}

/* Runs ICU transliterator `id_ascii` over `utf8`, printing its speed. */
static char *translit(const char *id_ascii, const char *utf8, gsize *out_len)
{
  UErrorCode st = U_ZERO_ERROR;
  UParseError pe;
  UChar id[32];
  u_uastrcpy(id, id_ascii);
  UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
  glong n16;
  gunichar2 *u16 = g_utf8_to_utf16(utf8, -1, NULL, &n16, NULL);
  int32_t cap = (int32_t)n16 * 2 + 16, len = (int32_t)n16, limit = len;
  UChar *buf = g_new(UChar, cap);
  memcpy(buf, u16, n16 * 2);
  gint64 t0 = g_get_monotonic_time();
  utrans_transUChars(tr, buf, &len, cap, 0, &limit, &st);
  gint64 t1 = g_get_monotonic_time();
  printf("%-44s %8.1f MB/s wall  (%.1f MB, reference only)\n", id_ascii, strlen(utf8) / 1e6 / ((t1 - t0) / 1e6),
         strlen(utf8) / 1e6);
  utrans_close(tr);
  glong n8;
  char *out = g_utf16_to_utf8((gunichar2 *)buf, len, NULL, &n8, NULL);
  *out_len = (gsize)n8;
  g_free(buf);
  g_free(u16);
  return out;
}

/* CPU seconds as well as wall seconds: the figures are for this process only,
 * so a busy machine does not distort them. */
static double cpu_mbs;

/* Streams `text` through a normalizer; returns MB/s and the normalized text if asked. */
static double run(ZhsegNormalizer *n, const char *text, gsize len, GString *out)
{
  gint64 t0 = g_get_monotonic_time();
  clock_t c0 = clock();
  zhseg_normalizer_begin(n, 0);
  const char *enc = zhseg_normalizer_detect(n, text, len);
  gsize pos = 0;
  while (pos < len) {
    gsize avail = MIN((gsize)1 << 20, len - pos);
    gsize take = avail;
    if (avail < len - pos) {
      take = zhseg_normalizer_safe_split(text + pos, avail, enc, FALSE);
      if (take == 0)
        take = zhseg_normalizer_safe_split(text + pos, avail, enc, TRUE);
    }
    GError *error = NULL;
    ZhsegNormalized *r = zhseg_normalizer_feed(n, text + pos, take, &error);
    if (r == NULL) {
      fprintf(stderr, "normalizer failed: %s\n", error->message);
      exit(1);
    }
    if (out != NULL) {
      gsize l;
      const char *t = zhseg_normalized_text(r, &l);
      g_string_append_len(out, t, l);
    }
    zhseg_normalized_free(r);
    pos += take;
  }
  gint64 t1 = g_get_monotonic_time();
  cpu_mbs = len / 1e6 / ((double)(clock() - c0) / CLOCKS_PER_SEC);
  return len / 1e6 / ((t1 - t0) / 1e6);
}

static void report(const char *what, double mbs, gsize len)
{
  printf("%-44s %8.1f MB/s wall %8.1f MB/s cpu  (%.1f MB)\n", what, mbs, cpu_mbs, len / 1e6);
}

int main(int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : NULL;
  gsize target = (argc > 2 ? (gsize)g_ascii_strtoull(argv[2], NULL, 10) : 64) << 20;
  const char *shared = g_getenv("ZHSEG_SHARED_DIR");
  char *default_pku = g_build_filename(shared ? shared : ZHSEG_SOURCE_DIR "/../shared", "eval", "sighan2005",
                                       "pku_test.utf8", NULL);
  GString *src = g_string_new(NULL);
  if (path == NULL && g_file_test(default_pku, G_FILE_TEST_EXISTS))
    path = default_pku;
  if (path != NULL) {
    char *t;
    gsize l;
    if (!g_file_get_contents(path, &t, &l, NULL)) {
      fprintf(stderr, "cannot read %s\n", path);
      return 1;
    }
    g_string_append_len(src, t, l);
    g_free(t);
  } else {
    path = "examples/bulletins/*.txt";
    GDir *d = g_dir_open(ZHSEG_SOURCE_DIR "/examples/bulletins", 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
      if (!g_str_has_suffix(name, ".txt"))
        continue;
      char *p = g_build_filename(ZHSEG_SOURCE_DIR "/examples/bulletins", name, NULL), *t;
      gsize l;
      if (g_file_get_contents(p, &t, &l, NULL)) {
        g_string_append_len(src, t, l);
        g_free(t);
      }
      g_free(p);
    }
    if (d != NULL)
      g_dir_close(d);
  }
  if (src->len == 0) {
    fprintf(stderr, "bench_normalize: %s is empty: nothing to repeat\n", path);
    return 1;
  }
  printf("input: %s, repeated to %.0f MB\n", path, target / 1e6);
  GString *raw = repeat(src->str, src->len, target);
  ZhsegNormalizer *n = zhseg_normalizer_new();

  GString *clean = g_string_new(NULL);
  double mbs = run(n, raw->str, raw->len, clean);
  report("normalize raw input (as given)", mbs, raw->len);
  const ZhsegNormalizeStats *st = zhseg_normalizer_get_stats(n);
  printf("  encoding %s, joined %" G_GUINT64_FORMAT ", nfkc %" G_GUINT64_FORMAT ", crlf %" G_GUINT64_FORMAT
         "\n",
         st->encoding, st->n_lines_joined, st->n_nfkc, st->n_crlf);

  mbs = run(n, clean->str, clean->len, NULL);
  report("normalize clean UTF-8 (fast path)", mbs, clean->len);

  /* The figures below start from UTF-8 text (converted to GB18030, or
   * transliterated): a file in another encoding is replaced by its
   * normalized text, which is UTF-8. */
  if (!g_utf8_validate_len(src->str, src->len, NULL)) {
    GError *error = NULL;
    ZhsegNormalized *d = zhseg_normalizer_run(n, src->str, src->len, &error);
    if (d == NULL) {
      fprintf(stderr, "normalizer failed: %s\n", error->message);
      return 1;
    }
    gsize l;
    const char *t = zhseg_normalized_text(d, &l);
    printf("  %s is not UTF-8 (%s): the figures below start from its normalized text\n", path,
           zhseg_normalizer_get_stats(n)->encoding);
    g_string_truncate(src, 0);
    g_string_append_len(src, t, l);
    zhseg_normalized_free(d);
    g_string_free(raw, TRUE);
    raw = repeat(src->str, src->len, target);
  }

  gsize gl;
  char *gbk = convert("GB18030", "UTF-8", raw->str, raw->len, &gl);
  mbs = run(n, gbk, gl, NULL);
  report("normalize GB18030 (ICU decode, slow path)", mbs, gl);
  g_free(gbk);

  gsize one_len;
  char *trad_one = translit("Simplified-Traditional", src->str, &one_len);
  gsize back_len;
  g_free(translit("Traditional-Simplified", trad_one, &back_len)); /* what t2s replaces */
  GString *trad = repeat(trad_one, one_len, target);
  zhseg_normalizer_set_t2s(n, ZHSEG_T2S_AUTO);
  GError *error = NULL;
  ZhsegNormalized *warm = zhseg_normalizer_run(n, "國", 3, &error); /* builds the table once */
  zhseg_normalized_free(warm);
  mbs = run(n, trad->str, trad->len, NULL);
  report("normalize traditional, t2s auto", mbs, trad->len);
  mbs = run(n, clean->str, clean->len, NULL);
  report("normalize clean UTF-8, t2s auto", mbs, clean->len);
  zhseg_normalizer_set_t2s(n, ZHSEG_T2S_OFF);

  ZhsegDict *dict = zhseg_dict_open(NULL, &error);
  if (dict == NULL) {
    printf("segmenter: skipped (%s)\n", error->message);
    g_clear_error(&error);
  } else {
    ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
    GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
    gint64 t0 = g_get_monotonic_time();
    clock_t c0 = clock();
    gsize pos = 0;
    while (pos < clean->len) {
      gsize take = MIN((gsize)1 << 20, clean->len - pos);
      if (take < clean->len - pos)
        take = zhseg_normalizer_safe_split(clean->str + pos, take, "UTF-8", TRUE);
      g_array_set_size(tokens, 0);
      zhseg_segmenter_cut(seg, clean->str + pos, take, tokens);
      pos += take;
    }
    gint64 t1 = g_get_monotonic_time();
    cpu_mbs = clean->len / 1e6 / ((double)(clock() - c0) / CLOCKS_PER_SEC);
    report("segmenter (precise) on the clean text", clean->len / 1e6 / ((t1 - t0) / 1e6), clean->len);
    g_array_free(tokens, TRUE);
    zhseg_segmenter_free(seg);
    zhseg_dict_unref(dict);
  }
  zhseg_normalizer_free(n);
  g_string_free(raw, TRUE);
  g_string_free(clean, TRUE);
  g_string_free(trad, TRUE);
  g_string_free(src, TRUE);
  g_free(trad_one);
  g_free(default_pku);
  /* Each figure feeds the library 1 MiB at a time with the C library's
   * default malloc policy, as an embedder would: on some machines the page
   * faults of results freed and allocated again take a large share of the
   * time (bench/README.md, "Found then"), so the run says how many it took. */
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    printf("whole program: %ld minor page faults, %.2f s system time, %.2f s user time\n", ru.ru_minflt,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6,
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6);
  return 0;
}
