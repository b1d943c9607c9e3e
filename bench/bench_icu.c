/* bench_icu: the peer that is always there. ICU's dictionary-based word
 * BreakIterator for Chinese (ubrk_open(UBRK_WORD, "zh", ...)), timed exactly
 * as bench_segment times zhseg: the same corpus in memory, split into the same
 * lines, each line handed over as UTF-8 (through a UText, so ICU does not
 * convert to UTF-16 first), every boundary visited. One untimed pass counts
 * boundaries and words (boundaries whose rule status is not "none") and warms
 * the caches.
 *
 *   bench_icu [--runs N] [--warmup N] [--once] [--limit BYTES] [--locale zh] FILE
 *
 * --once: one pass, for valgrind --tool=callgrind --toggle-collect=bench_icu_cut_line.
 */
#include "bench/bench_common.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

typedef struct {
  UBreakIterator *bi;
  UText *ut;
} Icu;

/* Not inlined: its name is what callgrind's --toggle-collect counts. */
__attribute__((noinline)) guint64 bench_icu_cut_line(Icu *icu, const char *s, gsize len,
                                                     guint64 *words)
{
  UErrorCode st = U_ZERO_ERROR;
  icu->ut = utext_openUTF8(icu->ut, s, (int64_t)len, &st);
  ubrk_setUText(icu->bi, icu->ut, &st);
  if (U_FAILURE(st)) {
    fprintf(stderr, "bench_icu: %s\n", u_errorName(st));
    exit(1);
  }
  guint64 n = 0;
  if (words == NULL) {
    while (ubrk_next(icu->bi) != UBRK_DONE)
      n++;
  } else {
    while (ubrk_next(icu->bi) != UBRK_DONE) {
      n++;
      if (ubrk_getRuleStatus(icu->bi) >= UBRK_WORD_NONE_LIMIT)
        (*words)++;
    }
  }
  return n;
}

static guint64 cut_all(Icu *icu, const BenchCorpus *c, guint64 *words)
{
  guint64 n = 0;
  for (gsize i = 0; i < c->n_pieces; i++)
    n += bench_icu_cut_line(icu, c->data + c->pieces[i].off, c->pieces[i].len, words);
  return n;
}

int main(int argc, char **argv)
{
  gboolean once = FALSE;
  gint runs = 5, warmup = 1;
  gint64 limit = 0;
  char *locale = NULL;
  GOptionEntry entries[] = {
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "timed runs (default 5)", "N"},
    {"warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "untimed runs (default 1, at least the count pass)", "N"},
    {"once", 0, 0, G_OPTION_ARG_NONE, &once, "one untimed pass only (for callgrind)", NULL},
    {"limit", 0, 0, G_OPTION_ARG_INT64, &limit, "use only the first BYTES of FILE", "BYTES"},
    {"locale", 0, 0, G_OPTION_ARG_STRING, &locale, "break iterator locale (default zh)", "LOCALE"},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new("FILE - ICU word BreakIterator throughput");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 2 || runs < 1 ||
      warmup < 0 || limit < 0) {
    fprintf(stderr, "bench_icu: %s\nTry 'bench_icu --help'.\n",
            error != NULL ? error->message : "expected one FILE and sane option values");
    return 2;
  }
  g_option_context_free(ctx);

  BenchCorpus corpus;
  if (!bench_corpus_load(&corpus, argv[1], (gsize)limit, &error)) {
    fprintf(stderr, "bench_icu: %s\n", error->message);
    return 1;
  }

  /* Load time: opening the iterator and breaking one short Han sentence
   * (ICU loads its CJK dictionary lazily, on the first Han text). */
  static const char probe[] = "我们在社区开展志愿服务";
  double t0 = bench_now();
  UErrorCode st = U_ZERO_ERROR;
  Icu icu = {ubrk_open(UBRK_WORD, locale != NULL ? locale : "zh", NULL, 0, &st), NULL};
  if (U_FAILURE(st)) {
    fprintf(stderr, "bench_icu: ubrk_open: %s\n", u_errorName(st));
    return 1;
  }
  bench_icu_cut_line(&icu, probe, sizeof probe - 1, NULL);
  double load_ms = (bench_now() - t0) * 1e3;

  guint64 bounds = 0, words = 0;
  double *mbps = g_new(double, runs), *cpu_mbps = g_new(double, runs);
  gint n_runs = runs;
  if (once) {
    double c = bench_cpu_now(), t = bench_now();
    bounds = cut_all(&icu, &corpus, NULL);
    mbps[0] = corpus.len / 1e6 / (bench_now() - t);
    cpu_mbps[0] = corpus.len / 1e6 / (bench_cpu_now() - c);
    n_runs = 1;
  } else {
    bounds = cut_all(&icu, &corpus, &words);
    for (gint i = 1; i < warmup; i++)
      cut_all(&icu, &corpus, NULL);
    for (gint r = 0; r < runs; r++) {
      double c = bench_cpu_now(), t = bench_now();
      guint64 n = cut_all(&icu, &corpus, NULL);
      mbps[r] = corpus.len / 1e6 / (bench_now() - t);
      cpu_mbps[r] = corpus.len / 1e6 / (bench_cpu_now() - c);
      if (n != bounds) {
        fprintf(stderr, "bench_icu: boundary count changed between runs\n");
        return 1;
      }
    }
  }

  UVersionInfo v;
  char vs[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(v);
  u_versionToString(v, vs);
  GString *o = g_string_new(NULL);
  g_string_append(o, "\"bench\":\"segment\",\"impl\":\"icu\",\"mode\":\"precise\",\"hmm\":false,");
  g_string_append_printf(o, "\"threads\":1,\"bytes\":%zu,\"lines\":%zu,\"runs\":%d,", corpus.len,
                         corpus.n_pieces, n_runs);
  bench_json_series(o, "mbps", mbps, (gsize)n_runs);
  g_string_append_c(o, ',');
  bench_json_series(o, "cpu_mbps", cpu_mbps, (gsize)n_runs);
  g_string_append_printf(o, ",\"units\":%" G_GUINT64_FORMAT ",\"units_name\":\"boundaries\"", bounds);
  if (!once)
    g_string_append_printf(o, ",\"words\":%" G_GUINT64_FORMAT, words);
  g_string_append_printf(o, ",\"load_ms\":%.3f,\"maxrss_kb\":%ld,", load_ms, bench_maxrss_kb());
  bench_json_str(o, "version", vs);
  bench_json_emit(o);
  g_string_free(o, TRUE);

  ubrk_close(icu.bi);
  utext_close(icu.ut);
  g_free(mbps);
  g_free(cpu_mbps);
  g_free(locale);
  bench_corpus_clear(&corpus);
  return 0;
}
