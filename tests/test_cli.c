/* The zhseg program as a user runs it: cut (formats, offsets, errors,
 * streaming memory), eval, dict. */
#include "testutil.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_cut_text(void)
{
  char *out = NULL, *err = NULL;
  const char *args[] = {"cut", NULL};
  int status = test_run_cli(args, "我们在社区开展志愿服务\n\n2018年GDP增长3.5%", &out, &err);
  g_assert_cmpint(status, ==, 0);
  g_assert_cmpstr(out, ==, "我们 在 社区 开展 志愿 服务\n\n2018年 GDP 增长 3.5%\n");
  g_free(out);
  g_free(err);
  const char *args2[] = {"cut", "--delimiter", "/", "--mode", "search", NULL};
  test_run_cli(args2, "中华人民共和国", &out, NULL);
  g_assert_cmpstr(out, ==, "中华/华人/人民/共和/共和国/中华人民共和国\n");
  g_free(out);
}

/* Every TSV row's byte span of the file holds its text, character offsets
 * and line numbers agree with the file, and JSON Lines carry the same. */
static void test_cut_tsv_offsets(void)
{
  const char *content = "第一行：社区网格员\r\n第二行 APP和45%\n\n☆最后\xff一行";
  gsize len = strlen(content);
  char *path = test_write_temp("zhseg-cli-XXXXXX.txt", content, (gssize)len);
  const char *args[] = {"cut", "--format", "tsv", "--keep-space", path, NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, NULL), ==, 0);
  char **rows = test_split_lines(out);
  g_assert_cmpstr(rows[0], ==, "text\tstart\tend\tcstart\tcend\tline\ttype\ttag\tfile");
  gsize expect_start = 0;
  guint n = 0;
  for (guint i = 1; rows[i] != NULL && rows[i][0] != '\0'; i++, n++) {
    char **f = g_strsplit(rows[i], "\t", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 9);
    gsize start = g_ascii_strtoull(f[1], NULL, 10), end = g_ascii_strtoull(f[2], NULL, 10);
    gsize cstart = g_ascii_strtoull(f[3], NULL, 10), line = g_ascii_strtoull(f[5], NULL, 10);
    g_assert_cmpuint(start, ==, expect_start); /* with --keep-space, tokens tile the file */
    expect_start = end;
    char *text = test_tsv_unescape(f[0]);
    if (strcmp(f[6], "invalid") == 0)
      g_assert_cmpstr(text, ==, "\xEF\xBF\xBD");
    else
      g_assert_cmpmem(text, strlen(text), content + start, end - start);
    /* cstart counts characters before the token; line counts \n before it. */
    gsize chars = 0, lines = 1;
    for (gsize b = 0; b < start;) {
      guint step = (guchar)content[b] == 0xff ? 1 : (guint)(g_utf8_next_char(content + b) - (content + b));
      lines += content[b] == '\n';
      b += step;
      chars++;
    }
    g_assert_cmpuint(cstart, ==, chars);
    g_assert_cmpuint(line, ==, lines);
    g_assert_cmpstr(f[8], ==, path);
    g_free(text);
    g_strfreev(f);
  }
  g_assert_cmpuint(expect_start, ==, len);
  g_assert_cmpuint(n, >, 15);
  g_strfreev(rows);
  g_free(out);

  const char *jargs[] = {"cut", "--format", "jsonl", path, NULL};
  g_assert_cmpint(test_run_cli(jargs, NULL, &out, NULL), ==, 0);
  g_assert_true(g_str_has_prefix(out, "{\"text\":\"第一行\",\"start\":0,\"end\":9,\"cstart\":0,\"cend\":3,\"line\":1,\"type\":\"word\""));
  g_assert_nonnull(strstr(out, "{\"text\":\"APP\",\"start\":39,\"end\":42,\"cstart\":15,\"cend\":18,\"line\":2,\"type\":\"latin\",\"tag\":\"eng\""));
  g_assert_nonnull(strstr(out, "\"text\":\"\xEF\xBF\xBD\",\"start\":59,\"end\":60"));
  g_free(out);
  g_unlink(path);
  g_free(path);
}

