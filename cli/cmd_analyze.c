/* zhseg analyze: counts, rankings, co-occurrence and keyness over a stack of
 * articles. Articles are segmented and counted in parallel (a GLib thread
 * pool, one segmenter per worker); counts are merged by article number, so
 * the output does not depend on the number of threads. */
#include "cli/analyze.h"

#include <string.h>
#include <unistd.h>

typedef struct {
  ZhsegCorpus *corpus;
  GAsyncQueue *workers; /* idle AnalyzeWorker */
  GMutex lock;
  GCond cond;
  guint in_flight;
  guint done;
  guint64 tokens;
  GError *error; /* first error */
  gboolean progress;
  gint64 started, last_progress;
  const char *what;
} Run;

typedef struct {
  guint index;
  AnalyzeArticle *article;
} Job;

static void run_job(gpointer data, gpointer user_data)
{
  Job *job = data;
  Run *run = user_data;
  AnalyzeWorker *w = g_async_queue_pop(run->workers);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  const char *text;
  gsize len;
  GError *error = NULL;
  guint64 n_tokens = 0;
  if (analyze_text_to_tokens(w, job->article->text, job->article->len, &text, &len, tokens,
                             &error)) {
    ZhsegDocCounts *doc =
        zhseg_corpus_count(run->corpus, text, len, (const ZhsegToken *)tokens->data, tokens->len);
    n_tokens = zhseg_doc_counts_tokens(doc);
    zhseg_corpus_add(run->corpus, job->index, job->article->id, job->article->path, doc, &error);
  } else {
    g_prefix_error(&error, "%s: ", job->article->path ? job->article->path : job->article->id);
  }
  g_async_queue_push(run->workers, w);
  g_array_free(tokens, TRUE);
  analyze_article_free(job->article);
  g_free(job);

  g_mutex_lock(&run->lock);
  if (error != NULL && run->error == NULL)
    run->error = error;
  else
    g_clear_error(&error);
  run->in_flight--;
  run->done++;
  run->tokens += n_tokens;
  if (run->progress) {
    gint64 now = g_get_monotonic_time();
    if (now - run->started > G_USEC_PER_SEC && now - run->last_progress > G_USEC_PER_SEC / 5) {
      run->last_progress = now;
      fprintf(stderr, "\rzhseg analyze: %s: %u articles, %" G_GUINT64_FORMAT " tokens, %.1f s ",
              run->what, run->done, run->tokens, (now - run->started) / 1e6);
    }
  }
  g_cond_signal(&run->cond);
  g_mutex_unlock(&run->lock);
}

/* Reads every article of `paths` into `corpus`. */
static gboolean count_inputs(ZhsegCorpus *corpus, ZhsegDict *dict, char **paths, gboolean jsonl,
                             ZhsegMode mode, guint seg_flags, const CliNormOptions *norm_options,
                             guint threads, const char *what, GError **error)
{
  AnalyzeInput *in = analyze_input_new(paths, jsonl, error);
  if (in == NULL)
    return FALSE;
  Run run = {0};
  run.corpus = corpus;
  run.what = what;
  run.progress = isatty(2);
  run.started = g_get_monotonic_time();
  g_mutex_init(&run.lock);
  g_cond_init(&run.cond);
  run.workers = g_async_queue_new_full((GDestroyNotify)analyze_worker_free);
  for (guint i = 0; i < threads; i++) {
    AnalyzeWorker *w = analyze_worker_new(dict, mode, seg_flags, norm_options, error);
    if (w == NULL) {
      g_async_queue_unref(run.workers);
      analyze_input_free(in);
      return FALSE;
    }
    g_async_queue_push(run.workers, w);
  }
  GThreadPool *pool = g_thread_pool_new(run_job, &run, (gint)threads, FALSE, NULL);
  guint index = 0;
  GError *read_error = NULL;
  for (;;) {
    /* Bound the articles held in memory: a few per worker. */
    g_mutex_lock(&run.lock);
    while (run.in_flight >= 4 * threads)
      g_cond_wait(&run.cond, &run.lock);
    gboolean failed = run.error != NULL;
    g_mutex_unlock(&run.lock);
    if (failed)
      break;
    AnalyzeArticle *a = analyze_input_next(in, &read_error);
    if (a == NULL)
      break;
    Job *job = g_new(Job, 1);
    job->index = index++;
    job->article = a;
    g_mutex_lock(&run.lock);
    run.in_flight++;
    g_mutex_unlock(&run.lock);
    g_thread_pool_push(pool, job, NULL);
  }
  g_thread_pool_free(pool, FALSE, TRUE);
  if (run.progress && run.last_progress != 0)
    fprintf(stderr, "\r\033[K");
  g_async_queue_unref(run.workers);
  g_mutex_clear(&run.lock);
  g_cond_clear(&run.cond);
  analyze_input_free(in);
  if (read_error != NULL) {
    g_clear_error(&run.error);
    g_propagate_error(error, read_error);
    return FALSE;
  }
  if (run.error != NULL) {
    g_propagate_error(error, run.error);
    return FALSE;
  }
  return TRUE;
}

