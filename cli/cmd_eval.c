/* zhseg eval: SIGHAN bakeoff scoring of a segmentation against a gold file.
 * Words are compared as character spans per line; recall is split into
 * in-vocabulary and out-of-vocabulary words when a training word list is
 * given. */
#include "cli/cli.h"
#include "cli/input.h"

#include <string.h>

typedef struct {
  guint64 gold, test, correct;
  guint64 oov_gold, oov_correct, iv_gold, iv_correct;
  guint64 lines;
} Score;

/* Splits a line into its words (runs of non-white-space; full-width spaces
 * count as white space, as in the bakeoff's files). */
static GPtrArray *split_words(const char *line)
{
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  const char *p = line;
  while (*p) {
    while (*p && (g_unichar_isspace(g_utf8_get_char(p)) || g_utf8_get_char(p) == 0x3000))
      p = g_utf8_next_char(p);
    const char *start = p;
    while (*p && !g_unichar_isspace(g_utf8_get_char(p)) && g_utf8_get_char(p) != 0x3000)
      p = g_utf8_next_char(p);
    if (p > start)
      g_ptr_array_add(words, g_strndup(start, (gsize)(p - start)));
  }
  return words;
}

static char *join_words(GPtrArray *words)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < words->len; i++)
    g_string_append(s, g_ptr_array_index(words, i));
  return g_string_free(s, FALSE);
}

/* Scores one line; FALSE when the two lines do not hold the same characters. */
static gboolean score_line(Score *sc, GPtrArray *gold, GPtrArray *test, GHashTable *vocab)
{
  char *g = join_words(gold), *t = join_words(test);
  gboolean same = strcmp(g, t) == 0;
  g_free(g);
  g_free(t);
  if (!same)
    return FALSE;
  /* Walk both span lists in step, by character offset. */
  guint i = 0, j = 0;
  glong gpos = 0, tpos = 0;
  while (i < gold->len && j < test->len) {
    const char *gw = g_ptr_array_index(gold, i), *tw = g_ptr_array_index(test, j);
    glong glen = g_utf8_strlen(gw, -1), tlen = g_utf8_strlen(tw, -1);
    if (gpos == tpos && glen == tlen) {
      sc->correct++;
      if (vocab != NULL && !g_hash_table_contains(vocab, gw))
        sc->oov_correct++;
      else if (vocab != NULL)
        sc->iv_correct++;
    }
    if (gpos + glen <= tpos + tlen) {
      gpos += glen;
      i++;
    } else {
      tpos += tlen;
      j++;
    }
  }
  sc->gold += gold->len;
  sc->test += test->len;
  if (vocab != NULL)
    for (guint k = 0; k < gold->len; k++) {
      if (g_hash_table_contains(vocab, g_ptr_array_index(gold, k)))
        sc->iv_gold++;
      else
        sc->oov_gold++;
    }
  sc->lines++;
  return TRUE;
}

static char **read_lines(const char *path, GError **error)
{
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error))
    return NULL;
  if (!g_utf8_validate(text, -1, NULL)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ENCODING, "%s: not valid UTF-8", path);
    g_free(text);
    return NULL;
  }
  /* CRLF or LF; a final newline does not start another line. */
  GPtrArray *parts = g_ptr_array_new();
  for (const char *p = text;;) {
    const char *nl = strchr(p, '\n');
    g_ptr_array_add(parts, nl != NULL ? g_strndup(p, (gsize)(nl - p)) : g_strdup(p));
    if (nl == NULL)
      break;
    p = nl + 1;
  }
  g_ptr_array_add(parts, NULL);
  char **lines = (char **)g_ptr_array_free(parts, FALSE);
  g_free(text);
  guint n = g_strv_length(lines);
  for (guint i = 0; i < n; i++) {
    gsize l = strlen(lines[i]);
    if (l > 0 && lines[i][l - 1] == '\r')
      lines[i][l - 1] = '\0';
  }
  if (n > 0 && lines[n - 1][0] == '\0') {
    g_free(lines[n - 1]);
    lines[n - 1] = NULL;
  }
  return lines;
}

static GPtrArray *segment_line(ZhsegSegmenter *seg, const char *text, GArray *tokens)
{
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  g_array_set_size(tokens, 0);
  zhseg_segmenter_cut(seg, text, strlen(text), tokens);
  for (guint i = 0; i < tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    if (t->type != ZHSEG_TOKEN_SPACE)
      g_ptr_array_add(words, g_strndup(text + t->start, t->end - t->start));
  }
  return words;
}

