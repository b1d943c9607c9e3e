/* zhseg cut --format tsv and jsonl against plain references. Rows are
 * written in place by short ways (a scan that proves text needs no escape,
 * numbers by a digit writer that adds a token's length to its start, a
 * copied token's characters counted by the segmenter, slow segments mapped
 * by their own map); here every field is computed the long way:
 *  - --raw: the rows are built from the library's tokens with printf and
 *    GLib's validator, as the CLI did before its short ways;
 *  - normalized: each row of valid UTF-8 input is checked against the input
 *    itself (its bytes, characters and line feeds before it), and the
 *    jsonl rows against the tsv rows. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* A file named `name` (its bytes escaped in every row) in a new folder. */
static char *write_named(const char *name, const char *contents, gsize len, char **dir)
{
  *dir = g_dir_make_tmp("zhseg-cut-rows-XXXXXX", NULL);
  g_assert_nonnull(*dir);
  char *path = g_build_filename(*dir, name, NULL);
  g_assert_true(g_file_set_contents(path, contents, (gssize)len, NULL));
  return path;
}

static void remove_named(char *path, char *dir)
{
  g_unlink(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

/* The reference escaping: invalid UTF-8 (NUL too) -> one U+FFFD per bad
 * sequence, then the format's escapes (jsonl or tsv; none for REF_TEXT). */
enum { REF_TSV = FALSE, REF_JSONL = TRUE, REF_TEXT };

static void ref_escape(GString *out, const char *text, gsize len, int format)
{
  const gboolean jsonl = format == REF_JSONL;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *valid_end;
    g_utf8_validate_len(p, (gsize)(end - p), &valid_end);
    for (const char *q = p; q < valid_end; q++) {
      unsigned char c = (unsigned char)*q;
      if (format == REF_TEXT)
        g_string_append_c(out, (char)c);
      else if (jsonl && (c == '"' || c == '\\'))
        g_string_append_printf(out, "\\%c", c);
      else if (c == '\n')
        g_string_append(out, "\\n");
      else if (c == '\t')
        g_string_append(out, "\\t");
      else if (c == '\r')
        g_string_append(out, "\\r");
      else if (jsonl && c < 0x20)
        g_string_append_printf(out, "\\u%04x", c);
      else if (!jsonl && c == '\\')
        g_string_append(out, "\\\\");
      else
        g_string_append_c(out, (char)c);
    }
    p = valid_end;
    if (p < end) {
      g_string_append(out, "\xEF\xBF\xBD");
      p++;
      while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
        p++;
    }
  }
}

static void ref_row(GString *out, gboolean jsonl, const char *text, gsize len, guint64 start, guint64 end,
                    guint64 cstart, guint64 cend, guint64 line, const char *type, const char *tag, const char *file)
{
  if (jsonl)
    g_string_append(out, "{\"text\":\"");
  ref_escape(out, text, len, jsonl);
  if (jsonl)
    g_string_append_printf(out,
                           "\",\"start\":%" G_GUINT64_FORMAT ",\"end\":%" G_GUINT64_FORMAT
                           ",\"cstart\":%" G_GUINT64_FORMAT ",\"cend\":%" G_GUINT64_FORMAT
                           ",\"line\":%" G_GUINT64_FORMAT ",\"type\":\"%s\",\"tag\":\"%s\",\"file\":\"",
                           start, end, cstart, cend, line, type, tag);
  else
    g_string_append_printf(out,
                           "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                           "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%s\t%s\t",
                           start, end, cstart, cend, line, type, tag);
  ref_escape(out, file, strlen(file), jsonl);
  g_string_append(out, jsonl ? "\"}\n" : "\n");
}

/* What cut --raw prints for `bytes` (one chunk: the input is small). */
static char *ref_raw_output(const char *bytes, gsize len, gboolean jsonl, gboolean keep_space, const char *file)
{
  ZhsegDict *dict = test_default_dict();
  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, bytes, len, tokens);
  GString *out = g_string_new(jsonl ? "" : "text\tstart\tend\tcstart\tcend\tline\ttype\ttag\tfile\n");
  guint64 line = 1;
  for (guint i = 0; i < tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    if (t->type != ZHSEG_TOKEN_SPACE || keep_space)
      ref_row(out, jsonl, bytes + t->start, t->end - t->start, t->start, t->end, t->cstart, t->cend, line,
              zhseg_token_type_name(t->type), zhseg_dict_tag_name(dict, t->tag), file);
    if (t->type == ZHSEG_TOKEN_SPACE)
      for (gsize k = t->start; k < t->end; k++)
        line += bytes[k] == '\n';
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
  return g_string_free(out, FALSE);
}

/* Runs zhseg with `args` and checks that it succeeds and prints exactly
 * `expected` (which it frees). */
static void assert_cli_prints(const char *const *args, char *expected)
{
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, NULL), ==, 0);
  g_assert_cmpstr(out, ==, expected);
  g_free(out);
  g_free(expected);
}