static void test_cut_errors(void)
{
  char *err = NULL;
  const char *missing[] = {"cut", "/nonexistent/file.txt", NULL};
  g_assert_cmpint(test_run_cli(missing, NULL, NULL, &err), ==, 1);
  g_assert_nonnull(strstr(err, "/nonexistent/file.txt"));
  g_free(err);
  char *bad = test_write_temp("zhseg-cli-XXXXXX.txt", "好词 12\n坏词 1x2 n\n", -1);
  const char *args[] = {"cut", "--user-dict", bad, NULL};
  g_assert_cmpint(test_run_cli(args, "你好", NULL, &err), ==, 1);
  char *where = g_strdup_printf("%s:2:", bad);
  g_assert_nonnull(strstr(err, where));
  g_free(where);
  g_free(err);
  const char *mode[] = {"cut", "--mode", "fast", NULL};
  g_assert_cmpint(test_run_cli(mode, "", NULL, &err), ==, 2);
  g_assert_nonnull(strstr(err, "unknown mode"));
  g_free(err);
  g_unlink(bad);
  g_free(bad);
}

/* zhseg cut normalizes ahead of the segmenter on a thread of its own
 * (cli/normstream.c): over many chunks the output must be the same, come
 * in order, and an error in a late chunk must come after the output of the
 * chunks before it, then end the file's output. */
static void test_cut_read_ahead(void)
{
  g_autofree char *sample = test_read_source("examples/bulletins/000_52021f6d9e622ea6.txt", NULL);
  GString *big = g_string_new(NULL);
  while (big->len < 3u << 20)
    g_string_append(big, sample);
  gsize bad_at = big->len - 1000;
  while ((big->str[bad_at] & 0xC0) == 0x80) /* at a character's first byte */
    bad_at++;
  g_autofree char *good = test_write_temp("zhseg-ahead-XXXXXX.txt", big->str, (gssize)big->len);
  char was = big->str[bad_at];
  big->str[bad_at] = (char)0xFF;
  g_autofree char *bad = test_write_temp("zhseg-ahead-bad-XXXXXX.txt", big->str, (gssize)big->len);
  big->str[bad_at] = was;

  /* A file, the same from stdin, and the file twice: the same tokens. */
  char *from_file = NULL, *from_stdin = NULL, *twice = NULL, *err = NULL;
  const char *file_args[] = {"cut", good, NULL};
  g_assert_cmpint(test_run_cli(file_args, NULL, &from_file, NULL), ==, 0);
  const char *stdin_args[] = {"cut", "-", NULL};
  g_assert_cmpint(test_run_cli(stdin_args, big->str, &from_stdin, NULL), ==, 0);
  g_assert_cmpuint(strlen(from_file), >, big->len);
  g_assert_true(strcmp(from_file, from_stdin) == 0);
  const char *twice_args[] = {"cut", good, good, NULL};
  g_assert_cmpint(test_run_cli(twice_args, NULL, &twice, NULL), ==, 0);
  g_autofree char *expect_twice = g_strconcat(from_file, from_file, NULL);
  g_assert_true(strcmp(twice, expect_twice) == 0);

  /* --strict on a bad byte near the end: the chunks before it are written,
   * as the lenient run writes them, then the error names the byte. */
  char *strict_out = NULL, *lenient_out = NULL;
  const char *strict_args[] = {"cut", "--strict", bad, NULL};
  g_assert_cmpint(test_run_cli(strict_args, NULL, &strict_out, &err), ==, 1);
  g_autofree char *where = g_strdup_printf("byte offset %" G_GSIZE_FORMAT ":", bad_at);
  g_assert_nonnull(strstr(err, bad));
  g_assert_nonnull(strstr(err, where));
  const char *lenient_args[] = {"cut", bad, NULL};
  g_assert_cmpint(test_run_cli(lenient_args, NULL, &lenient_out, NULL), ==, 0);
  gsize n = strlen(strict_out);
  g_assert_cmpuint(n, >, big->len / 2);
  g_assert_cmpuint(n, <, strlen(lenient_out));
  g_assert_true(strncmp(strict_out, lenient_out, n) == 0);

  g_free(from_file);
  g_free(from_stdin);
  g_free(twice);
  g_free(err);
  g_free(strict_out);
  g_free(lenient_out);
  g_unlink(good);
  g_unlink(bad);
  g_string_free(big, TRUE);
}

static void test_cut_user_dict(void)
{
  char *user = test_write_temp("zhseg-cli-XXXXXX.txt", "新时代文明实践站\n网格化管理 5 n\n", -1);
  const char *args[] = {"cut", "-u", user, NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, "社区新时代文明实践站推进网格化管理", &out, NULL), ==, 0);
  g_assert_cmpstr(out, ==, "社区 新时代文明实践站 推进 网格化管理\n");
  g_free(out);
  g_unlink(user);
  g_free(user);
}