int cli_cmd_eval(int argc, char **argv)
{
  char *gold_path = NULL, *words_path = NULL, *dict_path = NULL, *mode = NULL;
  char **user = NULL;
  gboolean no_hmm = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    {"gold", 'g', 0, G_OPTION_ARG_FILENAME, &gold_path, "Gold segmentation: one line per input line, words separated by spaces (required)", "FILE"},
    {"words", 'w', 0, G_OPTION_ARG_FILENAME, &words_path, "Training word list, one word per line, for OOV/IV recall", "FILE"},
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "Dictionary image when segmenting the gold text", "FILE"},
    {"user-dict", 'u', 0, G_OPTION_ARG_FILENAME_ARRAY, &user, "User dictionary when segmenting (repeatable)", "FILE"},
    {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "precise (default) or search when segmenting", "MODE"},
    {"no-hmm", 0, 0, G_OPTION_ARG_NONE, &no_hmm, "Segment without the HMM", NULL},
    {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("[SEGMENTED] - score a segmentation as the SIGHAN bakeoff does");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx,
    "Compares SEGMENTED (words separated by spaces, one line per gold line) with\n"
    "the gold file. Without SEGMENTED, segments the gold's own text (its words\n"
    "joined) with the dictionary and scores that. Words are character spans per\n"
    "line: precision = correct/test words, recall = correct/gold words, F1 their\n"
    "harmonic mean; a gold word missing from --words is out-of-vocabulary (OOV).\n\n"
    "Example:\n"
    "  zhseg eval --gold pku_test_gold.utf8 --words pku_training_words.utf8\n"
    "  zhseg cut pku_test.utf8 > out.txt && zhseg eval --gold pku_test_gold.utf8 out.txt\n");
  int status = 2;
  ZhsegDict *dict = NULL;
  ZhsegSegmenter *seg = NULL;
  GHashTable *vocab = NULL;
  char **gold = NULL, **test = NULL;
  GError *error = NULL;
  if (!cli_parse(ctx, &argc, &argv))
    goto out;
  if (gold_path == NULL) {
    fprintf(stderr, "zhseg eval: --gold FILE is required\n");
    goto out;
  }
  ZhsegMode m = ZHSEG_MODE_PRECISE;
  if (mode != NULL && !cli_parse_mode(mode, &m))
    goto out;
  status = 1;
  if ((gold = read_lines(gold_path, &error)) == NULL)
    goto fail;
  if (words_path != NULL) {
    char **w = read_lines(words_path, &error);
    if (w == NULL)
      goto fail;
    vocab = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; w[i] != NULL; i++) {
      char *word = g_strstrip(w[i]);
      if (*word)
        g_hash_table_add(vocab, g_strdup(word));
    }
    g_strfreev(w);
  }
  if (argc > 1) {
    if ((test = read_lines(argv[1], &error)) == NULL)
      goto fail;
    if (g_strv_length(test) != g_strv_length(gold)) {
      g_set_error(&error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "%s has %u lines, %s has %u", argv[1],
                  g_strv_length(test), gold_path, g_strv_length(gold));
      goto fail;
    }
  } else {
    if ((dict = cli_open_dict(dict_path, user, &error)) == NULL)
      goto fail;
    seg = zhseg_segmenter_new(dict, m, no_hmm ? ZHSEG_SEGMENTER_NO_HMM : 0);
  }
  Score sc = {0};
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  gint64 seg_time = 0;
  gsize seg_bytes = 0;
  for (guint i = 0; gold[i] != NULL; i++) {
    GPtrArray *gw = split_words(gold[i]);
    GPtrArray *tw;
    if (test != NULL) {
      tw = split_words(test[i]);
    } else {
      char *text = join_words(gw);
      gint64 t0 = g_get_monotonic_time();
      tw = segment_line(seg, text, tokens);
      seg_time += g_get_monotonic_time() - t0;
      seg_bytes += strlen(text);
      g_free(text);
    }
    gboolean ok = score_line(&sc, gw, tw, vocab);
    g_ptr_array_free(gw, TRUE);
    g_ptr_array_free(tw, TRUE);
    if (!ok) {
      g_set_error(&error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                  "line %u: the segmented line and the gold line hold different characters", i + 1);
      g_array_free(tokens, TRUE);
      goto fail;
    }
  }
  g_array_free(tokens, TRUE);
  double p = sc.test ? (double)sc.correct / sc.test : 0, r = sc.gold ? (double)sc.correct / sc.gold : 0;
  double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
  double oov_r = sc.oov_gold ? (double)sc.oov_correct / sc.oov_gold : 0;
  double iv_r = sc.iv_gold ? (double)sc.iv_correct / sc.iv_gold : 0;
  if (json) {
    printf("{\"lines\":%" G_GUINT64_FORMAT ",\"gold_words\":%" G_GUINT64_FORMAT ",\"test_words\":%" G_GUINT64_FORMAT
           ",\"correct\":%" G_GUINT64_FORMAT ",\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f",
           sc.lines, sc.gold, sc.test, sc.correct, p, r, f);
    if (vocab != NULL)
      printf(",\"oov_rate\":%.4f,\"oov_recall\":%.4f,\"iv_recall\":%.4f",
             sc.gold ? (double)sc.oov_gold / sc.gold : 0, oov_r, iv_r);
    printf("}\n");
  } else {
    printf("lines       %" G_GUINT64_FORMAT "\n", sc.lines);
    printf("gold words  %" G_GUINT64_FORMAT "\ntest words  %" G_GUINT64_FORMAT "\ncorrect     %" G_GUINT64_FORMAT "\n",
           sc.gold, sc.test, sc.correct);
    printf("precision   %.2f%%\nrecall      %.2f%%\nF1          %.2f%%\n", 100 * p, 100 * r, 100 * f);
    if (vocab != NULL)
      printf("OOV rate    %.2f%%\nOOV recall  %.2f%%\nIV recall   %.2f%%\n",
             sc.gold ? 100.0 * sc.oov_gold / sc.gold : 0, 100 * oov_r, 100 * iv_r);
    if (seg != NULL && seg_time > 0)
      fprintf(stderr, "segmented %" G_GSIZE_FORMAT " bytes in %.1f ms\n", seg_bytes, seg_time / 1000.0);
  }
  status = 0;
  goto out;
fail:
  status = cli_fail(error);
out:
  g_strfreev(gold);
  g_strfreev(test);
  if (vocab != NULL)
    g_hash_table_destroy(vocab);
  zhseg_segmenter_free(seg);
  zhseg_dict_unref(dict);
  g_option_context_free(ctx);
  g_free(gold_path);
  g_free(words_path);
  g_free(dict_path);
  g_free(mode);
  g_strfreev(user);
  return status;
}