/* Text whose tokens need every escape, invalid and NUL bytes among them,
 * long enough that offsets carry into new digits many times. */
static GString *adversarial_text(void)
{
  static const char *const pieces[] = {
    "我们在社区开展志愿服务。", "a\tb", "\"引号\"", "back\\slash", "\x01\x1f控制\x7f", "bad\xff\xfe",
    "半个\xe4\xb8", "\r\n", "\n", "NUL\0x", "Ｆｕｌｌ１２３", "，。！？", "2024年5月", "  ", "C++ 和 café",
    "\xed\xa0\x80", "\xef\xbf\xbe", "\xf4\x8f\xbf\xbf",
  };
  static const gsize lens[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
  GString *s = g_string_new(NULL);
  guint32 state = 12345;
  while (s->len < 150000) {
    state = state * 1103515245u + 12345u;
    guint k = (state >> 16) % G_N_ELEMENTS(pieces);
    g_string_append_len(s, pieces[k], lens[k] ? (gssize)lens[k] : (gssize)strlen(pieces[k]));
  }
  return s;
}

static void test_raw_rows(void)
{
  GString *text = adversarial_text();
  char *dir;
  char *path = write_named("rows \"q\\\t.txt", text->str, text->len, &dir);
  for (int jsonl = 0; jsonl <= 1; jsonl++)
    for (int keep = 0; keep <= 1; keep++) {
      const char *args[] = {"cut", "--raw", jsonl ? "--format=jsonl" : "--format=tsv", keep ? "--keep-space" : "--raw",
                            path, NULL};
      assert_cli_prints(args, ref_raw_output(text->str, text->len, jsonl, keep, path));
    }
  remove_named(path, dir);
  g_string_free(text, TRUE);
}

/* What cut --raw --format text prints for `bytes`: each input line's
 * non-space tokens joined by one space, bad sequences and NULs as U+FFFD. */
static char *ref_raw_text(const char *bytes, gsize len)
{
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, bytes, len, tokens);
  GString *out = g_string_new(NULL);
  gboolean has_token = FALSE;
  for (guint i = 0; i < tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    if (t->type == ZHSEG_TOKEN_SPACE) {
      for (gsize k = t->start; k < t->end; k++)
        if (bytes[k] == '\n') {
          g_string_append_c(out, '\n');
          has_token = FALSE;
        }
      continue;
    }
    if (has_token)
      g_string_append_c(out, ' ');
    has_token = TRUE;
    ref_escape(out, bytes + t->start, t->end - t->start, REF_TEXT);
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
  return g_string_free(out, FALSE);
}

/* --raw over many of the reader's chunks (INPUT_CHUNK_BYTES), clean ones
 * (whose characters the reader counts by lead bytes) and ones with bad
 * bytes and NULs (decoded one by one) in turn: the character offsets carry
 * across chunks as if the text were cut whole, and the text writer, which
 * copies words without validating them, prints what the tokens say. */
static void test_raw_chunks(void)
{
  GString *bad = adversarial_text();
  GString *text = g_string_new(NULL);
  for (int part = 0; part < 4; part++) {
    if (part % 2 == 1) {
      g_string_append_len(text, bad->str, (gssize)bad->len);
      g_string_append_c(text, '\n');
      continue;
    }
    gsize until = text->len + 1100000;
    while (text->len < until)
      g_string_append(text, "社区志愿者走访了 12 户老人，发放 COVID-19 防疫手册。\n");
  }
  char *dir;
  char *path = write_named("chunks.txt", text->str, text->len, &dir);
  const char *tsv_args[] = {"cut", "--raw", "--format=tsv", path, NULL};
  assert_cli_prints(tsv_args, ref_raw_output(text->str, text->len, FALSE, FALSE, path));
  const char *text_args[] = {"cut", "--raw", path, NULL};
  assert_cli_prints(text_args, ref_raw_text(text->str, text->len));
  remove_named(path, dir);
  g_string_free(text, TRUE);
  g_string_free(bad, TRUE);
}

/* The tsv row a jsonl row says (its fields in their fixed order). */
static char *jsonl_to_tsv(const char *row)
{
  GString *o = g_string_new(NULL);
  const char *p = row;
  g_assert_true(g_str_has_prefix(p, "{\"text\":\""));
  p += strlen("{\"text\":\"");
  for (; *p != '"'; p++) {
    if (*p != '\\') {
      g_string_append_c(o, *p);
      continue;
    }
    p++;
    if (*p == 'u') {
      unsigned c = (unsigned)g_ascii_strtoull(p + 1, NULL, 16) & 0xFFFF;
      p += 4;
      /* tsv escapes these, and prints the other control bytes as they are */
      g_string_append_c(o, (char)c);
    } else {
      g_string_append_c(o, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p);
    }
  }
  char *text = g_string_free(o, FALSE);
  GString *t = g_string_new(NULL);
  ref_escape(t, text, strlen(text), FALSE);
  g_free(text);
  static const char *const keys[] = {"\",\"start\":", ",\"end\":", ",\"cstart\":", ",\"cend\":", ",\"line\":"};
  for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
    g_assert_true(g_str_has_prefix(p, keys[k]));
    p += strlen(keys[k]);
    char *e;
    guint64 v = g_ascii_strtoull(p, &e, 10);
    g_string_append_printf(t, "\t%" G_GUINT64_FORMAT, v);
    p = e;
  }
  static const char *const skeys[] = {",\"type\":\"", "\",\"tag\":\""};
  for (guint k = 0; k < G_N_ELEMENTS(skeys); k++) {
    g_assert_true(g_str_has_prefix(p, skeys[k]));
    p += strlen(skeys[k]);
    const char *e = strchr(p, '"');
    g_string_append_printf(t, "\t%.*s", (int)(e - p), p);
    p = e;
  }
  g_assert_true(g_str_has_prefix(p, "\",\"file\":\""));
  g_string_append_c(t, '\t');
  g_string_append_len(t, p + strlen("\",\"file\":\""), (gssize)(strlen(p) - strlen("\",\"file\":\"") - 2));
  return g_string_free(t, FALSE);
}

