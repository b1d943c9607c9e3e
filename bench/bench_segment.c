/* bench_segment: throughput of zhseg's segmentation core, in MB/s of UTF-8
 * input, for each mode.
 *
 * The corpus is read into memory and split into lines (see bench_common.h);
 * each timed run hands every line to zhseg_segmenter_cut() and empties the
 * token array after each line, as an embedder streaming a text would. The
 * dictionary open, the file read and the split are outside the timing. One
 * untimed pass per configuration checks the tokens (in precise mode they must
 * tile each line) and warms the caches; then --runs timed runs give the
 * median, min and max.
 *
 *   bench_segment [--mode precise|search|full|all] [--no-hmm] [--runs N]
 *                 [--warmup N] [--threads N] [--once] [--dict PATH]
 *                 [--limit BYTES] FILE
 *
 * --threads N: one shared dictionary, one segmenter per thread; every thread
 *   cuts the whole corpus, and the figure is the total bytes cut over the wall
 *   time. Runs with 1 and with N threads are interleaved so that the machine's
 *   drift hits both alike; one JSON line for each.
 * --once: one pass, no check and no warm-up, for
 *   valgrind --tool=callgrind --toggle-collect=zhseg_segmenter_cut.
 */
#include "bench/bench_common.h"
#include "include/zhseg.h"

typedef struct {
  const char *name;
  ZhsegMode mode;
  gboolean hmm;
} Config;

/* One per thread, each on its own cache lines: GArray's length field is
 * written for every token, so two arrays whose headers shared a line would
 * measure false sharing instead of scaling. */
typedef struct {
  _Alignas(64) const BenchCorpus *corpus;
  ZhsegDict *dict;
  ZhsegMode mode;
  guint flags;
  ZhsegSegmenter *seg;
  GArray *tokens;
  guint64 n_tokens;
  gint *n_ready; /* setup barrier */
  gint n_workers;
  gboolean once;
  gboolean ok; /* the check pass passed */
} Worker;

static gboolean check_pass(Worker *w, ZhsegMode mode, guint64 *n_tokens);

/* Makes the worker's segmenter and token array in a thread of its own, all
 * such threads alive at once, so that glibc's malloc gives each its own
 * arena (as an embedder making per-thread objects in its threads would).
 * Unless --once, the thread also does the check pass (so the segmenter's
 * scratch buffers grow in that arena too). */
static gpointer setup_main(gpointer data)
{
  Worker *w = data;
  w->seg = zhseg_segmenter_new(w->dict, w->mode, w->flags);
  /* Big enough for malloc to map it on pages of its own. */
  w->tokens = g_array_sized_new(FALSE, FALSE, sizeof(ZhsegToken), 16384);
  if (!w->once)
    w->ok = check_pass(w, w->mode, &w->n_tokens);
  g_atomic_int_inc(w->n_ready);
  while (g_atomic_int_get(w->n_ready) < w->n_workers)
    g_usleep(100);
  return NULL;
}

static guint64 cut_all(Worker *w)
{
  const BenchCorpus *c = w->corpus;
  guint64 n = 0;
  for (gsize i = 0; i < c->n_pieces; i++) {
    n += zhseg_segmenter_cut(w->seg, c->data + c->pieces[i].off, c->pieces[i].len, w->tokens);
    g_array_set_size(w->tokens, 0);
  }
  return n;
}

static gpointer worker_main(gpointer data)
{
  Worker *w = data;
  w->n_tokens = cut_all(w);
  return NULL;
}

/* The untimed pass: counts tokens, and checks that they are in bounds and,
 * in precise mode, tile each line. Returns FALSE (after printing why) if not. */
static gboolean check_pass(Worker *w, ZhsegMode mode, guint64 *n_tokens)
{
  const BenchCorpus *c = w->corpus;
  guint64 n = 0;
  for (gsize i = 0; i < c->n_pieces; i++) {
    gsize len = c->pieces[i].len;
    gsize got = zhseg_segmenter_cut(w->seg, c->data + c->pieces[i].off, len, w->tokens);
    if (got != w->tokens->len) {
      fprintf(stderr, "bench_segment: line %zu: cut returned %zu but appended %u tokens\n", i,
              got, w->tokens->len);
      return FALSE;
    }
    gsize pos = 0;
    for (guint k = 0; k < w->tokens->len; k++) {
      const ZhsegToken *t = &g_array_index(w->tokens, ZhsegToken, k);
      if (t->start >= t->end || t->end > len ||
          (mode == ZHSEG_MODE_PRECISE && t->start != pos)) {
        fprintf(stderr,
                "bench_segment: line %zu (%zu bytes), token %u: [%zu, %zu) after %zu: %s\n", i,
                len, k, t->start, t->end, pos,
                mode == ZHSEG_MODE_PRECISE ? "tokens do not tile the line" : "out of bounds");
        return FALSE;
      }
      pos = t->end;
    }
    if (mode == ZHSEG_MODE_PRECISE && pos != len) {
      fprintf(stderr, "bench_segment: line %zu: tokens end at %zu of %zu bytes\n", i, pos, len);
      return FALSE;
    }
    n += got;
    g_array_set_size(w->tokens, 0);
  }
  *n_tokens = n;
  return TRUE;
}

