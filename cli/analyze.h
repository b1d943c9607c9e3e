/* zhseg analyze: pieces shared by cmd_analyze.c and its output files. */
#ifndef ZHSEG_CLI_ANALYZE_H
#define ZHSEG_CLI_ANALYZE_H

#include "cli/cli.h"
#include "cli/normstream.h"

/* ---- one article: text -> tokens (cli/analyze_pipeline.c) */

typedef struct AnalyzeWorker AnalyzeWorker;

/* Per-thread state: a normalizer set up from `norm_options` (NULL: --raw, no
 * normalizer) and a segmenter over `dict`. */
AnalyzeWorker *analyze_worker_new(ZhsegDict *dict, ZhsegMode mode, guint seg_flags,
                                  const CliNormOptions *norm_options, GError **error);
void analyze_worker_free(AnalyzeWorker *w);

/* The single path every article takes: raw bytes -> normalized text (*text,
 * *len; owned by the worker, or pointing into `raw` with --raw; valid until
 * the next call) -> tokens (appended to `tokens`). FALSE when the normalizer
 * fails (strict mode, ICU). */
gboolean analyze_text_to_tokens(AnalyzeWorker *w, const char *raw, gsize raw_len,
                                const char **text, gsize *len, GArray *tokens, GError **error);

/* ---- inputs (cli/analyze_input.c) */

typedef struct {
  char *id;
  char *path; /* file it came from, NULL for stdin */
  char *date, *title; /* from JSON Lines, may be NULL */
  char *text;
  gsize len;
} AnalyzeArticle;

void analyze_article_free(AnalyzeArticle *a);

typedef struct AnalyzeInput AnalyzeInput;

/* Inputs: files and folders (walked recursively, `.txt`, `.jsonl` and
 * `.ndjson` files in byte order of their paths), "-" or nothing for stdin.
 * `jsonl`: read stdin and every file as JSON Lines. */
AnalyzeInput *analyze_input_new(char **paths, gboolean jsonl, GError **error);
/* Next article, or NULL at the end (then check *error). Articles come in a
 * fixed order, so their index is their position. */
AnalyzeArticle *analyze_input_next(AnalyzeInput *in, GError **error);
void analyze_input_free(AnalyzeInput *in);

/* Parses one JSON Lines record {"id":..., "date":..., "title":..., "text":...}
 * (other members are skipped). Exposed for the tests. */
gboolean analyze_parse_jsonl(const char *line, gsize len, AnalyzeArticle *out, GError **error);

/* ---- output (cli/analyze_output.c, cli/analyze_svg.c) */

typedef enum { FORMAT_TEXT, FORMAT_TSV, FORMAT_CSV, FORMAT_JSON } AnalyzeFormat;

typedef struct {
  AnalyzeFormat format;
  const char *table; /* terms|articles|collocations|keyness|concepts */
  ZhsegRankBy rank;
  guint top;
  const char *term;  /* --term: collocates of one term */
  ZhsegCoocScope scope;
  const ZhsegTermLexicon *lexicon;
  const char *lexicon_name;
  guint window;
  guint min_count;
  const char *idf_name;
} AnalyzeReport;

/* Writes the report or table to `out`. Returns FALSE (with error) on a bad
 * option value such as an unknown table. */
gboolean analyze_write(FILE *out, const ZhsegStats *st, const AnalyzeReport *r, GError **error);

/* Writes bar.svg, heatmap.svg and network.svg into `dir` (created). */
gboolean analyze_write_svg(const char *dir, const ZhsegStats *st, const AnalyzeReport *r,
                           GError **error);

/* Helpers for the outputs. */
guint32 *analyze_top_terms(const ZhsegStats *st, const AnalyzeReport *r, gsize *n);
const char *analyze_rank_name(ZhsegRankBy by);

#endif
