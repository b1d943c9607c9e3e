/* zhseg cut: its options, and the loop that streams files, folders or
 * stdin in bounded memory, chunk by chunk, through the segmenter and one of
 * the writers (cut_text.c, cut_rows.c). */
#include "cli/cut_private.h"

/* Segments one chunk (whole lines of the input, or a safe piece of a very
 * long line) and formats its tokens into ctx->out. */
static void cut_chunk(CutContext *ctx, const InputChunk *chunk)
{
  g_array_set_size(ctx->tokens, 0);
  zhseg_segmenter_cut(ctx->seg, chunk->text, chunk->len, ctx->tokens);
  if (ctx->format == FORMAT_TEXT) {
    text_raw_chunk(ctx, chunk);
    return;
  }
  rows_raw_chunk(ctx, chunk);
}

/* Segments the normalized text of a chunk and reports every token at the
 * bytes of the input it came from, printed as it stands in the input (less
 * joined line breaks), or as normalized with --normalized. */
static void cut_norm_chunk(CutContext *ctx, const NormChunk *chunk)
{
  g_array_set_size(ctx->tokens, 0);
  zhseg_segmenter_cut(ctx->seg, chunk->text, chunk->len, ctx->tokens);
  if (ctx->format == FORMAT_TEXT) {
    text_norm_chunk(ctx, chunk);
    return;
  }
  rows_norm_chunk(ctx, chunk);
}

static const char cut_description[] =
  "Segments UTF-8 text into words. With no FILE, or FILE '-', reads stdin; a\n"
  "folder means every *.txt file under it, in name order.\n\n"
  "Modes:\n"
  "  precise  the most probable segmentation (default)\n"
  "  search   precise tokens plus the 2- and 3-character dictionary words inside\n"
  "           longer ones (for search indexes)\n"
  "  full     every dictionary word found, overlapping\n\n"
  "Output formats:\n"
  "  text   one output line per input line, tokens separated by --delimiter;\n"
  "         white space is dropped\n"
  "  tsv    a header line, then one token per line with the columns\n"
  "           text start end cstart cend line type tag file\n"
  "         start/end: half-open byte offsets into the input file as given;\n"
  "         cstart/cend: character offsets; line: 1-based line of the token's\n"
  "         start; type: word latin number punct space symbol invalid; tag: POS\n"
  "         tag from the dictionary (n, v, nr, eng, m, x ...); TAB, newline and\n"
  "         backslash in text are escaped as \\t \\n \\\\\n"
  "  jsonl  one JSON object per token with the same fields\n"
  "The input is normalized first (see 'zhseg normalize --help' and\n"
  "--help-normalize): any of UTF-8, UTF-16, GB18030/GBK or Big5, full-width\n"
  "letters and digits, hard-wrapped lines and doubled captions are handled, and\n"
  "every token still reports the bytes of the input it came from. Text output\n"
  "prints tokens as they stand in the input (--normalized: as normalized); a\n"
  "token across a joined line break is printed on the line where it starts.\n"
  "--raw segments the bytes as given (UTF-8), skipping the normalizer. Bytes\n"
  "that cannot be decoded become U+FFFD (type invalid; --strict: an error).\n\n"
  "User dictionaries (--user-dict FILE, repeatable) hold 'word [freq] [tag]'\n"
  "lines (TAB-separated if a word has spaces). A word without a frequency gets\n"
  "one high enough to beat its own split; see 'zhseg dict --help'.\n\n"
  "Examples:\n"
  "  echo '我们在社区开展志愿服务' | zhseg cut\n"
  "  zhseg cut --mode search --delimiter ' / ' article.txt\n"
  "  zhseg cut --format jsonl --user-dict terms.txt examples/bulletins/ > tokens.jsonl\n";