/* One timed run with `n` threads; returns the wall time in seconds and
 * stores the process's CPU time in *cpu. */
static double timed_run(Worker *workers, guint n, double *cpu)
{
  GThread *th[64];
  double c0 = bench_cpu_now();
  double t0 = bench_now();
  if (n == 1) {
    worker_main(&workers[0]);
  } else {
    for (guint i = 0; i < n; i++)
      th[i] = g_thread_new("bench", worker_main, &workers[i]);
    for (guint i = 0; i < n; i++)
      g_thread_join(th[i]);
  }
  double t = bench_now() - t0;
  if (cpu != NULL)
    *cpu = bench_cpu_now() - c0;
  return t;
}

static void emit(const Config *cf, guint threads, const BenchCorpus *c, const double *mbps,
                 const double *cpu_mbps, gsize runs, guint64 tokens, double load_ms,
                 const char *dict_path)
{
  GString *o = g_string_new(NULL);
  g_string_append(o, "\"bench\":\"segment\",\"impl\":\"zhseg\",");
  bench_json_str(o, "mode", cf->name);
  g_string_append_printf(o, ",\"hmm\":%s,\"threads\":%u,\"bytes\":%zu,\"lines\":%zu,\"runs\":%zu,",
                         cf->hmm ? "true" : "false", threads, c->len, c->n_pieces, runs);
  bench_json_series(o, "mbps", mbps, runs);
  g_string_append_c(o, ',');
  bench_json_series(o, "cpu_mbps", cpu_mbps, runs);
  g_string_append_printf(o, ",\"units\":%" G_GUINT64_FORMAT ",\"units_name\":\"tokens\"", tokens);
  g_string_append_printf(o, ",\"load_ms\":%.3f,\"maxrss_kb\":%ld,", load_ms, bench_maxrss_kb());
  bench_json_str(o, "dict", dict_path);
  g_string_append_printf(o, ",\"version\":\"%s\"", zhseg_version());
  bench_json_emit(o);
  g_string_free(o, TRUE);
}