/* Runs zhseg and returns its peak resident set in KiB. */
static glong run_peak_rss(const char *const *args)
{
  pid_t pid = fork();
  g_assert_cmpint(pid, >=, 0);
  if (pid == 0) {
    int null = open("/dev/null", 1);
    dup2(null, 1);
    execv(g_getenv("ZHSEG_BIN"), (char **)args);
    _exit(127);
  }
  int status;
  struct rusage usage;
  g_assert_cmpint(wait4(pid, &status, 0, &usage), ==, pid);
  g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return usage.ru_maxrss;
}

/* A 500 MB input is segmented in bounded memory (peak RSS under 100 MB).
 * Under the sanitizers, whose shadow memory alone exceeds that, a 50 MB
 * input must stay under the same bound plus the sanitizer's overhead. */
static void test_cut_streaming_memory(void)
{
  gboolean quick = g_getenv("ZHSEG_TEST_QUICK") != NULL;
  gsize target = quick ? 50u << 20 : 500u << 20;
  char *path = NULL;
  int fd = g_file_open_tmp("zhseg-big-XXXXXX.txt", &path, NULL);
  g_assert_cmpint(fd, >=, 0);
  char *sample_path = test_source_path("examples/bulletins/000_52021f6d9e622ea6.txt");
  char *sample;
  gsize sample_len;
  g_assert_true(g_file_get_contents(sample_path, &sample, &sample_len, NULL));
  FILE *f = fdopen(fd, "wb");
  for (gsize written = 0; written < target; written += sample_len)
    g_assert_cmpuint(fwrite(sample, 1, sample_len, f), ==, sample_len);
  fclose(f);
  const char *args[] = {g_getenv("ZHSEG_BIN"), "cut", path, NULL};
  glong kib = run_peak_rss(args);
  g_test_message("zhseg cut on %" G_GSIZE_FORMAT " MB: peak RSS %ld KiB", target >> 20, kib);
  if (quick)
    g_assert_cmpint(kib, <, 400 * 1024);
  else
    g_assert_cmpint(kib, <, 100 * 1024);
  g_unlink(path);
  g_free(path);
  g_free(sample);
  g_free(sample_path);
}

/* A line longer than a read chunk, without punctuation to cut at, is cut
 * between characters: no character is split into invalid bytes (raw path). */
static void test_cut_long_line_raw(void)
{
  GString *line = g_string_new(NULL);
  while (line->len < (3u << 20))
    g_string_append(line, "社区网格员开展志愿服务");
  char *path = test_write_temp("zhseg-cli-XXXXXX.txt", line->str, (gssize)line->len);
  const char *args[] = {"cut", "--raw", "--format", "tsv", path, NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, NULL), ==, 0);
  g_assert_null(strstr(out, "\tinvalid\t"));
  g_assert_cmpuint(strlen(out), >, line->len);
  g_free(out);
  g_unlink(path);
  g_free(path);
  g_string_free(line, TRUE);
}

static void test_eval(void)
{
  /* A segmentation scored against itself is perfect; a shifted one is not. */
  char *gold = test_write_temp("zhseg-cli-XXXXXX.txt", "我们  在  社区\n开展  志愿  服务\n", -1);
  char *test = test_write_temp("zhseg-cli-XXXXXX.txt", "我们 在社 区\n开展  志愿服务\n", -1);
  const char *self[] = {"eval", "--gold", gold, "--json", gold, NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(self, NULL, &out, NULL), ==, 0);
  g_assert_nonnull(strstr(out, "\"precision\":1.0000,\"recall\":1.0000,\"f1\":1.0000"));
  g_free(out);
  const char *other[] = {"eval", "--gold", gold, "--json", test, NULL};
  g_assert_cmpint(test_run_cli(other, NULL, &out, NULL), ==, 0);
  /* correct: 我们, 开展 = 2; test words 5; gold words 6 */
  g_assert_nonnull(strstr(out, "\"gold_words\":6,\"test_words\":5,\"correct\":2,\"precision\":0.4000,\"recall\":0.3333"));
  g_free(out);
  g_unlink(gold);
  g_unlink(test);
  g_free(gold);
  g_free(test);
}

/* On the PKU bakeoff test, the default mode beats jieba's better mode (F1
 * 83.58, HMM off) and keeps at least jieba's HMM OOV recall (58.3%). */
