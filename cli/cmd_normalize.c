/* zhseg normalize: decode and clean text, streaming in bounded memory. */
#include "cli/cli.h"
#include "cli/input.h"
#include "cli/normstream.h"

#include "tokenizer/normalize_private.h"

#include <string.h>

static void print_report(const char *file, const ZhsegNormalizeStats *s, gboolean json)
{
  if (json) {
    GString *offs = g_string_new(NULL);
    for (guint k = 0; k < s->n_invalid_offsets; k++)
      g_string_append_printf(offs, "%s%" G_GUINT64_FORMAT, k ? "," : "", s->invalid_offsets[k]);
    char *f = g_strescape(file, NULL);
    fprintf(stderr,
            "{\"file\":\"%s\",\"encoding\":\"%s\",\"bom\":%s,\"bytes\":%" G_GUINT64_FORMAT
            ",\"chars\":%" G_GUINT64_FORMAT ",\"invalid\":%" G_GUINT64_FORMAT
            ",\"invalid_offsets\":[%s],\"nfkc\":%" G_GUINT64_FORMAT ",\"punct_folded\":%" G_GUINT64_FORMAT
            ",\"crlf\":%" G_GUINT64_FORMAT ",\"lines_joined\":%" G_GUINT64_FORMAT
            ",\"runs_dedup\":%" G_GUINT64_FORMAT ",\"punct_dedup\":%" G_GUINT64_FORMAT
            ",\"t2s\":%" G_GUINT64_FORMAT "}\n",
            f, s->encoding ? s->encoding : "", s->bom ? "true" : "false", s->n_bytes, s->n_chars, s->n_invalid,
            offs->str, s->n_nfkc, s->n_punct_folded, s->n_crlf, s->n_lines_joined, s->n_runs_dedup,
            s->n_punct_dedup, s->n_t2s);
    g_free(f);
    g_string_free(offs, TRUE);
    return;
  }
  fprintf(stderr, "%s: encoding %s%s, %" G_GUINT64_FORMAT " bytes -> %" G_GUINT64_FORMAT " characters\n", file,
          s->encoding ? s->encoding : "?", s->bom ? " (BOM stripped)" : "", s->n_bytes, s->n_chars);
  if (s->n_invalid > 0) {
    fprintf(stderr, "  undecodable sequences: %" G_GUINT64_FORMAT " (U+FFFD), at byte", s->n_invalid);
    for (guint k = 0; k < s->n_invalid_offsets; k++)
      fprintf(stderr, " %" G_GUINT64_FORMAT, s->invalid_offsets[k]);
    fprintf(stderr, "%s\n", s->n_invalid > s->n_invalid_offsets ? " ..." : "");
  }
  fprintf(stderr,
          "  line breaks joined: %" G_GUINT64_FORMAT "\n"
          "  repeated runs removed: %" G_GUINT64_FORMAT ", doubled marks removed: %" G_GUINT64_FORMAT "\n"
          "  NFKC changes: %" G_GUINT64_FORMAT ", punctuation folded to full width: %" G_GUINT64_FORMAT "\n"
          "  CRLF/CR -> LF: %" G_GUINT64_FORMAT ", traditional -> simplified: %" G_GUINT64_FORMAT "\n",
          s->n_lines_joined, s->n_runs_dedup, s->n_punct_dedup, s->n_nfkc, s->n_punct_folded, s->n_crlf,
          s->n_t2s);
}

/* Streams one input through the normalizer to stdout. */
static gboolean normalize_file(ZhsegNormalizer *norm, const char *path, GError **error)
{
  /* No reading thread: writing the text is all this loop does, so a thread
   * would only hand each chunk from one core's cache to the other's (the
   * 20 MB bench corpus: 0.10 s with one, 0.06 s without). */
  NormReader *reader = norm_reader_open(norm, path, FALSE, error);
  if (reader == NULL)
    return FALSE;
  NormChunk chunk;
  while (norm_reader_next(reader, &chunk, error))
    fwrite(chunk.text, 1, chunk.len, stdout);
  norm_reader_free(reader);
  return error == NULL || *error == NULL;
}