int main(int argc, char **argv)
{
  char *mode_name = NULL, *dict_path = NULL;
  gboolean no_hmm = FALSE, once = FALSE;
  gint runs = 5, warmup = 1, threads = 1;
  gint64 limit = 0;
  GOptionEntry entries[] = {
    {"mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, "precise, search, full or all (default all)", "MODE"},
    {"no-hmm", 0, 0, G_OPTION_ARG_NONE, &no_hmm, "HMM off (with one --mode)", NULL},
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "timed runs per configuration (default 5)", "N"},
    {"warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "untimed runs before timing (default 1, at least the check pass)", "N"},
    {"threads", 0, 0, G_OPTION_ARG_INT, &threads, "also measure N threads over one dictionary", "N"},
    {"once", 0, 0, G_OPTION_ARG_NONE, &once, "one untimed pass only (for callgrind)", NULL},
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "dictionary image (default: the search rule)", "PATH"},
    {"limit", 0, 0, G_OPTION_ARG_INT64, &limit, "use only the first BYTES of FILE", "BYTES"},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new("FILE - zhseg segmentation throughput");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 2 || runs < 1 ||
      warmup < 0 || threads < 1 || threads > 64 || limit < 0) {
    fprintf(stderr, "bench_segment: %s\nTry 'bench_segment --help'.\n",
            error != NULL ? error->message : "expected one FILE and sane option values");
    return 2;
  }
  g_option_context_free(ctx);

  static const Config all[] = {
    {"precise", ZHSEG_MODE_PRECISE, TRUE},
    {"precise", ZHSEG_MODE_PRECISE, FALSE},
    {"search", ZHSEG_MODE_SEARCH, TRUE},
    {"full", ZHSEG_MODE_FULL, FALSE},
  };
  Config one;
  const Config *configs = all;
  gsize n_configs = G_N_ELEMENTS(all);
  if (mode_name != NULL && strcmp(mode_name, "all") != 0) {
    if (strcmp(mode_name, "precise") == 0)
      one = (Config){"precise", ZHSEG_MODE_PRECISE, !no_hmm};
    else if (strcmp(mode_name, "search") == 0)
      one = (Config){"search", ZHSEG_MODE_SEARCH, !no_hmm};
    else if (strcmp(mode_name, "full") == 0)
      one = (Config){"full", ZHSEG_MODE_FULL, !no_hmm};
    else {
      fprintf(stderr, "bench_segment: unknown mode '%s'\n", mode_name);
      return 2;
    }
    configs = &one;
    n_configs = 1;
  }

  BenchCorpus corpus;
  if (!bench_corpus_load(&corpus, argv[1], (gsize)limit, &error)) {
    fprintf(stderr, "bench_segment: %s\n", error->message);
    return 1;
  }
  double t0 = bench_now();
  ZhsegDict *dict = zhseg_dict_open(dict_path, &error);
  double load_ms = (bench_now() - t0) * 1e3;
  if (dict == NULL) {
    fprintf(stderr, "bench_segment: %s\n", error->message);
    return 1;
  }
  const char *used_path = zhseg_dict_path(dict);

  int status = 0;
  for (gsize ci = 0; ci < n_configs && status == 0; ci++) {
    const Config *cf = &configs[ci];
    guint flags = cf->hmm ? 0 : ZHSEG_SEGMENTER_NO_HMM;
    static Worker w[64];
    gint n_ready = 0;
    GThread *setup[64];
    for (gint i = 0; i < threads; i++) {
      w[i] = (Worker){.corpus = &corpus, .dict = dict, .mode = cf->mode, .flags = flags,
                      .n_ready = &n_ready, .n_workers = threads, .once = once};
      setup[i] = g_thread_new("setup", setup_main, &w[i]);
    }
    for (gint i = 0; i < threads; i++)
      g_thread_join(setup[i]);

    if (once) {
      double cpu;
      double t = timed_run(w, 1, &cpu);
      double mbps = corpus.len / 1e6 / t, cpu_mbps = corpus.len / 1e6 / cpu;
      emit(cf, 1, &corpus, &mbps, &cpu_mbps, 1, w[0].n_tokens, load_ms, used_path);
    } else {
      guint64 tokens = 0;
      for (gint i = 0; i < threads && status == 0; i++) {
        guint64 n = w[i].n_tokens;
        if (!w[i].ok)
          status = 1;
        else if (i == 0)
          tokens = n;
        else if (n != tokens) {
          fprintf(stderr, "bench_segment: segmenters over one dictionary disagree\n");
          status = 1;
        }
      }
      if (status != 0)
        break;
      for (gint i = 1; i < warmup; i++)
        timed_run(w, (guint)threads, NULL);
      double *mb1 = g_new(double, runs), *mbn = g_new(double, runs);
      double *cpu1 = g_new(double, runs), *cpun = g_new(double, runs);
      for (gint r = 0; r < runs; r++) {
        double cpu;
        mb1[r] = corpus.len / 1e6 / timed_run(w, 1, &cpu);
        cpu1[r] = corpus.len / 1e6 / cpu;
        if (w[0].n_tokens != tokens) {
          fprintf(stderr, "bench_segment: token count changed between runs\n");
          status = 1;
        }
        if (threads > 1) {
          mbn[r] = (double)threads * corpus.len / 1e6 / timed_run(w, (guint)threads, &cpu);
          cpun[r] = (double)threads * corpus.len / 1e6 / cpu; /* per CPU-second, all threads */
        }
      }
      emit(cf, 1, &corpus, mb1, cpu1, (gsize)runs, tokens, load_ms, used_path);
      if (threads > 1)
        emit(cf, (guint)threads, &corpus, mbn, cpun, (gsize)runs, tokens, load_ms, used_path);
      g_free(mb1);
      g_free(mbn);
      g_free(cpu1);
      g_free(cpun);
    }
    for (gint i = 0; i < threads; i++) {
      zhseg_segmenter_free(w[i].seg);
      g_array_free(w[i].tokens, TRUE);
    }
  }
  zhseg_dict_unref(dict);
  bench_corpus_clear(&corpus);
  g_free(mode_name);
  g_free(dict_path);
  return status;
}