static void test_eval_pku(void)
{
  char *gold = test_shared_path("eval/sighan2005/pku_test_gold.utf8");
  char *words = test_shared_path("eval/sighan2005/pku_training_words.utf8");
  if (gold == NULL || words == NULL) {
    g_test_skip("../shared/eval/sighan2005 is absent: the PKU evaluation needs it");
    return;
  }
  const char *args[] = {"eval", "--gold", gold, "--words", words, "--json", NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, NULL), ==, 0);
  g_test_message("zhseg eval on PKU: %s", out);
  double f1 = g_ascii_strtod(strstr(out, "\"f1\":") + 5, NULL);
  double oov = g_ascii_strtod(strstr(out, "\"oov_recall\":") + 13, NULL);
  g_assert_cmpfloat(f1, >=, 0.8358);
  g_assert_cmpfloat(oov, >=, 0.583);
  g_free(out);
  g_free(gold);
  g_free(words);
}

static void test_dict_commands(void)
{
  char *out = NULL;
  const char *info[] = {"dict", "info", "--json", NULL};
  g_assert_cmpint(test_run_cli(info, NULL, &out, NULL), ==, 0);
  g_assert_nonnull(strstr(out, "\"checksum_ok\":true"));
  g_assert_nonnull(strstr(out, "\"open_ms_median\":"));
  g_free(out);
  const char *lookup[] = {"dict", "lookup", "社区", "不存在的词语", NULL};
  g_assert_cmpint(test_run_cli(lookup, NULL, &out, NULL), ==, 1);
  g_assert_cmpstr(out, ==, "社区\t6115\tn\n不存在的词语\t\t(not found)\n");
  g_free(out);
  /* A corrupt image named with --dict is refused with its name. */
  char *bad = test_write_temp("zhseg-cli-XXXXXX.txt", "ZHSEGDCT but not really an image", -1);
  const char *open_bad[] = {"dict", "info", bad, NULL};
  char *err = NULL;
  g_assert_cmpint(test_run_cli(open_bad, NULL, NULL, &err), ==, 1);
  g_assert_nonnull(strstr(err, bad));
  g_free(err);
  g_unlink(bad);
  g_free(bad);
}

/* The tokens of `zhseg cut ARGS... FILE` in order, line breaks ignored. */
static char **cut_tokens(const char *file, const char *extra)
{
  const char *args[] = {"cut", extra != NULL ? extra : file, extra != NULL ? file : NULL, NULL};
  char *out = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, NULL), ==, 0);
  for (char *p = out; *p; p++)
    if (*p == '\n')
      *p = ' ';
  char **tokens = g_strsplit_set(g_strstrip(out), " ", -1);
  g_free(out);
  /* Drop the empty strings runs of spaces leave. */
  guint w = 0;
  for (guint r = 0; tokens[r] != NULL; r++) {
    if (tokens[r][0] != '\0')
      tokens[w++] = tokens[r];
    else
      g_free(tokens[r]);
  }
  tokens[w] = NULL;
  return tokens;
}

static void assert_same_tokens(char **a, char **b, const char *what)
{
  guint i = 0;
  for (; a[i] != NULL && b[i] != NULL; i++)
    if (strcmp(a[i], b[i]) != 0)
      g_error("%s: token %u differs: %s vs %s", what, i, a[i], b[i]);
  if (a[i] != NULL || b[i] != NULL)
    g_error("%s: %u vs %u tokens", what, g_strv_length(a), g_strv_length(b));
  g_assert_cmpuint(i, >, 1000);
}

/* Bulletins 000 and 002 are hard-wrapped newspaper columns: their tokens
 * equal those of the same text with the in-paragraph line breaks removed by
 * hand (tests/fixtures/NNN_unwrapped.txt), so no word is cut by a wrap. */
static void test_cut_unwrapped(void)
{
  const char *pairs[][2] = {{"examples/bulletins/000_52021f6d9e622ea6.txt", "tests/fixtures/000_unwrapped.txt"},
                            {"examples/bulletins/002_03d3af94e49f0032.txt", "tests/fixtures/002_unwrapped.txt"}};
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    char *wrapped = test_source_path(pairs[i][0]), *unwrapped = test_source_path(pairs[i][1]);
    char **a = cut_tokens(wrapped, NULL), **b = cut_tokens(unwrapped, NULL);
    assert_same_tokens(a, b, pairs[i][0]);
    /* Without the normalizer the wraps do cut words: the check above can fail. */
    char **raw = cut_tokens(wrapped, "--raw");
    g_assert_cmpuint(g_strv_length(raw), !=, g_strv_length(b));
    g_strfreev(raw);
    g_strfreev(a);
    g_strfreev(b);
    g_free(wrapped);
    g_free(unwrapped);
  }
}

