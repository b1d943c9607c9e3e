/* Helpers shared by the C benchmark programs (header-only, not part of
 * libzhseg): reading the corpus, splitting it into the pieces every
 * segmenter is fed, timing, medians, and the one JSON line each measurement
 * is printed as.
 *
 * Every bench program prints one JSON object per line on stdout, in the
 * schema bench/report.py reads:
 *   {"bench":"segment","impl":"zhseg","mode":"precise","hmm":true,
 *    "threads":1,"bytes":N,"runs":5,"mbps":[...],"mbps_median":..,
 *    "mbps_min":..,"mbps_max":..,"cpu_mbps":[...],"cpu_mbps_median":..,
 *    "units":N,"units_name":"tokens",
 *    "maxrss_kb":N, ...}
 * mbps is over wall-clock time, cpu_mbps over the process's CPU time.
 * Human-readable notes go to stderr. */
#ifndef ZHSEG_BENCH_COMMON_H
#define ZHSEG_BENCH_COMMON_H

#include <glib.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* A piece of the corpus: [off, off+len). */
typedef struct {
  gsize off;
  gsize len;
} BenchPiece;

typedef struct {
  char *data;          /* the whole file, NUL-terminated */
  gsize len;
  BenchPiece *pieces;  /* lines (newline kept), long lines split */
  gsize n_pieces;
} BenchCorpus;

/* Longest piece handed to a segmenter in one call. A line longer than this
 * (a file without line breaks) is split after a 。 if one is near the limit,
 * else at a character boundary. */
#define BENCH_MAX_PIECE (64 * 1024)

static inline double bench_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (all its threads), in seconds. With one
 * busy thread this is the time the work really had a CPU: unlike the wall
 * clock it does not grow while other processes hold the CPU. */
static inline double bench_cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline long bench_maxrss_kb(void)
{
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    return -1;
  return ru.ru_maxrss; /* kilobytes on Linux */
}

static inline gsize bench_split_point(const char *s, gsize len)
{
  /* Prefer just after the last 。 (E3 80 82) in the last quarter. */
  for (gsize i = len; i >= 3 && i > len - len / 4; i--)
    if ((guchar)s[i - 3] == 0xE3 && (guchar)s[i - 2] == 0x80 && (guchar)s[i - 1] == 0x82)
      return i;
  gsize i = len;
  while (i > 1 && ((guchar)s[i] & 0xC0) == 0x80)
    i--;
  return i;
}

static inline void bench_corpus_split(BenchCorpus *c)
{
  GArray *p = g_array_new(FALSE, FALSE, sizeof(BenchPiece));
  gsize i = 0;
  while (i < c->len) {
    const char *nl = memchr(c->data + i, '\n', c->len - i);
    gsize end = nl != NULL ? (gsize)(nl - c->data) + 1 : c->len;
    while (end - i > BENCH_MAX_PIECE) {
      gsize cut = bench_split_point(c->data + i, BENCH_MAX_PIECE);
      BenchPiece piece = {i, cut};
      g_array_append_val(p, piece);
      i += cut;
    }
    BenchPiece piece = {i, end - i};
    if (piece.len > 0)
      g_array_append_val(p, piece);
    i = end;
  }
  c->n_pieces = p->len;
  c->pieces = (BenchPiece *)(void *)g_array_free(p, FALSE);
}

/* Reads `path` and splits it. `limit` > 0 keeps only the first `limit`
 * bytes (cut back to a line end when there is one in the last half). */
static inline gboolean bench_corpus_load(BenchCorpus *c, const char *path, gsize limit,
                                         GError **error)
{
  memset(c, 0, sizeof *c);
  if (!g_file_get_contents(path, &c->data, &c->len, error))
    return FALSE;
  if (limit > 0 && c->len > limit) {
    gsize l = limit;
    while (l > limit / 2 && c->data[l - 1] != '\n')
      l--;
    if (l == limit / 2)
      l = bench_split_point(c->data, limit);
    c->len = l;
    c->data[l] = '\0';
  }
  bench_corpus_split(c);
  return TRUE;
}

static inline void bench_corpus_clear(BenchCorpus *c)
{
  g_free(c->data);
  g_free(c->pieces);
  memset(c, 0, sizeof *c);
}

static int bench_cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Median (mean of the two middle values for an even count), min, max. */
static inline void bench_stats(const double *v, gsize n, double *median, double *min, double *max)
{
  double *s = g_new(double, n > 0 ? n : 1);
  if (n > 0)
    memcpy(s, v, n * sizeof *s);
  qsort(s, n, sizeof *s, bench_cmp_double);
  *min = n > 0 ? s[0] : 0;
  *max = n > 0 ? s[n - 1] : 0;
  *median = n == 0 ? 0 : (n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
  g_free(s);
}

/* Appends `"key":[v0,v1,...],"key_median":m,"key_min":a,"key_max":b`. */
static inline void bench_json_series(GString *out, const char *key, const double *v, gsize n)
{
  double med, min, max;
  bench_stats(v, n, &med, &min, &max);
  g_string_append_printf(out, "\"%s\":[", key);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf(out, "%s%.4f", i ? "," : "", v[i]);
  g_string_append_printf(out, "],\"%s_median\":%.4f,\"%s_min\":%.4f,\"%s_max\":%.4f", key, med,
                         key, min, key, max);
}

/* Appends `"key":"value"` with the value JSON-escaped. */
static inline void bench_json_str(GString *out, const char *key, const char *value)
{
  g_string_append_printf(out, "\"%s\":\"", key);
  for (const char *p = value; *p; p++) {
    guchar ch = (guchar)*p;
    if (ch == '"' || ch == '\\')
      g_string_append_printf(out, "\\%c", ch);
    else if (ch < 0x20)
      g_string_append_printf(out, "\\u%04x", ch);
    else
      g_string_append_c(out, (char)ch);
  }
  g_string_append_c(out, '"');
}

static inline void bench_json_emit(GString *out)
{
  printf("{%s}\n", out->str);
  fflush(stdout);
  g_string_truncate(out, 0);
}

/* Parses a positive integer option value; exits with status 2 on error. */
static inline long bench_parse_long(const char *prog, const char *opt, const char *v, long min)
{
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || end == v || x < min) {
    fprintf(stderr, "%s: bad value for %s: '%s'\n", prog, opt, v);
    exit(2);
  }
  return x;
}

#endif