int cli_cmd_cut(int argc, char **argv)
{
  char *mode = NULL, *format = NULL, *delimiter = NULL, *dict_path = NULL;
  char **user = NULL;
  gboolean no_hmm = FALSE, keep_space = FALSE, raw = FALSE, normalized = FALSE;
  CliNormOptions nopts = {0};
  ZhsegNormalizer *norm = NULL;
  GOptionEntry entries[] = {
    {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "precise (default), search or full", "MODE"},
    {"no-hmm", 0, 0, G_OPTION_ARG_NONE, &no_hmm, "Do not recover unknown words with the HMM", NULL},
    {"dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "Dictionary image (default: $ZHSEG_DICT, then share/zhseg/zhseg.zdict)", "FILE"},
    {"user-dict", 'u', 0, G_OPTION_ARG_FILENAME_ARRAY, &user, "Add a user dictionary (repeatable)", "FILE"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "text (default), tsv or jsonl", "FORMAT"},
    {"delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter, "Token separator of the text format (default: one space)", "STRING"},
    {"keep-space", 0, 0, G_OPTION_ARG_NONE, &keep_space, "tsv/jsonl: also list white-space tokens", NULL},
    {"raw", 0, 0, G_OPTION_ARG_NONE, &raw, "Segment the bytes as given (UTF-8), without the normalizer", NULL},
    {"normalized", 0, 0, G_OPTION_ARG_NONE, &normalized, "Print tokens as normalized, not as they stand in the input", NULL},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new("[FILE...] - segment Chinese text into words");
  g_option_context_add_main_entries(ctx, entries, NULL);
  cli_norm_add_options(ctx, &nopts, FALSE);
  g_option_context_set_description(ctx, cut_description);
  int status = 2;
  ZhsegDict *dict = NULL;
  CutContext cut = {0};
  if (!cli_parse(ctx, &argc, &argv))
    goto out;
  ZhsegMode m = ZHSEG_MODE_PRECISE;
  if (mode != NULL && !cli_parse_mode(mode, &m))
    goto out;
  cut.format = FORMAT_TEXT;
  if (format != NULL) {
    if (strcmp(format, "text") == 0) cut.format = FORMAT_TEXT;
    else if (strcmp(format, "tsv") == 0) cut.format = FORMAT_TSV;
    else if (strcmp(format, "jsonl") == 0) cut.format = FORMAT_JSONL;
    else {
      fprintf(stderr, "zhseg cut: unknown format '%s' (text, tsv or jsonl)\n", format);
      goto out;
    }
  }
  GError *error = NULL;
  if (!raw && (norm = cli_norm_new(&nopts, &error)) == NULL) {
    fprintf(stderr, "zhseg cut: %s\n", error->message);
    g_clear_error(&error);
    goto out;
  }
  dict = cli_open_dict(dict_path, user, &error);
  if (dict == NULL) {
    status = cli_fail(error);
    goto out;
  }
  cut.seg = zhseg_segmenter_new(dict, m, no_hmm ? ZHSEG_SEGMENTER_NO_HMM : 0);
  cut.delimiter = delimiter != NULL ? delimiter : " ";
  cut.delimiter_len = strlen(cut.delimiter);
  memcpy(cut.delimiter16, cut.delimiter, MIN(cut.delimiter_len, 16));
  cut.keep_space = keep_space;
  cut.print_normalized = normalized;
  cut.tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  cut.out = g_string_sized_new(1 << 20);
  cut.scratch = g_string_new(NULL);
  if (cut.format != FORMAT_TEXT)
    row_format_init(&cut, dict);
  if (cut.format == FORMAT_TSV)
    fputs("text\tstart\tend\tcstart\tcend\tline\ttype\ttag\tfile\n", stdout);

  GPtrArray *files = NULL;
  if (!cli_expand_inputs(argv + 1, argc - 1, &files, &error)) {
    status = cli_fail(error);
    goto out;
  }
  status = 0;
  CliProgress progress;
  cli_progress_init(&progress, "cut");
  for (guint f = 0; f < files->len; f++) {
    const char *path = g_ptr_array_index(files, f);
    cut.file = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (cut.format != FORMAT_TEXT)
      row_format_set_file(&cut);
    cut.line = 1;
    cut.line_has_token = FALSE;
    if (norm != NULL) {
      NormReader *reader = norm_reader_open(norm, path, TRUE, &error);
      guint64 last_line = 1;
      NormChunk chunk;
      while (reader != NULL && norm_reader_next(reader, &chunk, &error)) {
        cut_norm_chunk(&cut, &chunk);
        zhseg_normalized_orig_line_col(chunk.res, chunk.len, &last_line, NULL);
        fwrite(cut.out->str, 1, cut.out->len, stdout);
        g_string_truncate(cut.out, 0);
        cli_progress_update(&progress, chunk.raw_len);
      }
      /* As many output lines as the input has lines. */
      if (cut.format == FORMAT_TEXT)
        for (; cut.line < last_line; cut.line++) {
          fputc('\n', stdout);
          cut.line_has_token = FALSE;
        }
      norm_reader_free(reader);
    } else {
      InputReader *reader = input_reader_open(path, &error);
      InputChunk chunk;
      while (reader != NULL && input_reader_next(reader, &chunk, &error)) {
        cut_chunk(&cut, &chunk);
        fwrite(cut.out->str, 1, cut.out->len, stdout);
        g_string_truncate(cut.out, 0);
        cli_progress_update(&progress, chunk.len);
      }
      input_reader_free(reader);
    }
    if (error != NULL) {
      status = cli_fail(error);
      error = NULL;
    }
    /* A file whose last line lacks a newline still ends its output line. */
    if (cut.format == FORMAT_TEXT && cut.line_has_token)
      fputc('\n', stdout);
  }
  cli_progress_done(&progress);
  g_ptr_array_free(files, TRUE);
  if (fflush(stdout) != 0) {
    perror("zhseg cut: writing output");
    status = 1;
  }
out:
  if (cut.tokens != NULL)
    g_array_free(cut.tokens, TRUE);
  if (cut.out != NULL)
    g_string_free(cut.out, TRUE);
  if (cut.scratch != NULL)
    g_string_free(cut.scratch, TRUE);
  row_format_clear(&cut);
  zhseg_segmenter_free(cut.seg);
  zhseg_dict_unref(dict);
  zhseg_normalizer_free(norm);
  cli_norm_options_clear(&nopts);
  g_option_context_free(ctx);
  g_free(mode);
  g_free(format);
  g_free(delimiter);
  g_free(dict_path);
  g_strfreev(user);
  return status;
}
