/* bench_dictopen: how long zhseg_dict_open() takes on the default image (or
 * --dict PATH), with the page cache warm and cold, and what a process that
 * opens it and segments one sentence costs in resident memory.
 *
 * Warm: the median of --warm N open+unref pairs after one untimed open.
 * Cold: before each of --cold N opens, the image's pages are dropped from the
 *   page cache with posix_fadvise(POSIX_FADV_DONTNEED) (as vmtouch -e does;
 *   needs no privilege, but only drops pages no other process has mapped or
 *   dirty). Whether it worked is checked with mincore() and reported as the
 *   fraction of the image still resident after each eviction.
 * Both also time "open + first cut": opening and then segmenting one short
 * sentence, the latency a command-line user waits before the first token
 * (with a lazily paged image, the cold cost shows up there).
 *
 *   bench_dictopen [--warm N] [--cold N] [--dict PATH]
 */
#include "bench/bench_common.h"
#include "include/zhseg.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char probe[] = "近年来，锡林郭勒盟认真贯彻党的十九大精神，社区开展志愿服务。";

/* Fraction (0..1) of the file's pages in the page cache, or -1 if unknown. */
static double resident_fraction(const char *path)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  struct stat sb;
  double r = -1;
  if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m != MAP_FAILED) {
      long pg = sysconf(_SC_PAGESIZE);
      size_t n = ((size_t)sb.st_size + (size_t)pg - 1) / (size_t)pg;
      unsigned char *vec = g_malloc(n);
      if (mincore(m, (size_t)sb.st_size, vec) == 0) {
        size_t in = 0;
        for (size_t i = 0; i < n; i++)
          in += vec[i] & 1;
        r = (double)in / (double)n;
      }
      g_free(vec);
      munmap(m, (size_t)sb.st_size);
    }
  }
  close(fd);
  return r;
}

static gboolean evict(const char *path)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return FALSE;
  /* Dirty pages (an image the build just wrote) are not dropped: write
   * them back first. */
  fdatasync(fd);
  int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  close(fd);
  return rc == 0;
}

/* Opens, optionally cuts the probe, unrefs. Stores the open time and the
 * open+cut time in ms. Exits on failure: a broken open is a broken bench. */
static void open_once(const char *path, GArray *tokens, double *open_ms, double *first_ms)
{
  GError *error = NULL;
  double t0 = bench_now();
  ZhsegDict *d = zhseg_dict_open(path, &error);
  double t1 = bench_now();
  if (d == NULL) {
    fprintf(stderr, "bench_dictopen: %s\n", error->message);
    exit(1);
  }
  ZhsegSegmenter *s = zhseg_segmenter_new(d, ZHSEG_MODE_PRECISE, 0);
  zhseg_segmenter_cut(s, probe, sizeof probe - 1, tokens);
  double t2 = bench_now();
  if (tokens->len == 0) {
    fprintf(stderr, "bench_dictopen: no tokens for the probe sentence\n");
    exit(1);
  }
  g_array_set_size(tokens, 0);
  zhseg_segmenter_free(s);
  zhseg_dict_unref(d);
  *open_ms = (t1 - t0) * 1e3;
  *first_ms = (t2 - t0) * 1e3;
}

static void emit(const char *cache, const char *path, gsize image_size, const double *open_ms,
                 const double *first_ms, gsize n, const double *resident)
{
  GString *o = g_string_new(NULL);
  g_string_append(o, "\"bench\":\"dictopen\",\"impl\":\"zhseg\",");
  bench_json_str(o, "cache", cache);
  g_string_append_printf(o, ",\"runs\":%zu,\"image_bytes\":%zu,", n, image_size);
  bench_json_series(o, "open_ms", open_ms, n);
  g_string_append_c(o, ',');
  bench_json_series(o, "first_cut_ms", first_ms, n);
  if (resident != NULL) {
    g_string_append_c(o, ',');
    bench_json_series(o, "resident_after_evict", resident, n);
    double med, min, max;
    bench_stats(resident, n, &med, &min, &max);
    g_string_append_printf(o, ",\"eviction_worked\":%s", max >= 0 && med < 0.05 ? "true" : "false");
  }
  g_string_append_c(o, ',');
  bench_json_str(o, "dict", path);
  bench_json_emit(o);
  g_string_free(o, TRUE);
}

int main(int argc, char **argv)
{
  gint warm = 200, cold = 10;
  char *dict_arg = NULL;
  GOptionEntry entries[] = {
    {"warm", 0, 0, G_OPTION_ARG_INT, &warm, "warm opens (default 200)", "N"},
    {"cold", 0, 0, G_OPTION_ARG_INT, &cold, "cold opens (default 10; 0 skips)", "N"},
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_arg, "dictionary image (default: the search rule)", "PATH"},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new("- dictionary open time and memory");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 1 || warm < 1 || cold < 0) {
    fprintf(stderr, "bench_dictopen: %s\nTry 'bench_dictopen --help'.\n",
            error != NULL ? error->message : "no FILE expected; sane option values");
    return 2;
  }
  g_option_context_free(ctx);

  char *path = zhseg_find_data_file(dict_arg, "ZHSEG_DICT", ZHSEG_DEFAULT_DICT_NAME, &error);
  if (path == NULL) {
    fprintf(stderr, "bench_dictopen: %s\n", error->message);
    return 1;
  }
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));

  /* First: one open + cut in a fresh process, for the resident-set figure
   * (before the loops below add their own noise). */
  long rss0 = bench_maxrss_kb();
  double o_ms, f_ms;
  open_once(path, tokens, &o_ms, &f_ms);
  long rss1 = bench_maxrss_kb();
  GError *e2 = NULL;
  ZhsegDict *d = zhseg_dict_open(path, &e2);
  gsize image_size = d != NULL ? zhseg_dict_image_size(d) : 0;
  double tv = bench_now();
  gboolean verified = d != NULL && zhseg_dict_verify(d, NULL);
  double verify_ms = (bench_now() - tv) * 1e3;
  zhseg_dict_unref(d);
  g_clear_error(&e2);

  GString *o = g_string_new(NULL);
  g_string_append(o, "\"bench\":\"dictmem\",\"impl\":\"zhseg\",");
  g_string_append_printf(o, "\"image_bytes\":%zu,\"maxrss_before_kb\":%ld,\"maxrss_after_kb\":%ld,"
                            "\"verify_ms\":%.3f,\"verified\":%s",
                         image_size, rss0, rss1, verify_ms, verified ? "true" : "false");
  bench_json_emit(o);
  g_string_free(o, TRUE);

  double *om = g_new(double, MAX(warm, cold)), *fm = g_new(double, MAX(warm, cold));
  for (gint i = 0; i < warm; i++)
    open_once(path, tokens, &om[i], &fm[i]);
  emit("warm", path, image_size, om, fm, (gsize)warm, NULL);

  if (cold > 0) {
    double *res = g_new(double, cold);
    for (gint i = 0; i < cold; i++) {
      if (!evict(path))
        fprintf(stderr, "bench_dictopen: posix_fadvise failed on %s\n", path);
      res[i] = resident_fraction(path);
      open_once(path, tokens, &om[i], &fm[i]);
    }
    emit("cold", path, image_size, om, fm, (gsize)cold, res);
    g_free(res);
  }
  g_free(om);
  g_free(fm);
  g_array_free(tokens, TRUE);
  g_free(path);
  g_free(dict_arg);
  return 0;
}