/* Traditional fixtures (the bulletins through ICU's Simplified-Traditional)
 * segment to the tokens of the simplified originals: as normalized, the same
 * tokens; as printed, traditional characters in the same places. */
static void test_cut_traditional(void)
{
  const char *pairs[][2] = {{"examples/bulletins/000_52021f6d9e622ea6.txt", "tests/fixtures/000_traditional.txt"},
                            {"examples/bulletins/002_03d3af94e49f0032.txt", "tests/fixtures/002_traditional.txt"},
                            {"examples/bulletins/003_fe8fcde420be2a24.txt", "tests/fixtures/003_traditional.txt"}};
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    char *simp = test_source_path(pairs[i][0]), *trad = test_source_path(pairs[i][1]);
    char **a = cut_tokens(simp, "--normalized"), **b = cut_tokens(trad, "--normalized");
    assert_same_tokens(a, b, pairs[i][1]);
    char **printed = cut_tokens(trad, NULL);
    g_assert_cmpuint(g_strv_length(printed), ==, g_strv_length(b));
    guint differing = 0;
    for (guint k = 0; printed[k] != NULL; k++) {
      /* NFKC may lengthen a mark (…… becomes ......): compare Han tokens. */
      if ((guchar)b[k][0] >= 0x80 && g_unichar_get_script(g_utf8_get_char(b[k])) == G_UNICODE_SCRIPT_HAN)
        g_assert_cmpuint(g_utf8_strlen(printed[k], -1), ==, g_utf8_strlen(b[k], -1));
      differing += strcmp(printed[k], b[k]) != 0;
    }
    g_assert_cmpuint(differing, >, 100); /* printed as it stands: traditional */
    g_strfreev(printed);
    g_strfreev(a);
    g_strfreev(b);
    g_free(simp);
    g_free(trad);
  }
}

/* The PKU test text in CP936 and in UTF-8: identical normalized text and
 * identical `zhseg cut` text output. */
static void test_cut_pku_gbk(void)
{
  char *gbk = test_shared_path("eval/sighan2005/pku_test.txt");
  char *utf8 = test_shared_path("eval/sighan2005/pku_test.utf8");
  if (gbk == NULL || utf8 == NULL) {
    g_test_skip("../shared/eval/sighan2005 is absent: the GBK comparison needs it");
    return;
  }
  const char *commands[] = {"normalize", "cut"};
  for (gsize c = 0; c < 2; c++) {
    const char *a1[] = {commands[c], gbk, NULL}, *a2[] = {commands[c], utf8, NULL};
    char *o1 = NULL, *o2 = NULL;
    g_assert_cmpint(test_run_cli(a1, NULL, &o1, NULL), ==, 0);
    g_assert_cmpint(test_run_cli(a2, NULL, &o2, NULL), ==, 0);
    g_assert_cmpuint(strlen(o1), >, 400000);
    g_assert_true(strcmp(o1, o2) == 0);
    g_free(o1);
    g_free(o2);
  }
  g_free(gbk);
  g_free(utf8);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/cli/cut/text", test_cut_text);
  g_test_add_func("/cli/cut/tsv-offsets", test_cut_tsv_offsets);
  g_test_add_func("/cli/cut/errors", test_cut_errors);
  g_test_add_func("/cli/cut/read-ahead", test_cut_read_ahead);
  g_test_add_func("/cli/cut/user-dict", test_cut_user_dict);
  g_test_add_func("/cli/cut/streaming-memory", test_cut_streaming_memory);
  g_test_add_func("/cli/cut/long-line-raw", test_cut_long_line_raw);
  g_test_add_func("/cli/cut/unwrapped", test_cut_unwrapped);
  g_test_add_func("/cli/cut/traditional", test_cut_traditional);
  g_test_add_func("/cli/cut/pku-gbk", test_cut_pku_gbk);
  g_test_add_func("/cli/eval/scoring", test_eval);
  g_test_add_func("/cli/eval/pku", test_eval_pku);
  g_test_add_func("/cli/dict", test_dict_commands);
  return g_test_run();
}