/* Characters (UTF-8 lead bytes) and line feeds in input[0, n), counted on
 * from the last call's n, forward or back (rows come in order or close to
 * it: not counting from 0 each time keeps the test linear). */
typedef struct {
  gsize pos;
  guint64 chars, lines;
} Counted;

static void count_before(Counted *c, const char *input, gsize n, guint64 *chars, guint64 *lines)
{
  for (; c->pos > n; c->pos--) {
    c->chars -= ((guchar)input[c->pos - 1] & 0xC0) != 0x80;
    c->lines -= input[c->pos - 1] == '\n';
  }
  for (; c->pos < n; c->pos++) {
    c->chars += ((guchar)input[c->pos] & 0xC0) != 0x80;
    c->lines += input[c->pos] == '\n';
  }
  *chars = c->chars;
  *lines = c->lines;
}

/* Normalized rows of valid UTF-8 input: offsets, characters, lines and
 * text checked against the input; jsonl against tsv. */
static void check_normalized(const char *input, gsize len, const char *const *opts, gboolean as_input)
{
  char *dir;
  char *path = write_named("in.txt", input, len, &dir);
  char *outs[2];
  for (int jsonl = 0; jsonl <= 1; jsonl++) {
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "cut");
    g_ptr_array_add(args, (gpointer)(jsonl ? "--format=jsonl" : "--format=tsv"));
    for (guint i = 0; opts[i] != NULL; i++)
      g_ptr_array_add(args, (gpointer)opts[i]);
    g_ptr_array_add(args, path);
    g_ptr_array_add(args, NULL);
    g_assert_cmpint(test_run_cli((const char *const *)args->pdata, NULL, &outs[jsonl], NULL), ==, 0);
    g_ptr_array_free(args, TRUE);
  }
  char **tsv = test_split_lines(outs[0]), **jsonl = test_split_lines(outs[1]);
  g_assert_cmpstr(tsv[0], ==, "text\tstart\tend\tcstart\tcend\tline\ttype\ttag\tfile");
  guint n = 0, checked = 0;
  Counted counted = {0, 0, 1};
  for (guint i = 1; tsv[i] != NULL && tsv[i][0] != '\0'; i++, n++) {
    g_assert_nonnull(jsonl[i - 1]);
    char *from_json = jsonl_to_tsv(jsonl[i - 1]);
    g_assert_cmpstr(from_json, ==, tsv[i]);
    g_free(from_json);
    char **f = g_strsplit(tsv[i], "\t", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 9);
    guint64 start = g_ascii_strtoull(f[1], NULL, 10), end = g_ascii_strtoull(f[2], NULL, 10);
    guint64 cstart = g_ascii_strtoull(f[3], NULL, 10), cend = g_ascii_strtoull(f[4], NULL, 10);
    guint64 line = g_ascii_strtoull(f[5], NULL, 10);
    g_assert_cmpuint(start, <=, end);
    g_assert_cmpuint(end, <=, len);
    guint64 c0, l0, c1, l1;
    count_before(&counted, input, start, &c0, &l0);
    count_before(&counted, input, end, &c1, &l1);
    g_assert_cmpuint(cstart, ==, c0);
    g_assert_cmpuint(cend, ==, c1);
    g_assert_cmpuint(line, ==, l0);
    g_assert_cmpstr(f[8], ==, path);
    /* A token whose input has no line break stands as in the input. */
    if (as_input && memchr(input + start, '\n', end - start) == NULL && memchr(input + start, '\r', end - start) == NULL) {
      char *text = test_tsv_unescape(f[0]);
      g_assert_cmpmem(text, strlen(text), input + start, end - start);
      g_free(text);
      checked++;
    }
    g_strfreev(f);
  }
  g_assert_cmpuint(n, >, 0);
  g_assert_cmpuint(checked, >=, as_input ? n / 2 : 0);
  g_strfreev(tsv);
  g_strfreev(jsonl);
  g_free(outs[0]);
  g_free(outs[1]);
  remove_named(path, dir);
}