static const char description[] =
  "Decodes the input (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK,\n"
  "Big5; detected unless --encoding is given), then cleans it the way `zhseg cut`\n"
  "sees it:\n"
  "  - NFKC: full-width letters and digits become ASCII (℃ becomes °C);\n"
  "  - ASCII , : ; ! ? ( ) next to Chinese text become full width, so text with\n"
  "    ASCII commas and text with full-width commas normalize alike;\n"
  "  - CRLF becomes LF, spaces between Han characters go;\n"
  "  - hard-wrapped newspaper columns are joined back into paragraphs (lines of\n"
  "    one width broken mid-sentence); one sentence per line is left alone;\n"
  "  - captions printed two or three times (PDF fake bold) and doubled 。。 are\n"
  "    printed once;\n"
  "  - with --t2s, traditional characters become simplified.\n"
  "Undecodable bytes become U+FFFD (--strict makes them an error naming the byte\n"
  "offset). Input is streamed: memory stays bounded on files of any size.\n"
  "\n"
  "Examples:\n"
  "  zhseg normalize --report examples/bulletins/000_52021f6d9e622ea6.txt\n"
  "  zhseg normalize --encoding GB18030 pku_test.txt > pku_test.norm.txt\n"
  "  zhseg normalize --t2s auto --report-format json news-big5.txt\n"
  "  zhseg normalize --join-lines never --no-dedup raw.txt\n";

int cli_cmd_normalize(int argc, char **argv)
{
  CliNormOptions nopts = {0};
  char *report_format = NULL, *write_t2s = NULL;
  gboolean report = FALSE;
  GOptionEntry entries[] = {
    {"report", 0, 0, G_OPTION_ARG_NONE, &report, "Print what was changed on stderr", NULL},
    {"report-format", 0, 0, G_OPTION_ARG_STRING, &report_format,
     "Report as text (default) or json (one object per file; implies --report)", "text|json"},
    /* The build uses this to write share/zhseg/t2s.bin from ICU. */
    {"write-t2s-table", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &write_t2s, NULL, NULL},
    G_OPTION_ENTRY_NULL,
  };
  GOptionContext *ctx = g_option_context_new("[FILE...] - decode and clean text (stdin when no FILE)");
  cli_norm_add_options(ctx, &nopts, TRUE);
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx, description);
  int status = 0;
  ZhsegNormalizer *norm = NULL;
  GError *error = NULL;
  if (!cli_parse(ctx, &argc, &argv)) {
    status = 2;
    goto out;
  }
  if (write_t2s != NULL) {
    status = nz_t2s_write_table(write_t2s, &error) ? 0 : cli_fail(error);
    goto out;
  }
  norm = cli_norm_new(&nopts, &error);
  if (norm == NULL) {
    fprintf(stderr, "zhseg: %s\n", error->message);
    g_clear_error(&error);
    status = 2;
    goto out;
  }
  gboolean json = FALSE;
  if (report_format != NULL) {
    if (strcmp(report_format, "json") == 0)
      json = report = TRUE;
    else if (strcmp(report_format, "text") == 0)
      report = TRUE;
    else {
      fprintf(stderr, "zhseg: --report-format must be text or json, not '%s'\n", report_format);
      status = 2;
      goto out;
    }
  }
  GPtrArray *files = NULL;
  if (!cli_expand_inputs(argv + 1, argc - 1, &files, &error)) {
    status = cli_fail(error);
    goto out;
  }
  for (guint i = 0; i < files->len; i++) {
    const char *path = g_ptr_array_index(files, i);
    if (!normalize_file(norm, path, &error)) {
      status = cli_fail(error);
      error = NULL;
      continue;
    }
    fflush(stdout); /* the text before its report, when both go to a terminal */
    if (report)
      print_report(strcmp(path, "-") == 0 ? "<stdin>" : path, zhseg_normalizer_get_stats(norm), json);
  }
  g_ptr_array_free(files, TRUE);
  if (fflush(stdout) != 0) {
    perror("zhseg normalize: writing output");
    status = 1;
  }
out:
  zhseg_normalizer_free(norm);
  g_option_context_free(ctx);
  cli_norm_options_clear(&nopts);
  g_free(report_format);
  g_free(write_t2s);
  return status;
}