static gboolean parse_enum(const char *value, const char *const *names, int *out)
{
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp(value, names[i]) == 0) {
      *out = i;
      return TRUE;
    }
  return FALSE;
}

int cli_cmd_analyze(int argc, char **argv)
{
  char *dict_path = NULL, **user_dicts = NULL, *lexicon_name = NULL, *stopwords_name = NULL;
  char **extra_stopwords = NULL, *pos = NULL, *mode_name = NULL, *idf_name = NULL;
  char *term = NULL, *reference = NULL, *format_name = NULL, *table = NULL, *rank_name = NULL;
  char *svg_dir = NULL, *scope_name = NULL, **inputs = NULL;
  gint window = 5, min_count = 3, top = 20, threads = 0;
  gboolean jsonl = FALSE, no_hmm = FALSE, raw = FALSE;
  CliNormOptions nopts = {0};
  GOptionEntry entries[] = {
      {"lexicon", 'l', 0, G_OPTION_ARG_STRING, &lexicon_name,
       "Terms grouped in concepts: a bundled lexicon (governance) or a file of term<TAB>concept lines; its terms also enter the segmenter as user words",
       "NAME|FILE"},
      {"stopwords", 0, 0, G_OPTION_ARG_STRING, &stopwords_name,
       "Stop-word list replacing the default (zh: stopwords-iso); 'none' for none", "NAME|FILE"},
      {"add-stopwords", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &extra_stopwords,
       "More stop words (a file, one a line; repeatable)", "FILE"},
      {"pos", 0, 0, G_OPTION_ARG_STRING, &pos,
       "POS tags of content words (default n,nr,ns,nt,nz,nw,vn,v,an,i,l,j,eng)", "TAGS"},
      {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode_name,
       "precise (default) or search (also count the sub-words of compounds)", "MODE"},
      {"dict", 'd', 0, G_OPTION_ARG_FILENAME, &dict_path, "Dictionary image", "FILE"},
      {"user-dict", 'u', 0, G_OPTION_ARG_FILENAME_ARRAY, &user_dicts,
       "User dictionary (repeatable)", "FILE"},
      {"no-hmm", 0, 0, G_OPTION_ARG_NONE, &no_hmm, "Do not recover unknown words with the HMM",
       NULL},
      {"raw", 0, 0, G_OPTION_ARG_NONE, &raw,
       "Segment the bytes as given (UTF-8), without the normalizer", NULL},
      {"idf", 0, 0, G_OPTION_ARG_STRING, &idf_name,
       "IDF for TF-IDF: jieba (default, jieba's idf.txt), collection (smoothed, from these articles) or a file of `word idf` lines",
       "SOURCE"},
      {"window", 'w', 0, G_OPTION_ARG_INT, &window, "Co-occurrence window: ±N content words (5)",
       "N"},
      {"min-count", 0, 0, G_OPTION_ARG_INT, &min_count,
       "Minimum joint count of a co-occurring pair (3)", "N"},
      {"term", 't', 0, G_OPTION_ARG_STRING, &term, "List the collocates of one term", "TERM"},
      {"scope", 0, 0, G_OPTION_ARG_STRING, &scope_name,
       "Co-occurrence scope of collocation tables: window (default) or sentence", "SCOPE"},
      {"reference", 'r', 0, G_OPTION_ARG_FILENAME, &reference,
       "Reference collection (files or a folder) for keyness", "DIR"},
      {"format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "text (default), tsv, csv or json",
       "FORMAT"},
      {"table", 0, 0, G_OPTION_ARG_STRING, &table,
       "Table for tsv/csv: terms (default), articles, collocations, keyness, concepts", "TABLE"},
      {"rank", 0, 0, G_OPTION_ARG_STRING, &rank_name,
       "Rank terms by count (default), df, tfidf, textrank or keyness", "BY"},
      {"top", 'n', 0, G_OPTION_ARG_INT, &top, "Terms in the report and charts (20)", "N"},
      {"svg", 0, 0, G_OPTION_ARG_FILENAME, &svg_dir,
       "Write bar.svg, heatmap.svg and network.svg into DIR", "DIR"},
      {"threads", 'j', 0, G_OPTION_ARG_INT, &threads, "Worker threads (default: CPUs)", "N"},
      {"jsonl", 0, 0, G_OPTION_ARG_NONE, &jsonl,
       "Read stdin and files as JSON Lines ({\"id\", \"date\", \"title\", \"text\"} per line; "
       "automatic for .jsonl/.ndjson files)",
       NULL},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, "[FILE|DIR...]"},
      G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("[FILE|DIR...] — rank terms across articles");
  g_option_context_set_summary(
      ctx, "Each file is one article (.txt; folders are walked), or one article per line of\n"
           "JSON Lines; no input or '-' reads stdin. Every article is normalized (any of\n"
           "UTF-8, UTF-16, GB18030/GBK, Big5; see --help-normalize), then segmented. Reports term counts, document\n"
           "frequency, TF-IDF, TextRank, collocations (PMI, NPMI, G², logDice) and keyness.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  cli_norm_add_options(ctx, &nopts, FALSE);
  int status = 2;
  ZhsegDict *base = NULL, *dict = NULL;
  ZhsegTermLexicon *lex = NULL;
  ZhsegStopwords *sw = NULL;
  ZhsegIdf *idf = NULL;
  ZhsegCorpus *corpus = NULL, *ref_corpus = NULL;
  ZhsegStats *st = NULL;
  GError *error = NULL;
  if (!cli_parse(ctx, &argc, &argv))
    goto out;

  AnalyzeReport r = {0};
  int v = 0;
  static const char *const formats[] = {"text", "tsv", "csv", "json", NULL};
  static const char *const ranks[] = {"count", "df", "tfidf", "textrank", "keyness", NULL};
  static const char *const scopes[] = {"window", "sentence", NULL};
  static const char *const modes[] = {"precise", "search", NULL};
  if (format_name && !parse_enum(format_name, formats, &v)) {
    fprintf(stderr, "zhseg analyze: unknown format '%s' (text, tsv, csv, json)\n", format_name);
    goto out;
  }
  r.format = format_name ? (AnalyzeFormat)v : FORMAT_TEXT;
  if (rank_name && !parse_enum(rank_name, ranks, &v)) {
    fprintf(stderr, "zhseg analyze: unknown ranking '%s' (count, df, tfidf, textrank, keyness)\n",
            rank_name);
    goto out;
  }
  r.rank = rank_name ? (ZhsegRankBy)v : ZHSEG_RANK_COUNT;
  if (scope_name && !parse_enum(scope_name, scopes, &v)) {
    fprintf(stderr, "zhseg analyze: unknown scope '%s' (window, sentence)\n", scope_name);
    goto out;
  }
  r.scope = scope_name ? (ZhsegCoocScope)v : ZHSEG_COOC_WINDOW;
  ZhsegMode mode = ZHSEG_MODE_PRECISE;
  if (mode_name && !parse_enum(mode_name, modes, &v)) {
    fprintf(stderr, "zhseg analyze: unknown mode '%s' (precise, search)\n", mode_name);
    goto out;
  }
  if (mode_name && v == 1)
    mode = ZHSEG_MODE_SEARCH;
  if (window < 1 || min_count < 1 || top < 1 || threads < 0) {
    fprintf(stderr, "zhseg analyze: --window, --min-count and --top must be at least 1\n");
    goto out;
  }
  if (r.rank == ZHSEG_RANK_KEYNESS && reference == NULL) {
    fprintf(stderr, "zhseg analyze: --rank keyness needs --reference\n");
    goto out;
  }
  if (threads == 0)
    threads = (gint)MAX(1, g_get_num_processors());
  r.table = table ? table : "terms";
  static const char *const tables[] = {"terms", "articles", "collocations", "keyness", "concepts",
                                       NULL};
  if (!parse_enum(r.table, tables, &v)) {
    fprintf(stderr,
            "zhseg analyze: unknown table '%s' (terms, articles, collocations, keyness, "
            "concepts)\n",
            r.table);
    goto out;
  }
  r.top = top;
  r.term = term;
  r.window = window;
  r.min_count = min_count;
  r.idf_name = idf_name ? idf_name : "jieba";
  r.lexicon_name = lexicon_name;
  status = 1;

  /* Data: lexicon, stop words, IDF, dictionary (with the lexicon overlaid). */
  if (lexicon_name != NULL && (lex = zhseg_term_lexicon_load(lexicon_name, &error)) == NULL)
    goto fail;
  r.lexicon = lex;
  sw = zhseg_stopwords_new();
  if (stopwords_name == NULL || strcmp(stopwords_name, "none") != 0)
    if (!zhseg_stopwords_add_file(sw, stopwords_name ? stopwords_name : "zh", &error))
      goto fail;
  for (char **p = extra_stopwords; p && *p; p++)
    if (!zhseg_stopwords_add_file(sw, *p, &error))
      goto fail;
  ZhsegIdfSource idf_source = ZHSEG_IDF_TABLE;
  if (idf_name != NULL && strcmp(idf_name, "collection") == 0)
    idf_source = ZHSEG_IDF_COLLECTION;
  else if ((idf = zhseg_idf_load(idf_name && strcmp(idf_name, "jieba") ? idf_name : NULL,
                                 &error)) == NULL)
    goto fail;
  if ((base = cli_open_dict(dict_path, user_dicts, &error)) == NULL)
    goto fail;
  if (lex != NULL) {
    char *text = zhseg_term_lexicon_user_dict_text(lex);
    dict = zhseg_dict_new_overlay(base, text, -1, lexicon_name, &error);
    g_free(text);
    if (dict == NULL)
      goto fail;
  } else {
    dict = zhseg_dict_ref(base);
  }
  guint seg_flags = no_hmm ? ZHSEG_SEGMENTER_NO_HMM : 0;
  corpus = zhseg_corpus_new(dict, lex, sw);
  if (pos != NULL && !zhseg_corpus_set_content_tags(corpus, pos, &error))
    goto fail;
  zhseg_corpus_set_window(corpus, window);
  const CliNormOptions *norm_options = raw ? NULL : &nopts;
  if (!count_inputs(corpus, dict, inputs, jsonl, mode, seg_flags, norm_options, threads,
                    "articles", &error))
    goto fail;
  if (reference != NULL) {
    ref_corpus = zhseg_corpus_new(dict, lex, sw);
    if (pos != NULL && !zhseg_corpus_set_content_tags(ref_corpus, pos, &error))
      goto fail;
    zhseg_corpus_set_window(ref_corpus, window);
    char *ref_paths[] = {reference, NULL};
    if (!count_inputs(ref_corpus, dict, ref_paths, FALSE, mode, seg_flags, norm_options, threads,
                      "reference", &error))
      goto fail;
  }
  st = zhseg_corpus_compute(corpus, ref_corpus, idf_source, idf, min_count, &error);
  if (st == NULL)
    goto fail;
  if (term != NULL && zhseg_stats_find_term(st, term) < 0)
    fprintf(stderr, "zhseg analyze: '%s' is not a term of these articles\n", term);
  if (svg_dir != NULL && !analyze_write_svg(svg_dir, st, &r, &error))
    goto fail;
  if (!analyze_write(stdout, st, &r, &error)) {
    status = 2;
    goto fail;
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "zhseg analyze: error writing output\n");
    status = 1;
    goto out;
  }
  status = 0;
  goto out;
fail:
  if (status == 2)
    fprintf(stderr, "zhseg analyze: %s\n", error->message);
  else
    cli_fail(error);
  g_clear_error(&error);
out:
  zhseg_stats_free(st);
  zhseg_corpus_free(corpus);
  zhseg_corpus_free(ref_corpus);
  zhseg_dict_unref(dict);
  zhseg_dict_unref(base);
  zhseg_idf_free(idf);
  zhseg_stopwords_free(sw);
  zhseg_term_lexicon_free(lex);
  g_option_context_free(ctx);
  g_free(dict_path);
  g_strfreev(user_dicts);
  g_free(lexicon_name);
  g_free(stopwords_name);
  g_strfreev(extra_stopwords);
  g_free(pos);
  g_free(mode_name);
  g_free(idf_name);
  g_free(term);
  g_free(reference);
  g_free(format_name);
  g_free(table);
  g_free(rank_name);
  g_free(svg_dir);
  g_free(scope_name);
  g_strfreev(inputs);
  cli_norm_options_clear(&nopts);
  return status;
}