/* Clean text (copied segments), text the normalizer changes (slow
 * segments: full-width letters, traditional characters, ℃), CRLF, tabs,
 * quotes and backslashes, lines wrapped mid-word; long enough for many
 * digit carries. */
static GString *normalizer_text(void)
{
  static const char *const lines[] = {
    "我们在社区开展志愿服务，居民积极参与。\n",
    "网格员\t走访\"独居老人\"，登记 back\\slash 情况。\r\n",
    "Ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ１２３，温度２５℃。\n",
    "這是繁體中文的段落，會被轉換成簡體。\n",
    "基层党建工作要求各级党组织认真落实\n",
    "主体责任，推进全面从严治党向基层延伸。\n",
    "2024年5月1日，①②③ ﬁ ㈱ 【通知】……\n",
  };
  GString *s = g_string_new(NULL);
  guint32 state = 777;
  while (s->len < 120000) {
    state = state * 1103515245u + 12345u;
    g_string_append(s, lines[(state >> 16) % G_N_ELEMENTS(lines)]);
  }
  return s;
}

static void test_normalized_rows(void)
{
  GString *text = normalizer_text();
  const char *const plain[] = {NULL};
  const char *const keep[] = {"--keep-space", NULL};
  const char *const search[] = {"--mode=search", NULL};
  const char *const norm[] = {"--normalized", NULL};
  check_normalized(text->str, text->len, plain, TRUE);
  check_normalized(text->str, text->len, keep, TRUE);
  check_normalized(text->str, text->len, search, TRUE);
  check_normalized(text->str, text->len, norm, FALSE);
  g_string_free(text, TRUE);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/cli/cut/rows/raw", test_raw_rows);
  g_test_add_func("/cli/cut/rows/raw-chunks", test_raw_chunks);
  g_test_add_func("/cli/cut/rows/normalized", test_normalized_rows);
  return g_test_run();
}
