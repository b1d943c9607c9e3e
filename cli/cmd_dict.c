/* zhseg dict build|info|lookup: the dictionary image from the command line. */
#include "cli/cli.h"

#include <string.h>

static int dict_build(int argc, char **argv)
{
  char *out = NULL, *hmm = NULL;
  GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the image to FILE (required)", "FILE"},
    {"hmm", 0, 0, G_OPTION_ARG_FILENAME, &hmm, "HMM table (format of dict/jieba/hmm.tsv); without it the image has no HMM", "FILE"},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("LEXICON... - compile text lexicons into one dictionary image");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx,
    "Lexicon lines are 'word [freq] [tag]', separated by spaces, or by TABs when\n"
    "the line holds a TAB (then a word may contain spaces); '#' starts a comment.\n"
    "A word without a frequency counts 1; a word listed twice keeps its last entry.\n\n"
    "Example:\n  zhseg dict build --hmm dict/jieba/hmm.tsv -o my.zdict dict/jieba/dict.txt extra.txt\n");
  int status = 2;
  if (cli_parse(ctx, &argc, &argv)) {
    if (out == NULL || argc < 2) {
      fprintf(stderr, "zhseg dict build: need -o FILE and at least one LEXICON\n");
    } else {
      GError *error = NULL;
      gint64 t0 = g_get_monotonic_time();
      if (zhseg_dict_compile((const char *const *)argv + 1, (gsize)argc - 1, hmm, out, &error)) {
        fprintf(stderr, "zhseg: wrote %s in %.2f s\n", out, (g_get_monotonic_time() - t0) / 1e6);
        status = 0;
      } else {
        status = cli_fail(error);
      }
    }
  }
  g_option_context_free(ctx);
  g_free(out);
  g_free(hmm);
  return status;
}

static int compare_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int dict_info(int argc, char **argv)
{
  char *dict_path = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "Image to inspect (default: the search rule)", "FILE"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("[FILE] - describe a dictionary image, verify its checksum and time its opening");
  g_option_context_add_main_entries(ctx, entries, NULL);
  int status = 2;
  if (!cli_parse(ctx, &argc, &argv))
    goto out;
  if (argc > 1 && dict_path == NULL)
    dict_path = g_strdup(argv[1]);
  GError *error = NULL;
  ZhsegDict *dict = zhseg_dict_open(dict_path, &error);
  if (dict == NULL) {
    status = cli_fail(error);
    goto out;
  }
  /* Open time with a warm page cache: median of repeated opens. */
  enum { RUNS = 21 };
  double times[RUNS];
  for (int i = 0; i < RUNS; i++) {
    gint64 t0 = g_get_monotonic_time();
    ZhsegDict *again = zhseg_dict_open(zhseg_dict_path(dict), NULL);
    times[i] = (g_get_monotonic_time() - t0) / 1000.0;
    zhseg_dict_unref(again);
  }
  qsort(times, RUNS, sizeof times[0], compare_double);
  gint64 t0 = g_get_monotonic_time();
  gboolean ok = zhseg_dict_verify(dict, &error);
  double verify_ms = (g_get_monotonic_time() - t0) / 1000.0;
  if (json) {
    printf("{\"path\":\"%s\",\"bytes\":%" G_GSIZE_FORMAT ",\"words\":%" G_GSIZE_FORMAT
           ",\"total_freq\":%.0f,\"hmm\":%s,\"checksum\":\"%016" G_GINT64_MODIFIER "x\",\"checksum_ok\":%s,"
           "\"open_ms_median\":%.3f,\"open_ms_min\":%.3f,\"open_ms_max\":%.3f,\"verify_ms\":%.3f}\n",
           zhseg_dict_path(dict), zhseg_dict_image_size(dict), zhseg_dict_n_words(dict),
           zhseg_dict_total_freq(dict), zhseg_dict_has_hmm(dict) ? "true" : "false",
           zhseg_dict_checksum(dict), ok ? "true" : "false", times[RUNS / 2], times[0],
           times[RUNS - 1], verify_ms);
  } else {
    printf("path        %s\n", zhseg_dict_path(dict));
    printf("size        %" G_GSIZE_FORMAT " bytes\n", zhseg_dict_image_size(dict));
    printf("words       %" G_GSIZE_FORMAT "\n", zhseg_dict_n_words(dict));
    printf("total freq  %.0f\n", zhseg_dict_total_freq(dict));
    printf("HMM tables  %s\n", zhseg_dict_has_hmm(dict) ? "yes" : "no");
    printf("checksum    %016" G_GINT64_MODIFIER "x (XXH3-64) %s, verified in %.2f ms\n",
           zhseg_dict_checksum(dict), ok ? "OK" : "MISMATCH", verify_ms);
    printf("open time   %.3f ms median of %d warm opens (min %.3f, max %.3f; structure checked, checksum apart)\n",
           times[RUNS / 2], RUNS, times[0], times[RUNS - 1]);
  }
  status = ok ? 0 : cli_fail(error);
  zhseg_dict_unref(dict);
out:
  g_option_context_free(ctx);
  g_free(dict_path);
  return status;
}

static int dict_lookup(int argc, char **argv)
{
  char *dict_path = NULL;
  char **user = NULL;
  GOptionEntry entries[] = {
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "Dictionary image (default: the search rule)", "FILE"},
    {"user-dict", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &user, "Overlay a user dictionary (repeatable)", "FILE"},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("WORD... - look words up: prints word, frequency and tag (TSV)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx, "Exit status 1 when a word is not in the dictionary.\n\n"
                                        "Example:\n  zhseg dict lookup 社区 网格化管理\n");
  int status = 2;
  if (cli_parse(ctx, &argc, &argv)) {
    GError *error = NULL;
    ZhsegDict *dict = cli_open_dict(dict_path, user, &error);
    if (dict == NULL) {
      status = cli_fail(error);
    } else {
      status = argc > 1 ? 0 : 2;
      for (int i = 1; i < argc; i++) {
        double freq;
        const char *tag;
        if (zhseg_dict_lookup(dict, argv[i], -1, &freq, &tag)) {
          printf("%s\t%.0f\t%s\n", argv[i], freq, tag);
        } else {
          printf("%s\t\t(not found)\n", argv[i]);
          status = 1;
        }
      }
      zhseg_dict_unref(dict);
    }
  }
  g_option_context_free(ctx);
  g_free(dict_path);
  g_strfreev(user);
  return status;
}

int cli_cmd_dict(int argc, char **argv)
{
  if (argc >= 2 && strcmp(argv[1], "build") == 0)
    return dict_build(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "info") == 0)
    return dict_info(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "lookup") == 0)
    return dict_lookup(argc - 1, argv + 1);
  FILE *out = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? stdout : stderr;
  fprintf(out, "Usage: zhseg dict build -o OUT.zdict [--hmm FILE] LEXICON...\n"
               "       zhseg dict info [FILE]      entries, size, checksum, open time\n"
               "       zhseg dict lookup WORD...   frequency and tag of words\n"
               "Run 'zhseg dict SUBCOMMAND --help' for options.\n");
  return out == stdout ? 0 : 2;
}
