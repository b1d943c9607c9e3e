/* zhseg normalize: decode and clean text, streaming in bounded memory. */
#include "cli/cli.h"
#include "cli/input.h"

#include <errno.h>
#include <string.h>

#define READ_BYTES (1u << 20)
/* A chunk grows up to this size looking for a sentence end before it is cut
 * at any line break (the only case where chunked output could differ from
 * the whole). The slow path holds about 45 bytes per character, so this also
 * bounds memory: 2 MiB of ASCII is under 100 MB. */
#define MAX_CHUNK_BYTES (2u << 20)

typedef struct {
  gboolean report;
  gboolean json;
} Reporting;

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
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    int e = errno;
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", path, g_strerror(e));
    return FALSE;
  }
  zhseg_normalizer_begin(norm, 0);
  GByteArray *buf = g_byte_array_new();
  gboolean eof = FALSE, ok = TRUE;
  const char *enc = NULL;
  while (ok) {
    while (!eof && buf->len < READ_BYTES) {
      gsize old = buf->len;
      g_byte_array_set_size(buf, old + READ_BYTES);
      gsize n = fread(buf->data + old, 1, READ_BYTES, f);
      g_byte_array_set_size(buf, old + n);
      if (n < READ_BYTES) {
        if (ferror(f)) {
          int e = errno;
          g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: read error: %s", path, g_strerror(e));
          ok = FALSE;
          break;
        }
        eof = TRUE;
      }
    }
    if (!ok || buf->len == 0)
      break;
    if (enc == NULL)
      enc = zhseg_normalizer_detect(norm, (const char *)buf->data, buf->len);
    gsize take = buf->len;
    if (!eof) {
      take = zhseg_normalizer_safe_split((const char *)buf->data, buf->len, enc, FALSE);
      if (take == 0 && buf->len < MAX_CHUNK_BYTES) {
        /* No sentence end yet: read more before cutting. */
        gsize old = buf->len;
        g_byte_array_set_size(buf, old + READ_BYTES);
        gsize n = fread(buf->data + old, 1, READ_BYTES, f);
        g_byte_array_set_size(buf, old + n);
        if (n < READ_BYTES)
          eof = TRUE;
        continue;
      }
      if (take == 0)
        take = zhseg_normalizer_safe_split((const char *)buf->data, buf->len, enc, TRUE);
      if (take == 0)
        take = buf->len;
    }
    GError *err = NULL;
    ZhsegNormalized *res = zhseg_normalizer_feed(norm, (const char *)buf->data, take, &err);
    if (res == NULL) {
      g_set_error(error, ZHSEG_ERROR, err->code, "%s: %s", path, err->message);
      g_error_free(err);
      ok = FALSE;
      break;
    }
    gsize len;
    const char *text = zhseg_normalized_text(res, &len);
    fwrite(text, 1, len, stdout);
    zhseg_normalized_free(res);
    g_byte_array_remove_range(buf, 0, take);
  }
  g_byte_array_free(buf, TRUE);
  if (f != stdin)
    fclose(f);
  return ok;
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
  char *encoding = NULL, *t2s = NULL, *join = NULL, *report_format = NULL;
  gboolean strict = FALSE, no_nfkc = FALSE, no_fold = FALSE, no_dedup = FALSE, report = FALSE;
  GOptionEntry entries[] = {
    {"encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding,
     "Input encoding (UTF-8, GB18030, GBK, Big5, UTF-16LE, ...; default: detect)", "NAME"},
    {"strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail on undecodable bytes instead of writing U+FFFD", NULL},
    {"t2s", 0, 0, G_OPTION_ARG_STRING, &t2s,
     "Traditional to simplified: off (default), on, or auto (per paragraph)", "off|on|auto"},
    {"join-lines", 0, 0, G_OPTION_ARG_STRING, &join,
     "Join hard-wrapped lines: auto (default: when detected), always, never", "auto|always|never"},
    {"no-nfkc", 0, 0, G_OPTION_ARG_NONE, &no_nfkc, "Keep full-width letters, digits and symbols", NULL},
    {"no-fold-punct", 0, 0, G_OPTION_ARG_NONE, &no_fold, "Do not fold ASCII punctuation in Chinese text",
     NULL},
    {"no-dedup", 0, 0, G_OPTION_ARG_NONE, &no_dedup, "Keep repeated runs and doubled punctuation", NULL},
    {"report", 0, 0, G_OPTION_ARG_NONE, &report, "Print what was changed on stderr", NULL},
    {"report-format", 0, 0, G_OPTION_ARG_STRING, &report_format,
     "Report as text (default) or json (one object per file; implies --report)", "text|json"},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new("[FILE...] - decode and clean text (stdin when no FILE)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_description(ctx, description);
  int status = 0;
  ZhsegNormalizer *norm = NULL;
  if (!cli_parse(ctx, &argc, &argv)) {
    status = 2;
    goto out;
  }
  norm = zhseg_normalizer_new();
  GError *error = NULL;
  if (encoding != NULL && !zhseg_normalizer_set_encoding(norm, encoding, &error)) {
    status = cli_fail(error);
    goto out;
  }
  zhseg_normalizer_set_strict(norm, strict);
  zhseg_normalizer_set_nfkc(norm, !no_nfkc);
  zhseg_normalizer_set_fold_punct(norm, !no_fold);
  zhseg_normalizer_set_dedup(norm, !no_dedup);
  if (t2s != NULL) {
    if (strcmp(t2s, "off") == 0)
      zhseg_normalizer_set_t2s(norm, ZHSEG_T2S_OFF);
    else if (strcmp(t2s, "on") == 0)
      zhseg_normalizer_set_t2s(norm, ZHSEG_T2S_ON);
    else if (strcmp(t2s, "auto") == 0)
      zhseg_normalizer_set_t2s(norm, ZHSEG_T2S_AUTO);
    else {
      fprintf(stderr, "zhseg: --t2s must be off, on or auto, not '%s'\n", t2s);
      status = 2;
      goto out;
    }
  }
  if (join != NULL) {
    if (strcmp(join, "auto") == 0)
      zhseg_normalizer_set_join_lines(norm, ZHSEG_JOIN_AUTO);
    else if (strcmp(join, "always") == 0)
      zhseg_normalizer_set_join_lines(norm, ZHSEG_JOIN_ALWAYS);
    else if (strcmp(join, "never") == 0)
      zhseg_normalizer_set_join_lines(norm, ZHSEG_JOIN_NEVER);
    else {
      fprintf(stderr, "zhseg: --join-lines must be auto, always or never, not '%s'\n", join);
      status = 2;
      goto out;
    }
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
  fflush(stdout);
out:
  zhseg_normalizer_free(norm);
  g_option_context_free(ctx);
  g_free(encoding);
  g_free(t2s);
  g_free(join);
  g_free(report_format);
  return status;
}
