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

static char *write_temp(const char *contents, gssize len)
{
  char *path = NULL;
  int fd = g_file_open_tmp("zhseg-cli-XXXXXX.txt", &path, NULL);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  g_assert_true(g_file_set_contents(path, contents, len, NULL));
  return path;
}

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

/* Unescapes a TSV field (\t \n \r \\). */
static char *tsv_unescape(const char *s)
{
  GString *o = g_string_new(NULL);
  for (const char *p = s; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      g_string_append_c(o, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
    } else {
      g_string_append_c(o, *p);
    }
  }
  return g_string_free(o, FALSE);
}

/* Every TSV row's byte span of the file holds its text, character offsets
 * and line numbers agree with the file, and JSON Lines carry the same. */
static void test_cut_tsv_offsets(void)
{
  const char *content = "第一行：社区网格员\r\n第二行 APP和45%\n\n☆最后\xff一行";
  gsize len = strlen(content);
  char *path = write_temp(content, (gssize)len);
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
    char *text = tsv_unescape(f[0]);
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
  char *bad = write_temp("好词 12\n坏词 1x2 n\n", -1);
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

static void test_cut_user_dict(void)
{
  char *user = write_temp("新时代文明实践站\n网格化管理 5 n\n", -1);
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

static void test_eval(void)
{
  /* A segmentation scored against itself is perfect; a shifted one is not. */
  char *gold = write_temp("我们  在  社区\n开展  志愿  服务\n", -1);
  char *test = write_temp("我们 在社 区\n开展  志愿服务\n", -1);
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
  char *bad = write_temp("ZHSEGDCT but not really an image", -1);
  const char *open_bad[] = {"dict", "info", bad, NULL};
  char *err = NULL;
  g_assert_cmpint(test_run_cli(open_bad, NULL, NULL, &err), ==, 1);
  g_assert_nonnull(strstr(err, bad));
  g_free(err);
  g_unlink(bad);
  g_free(bad);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/cli/cut/text", test_cut_text);
  g_test_add_func("/cli/cut/tsv-offsets", test_cut_tsv_offsets);
  g_test_add_func("/cli/cut/errors", test_cut_errors);
  g_test_add_func("/cli/cut/user-dict", test_cut_user_dict);
  g_test_add_func("/cli/cut/streaming-memory", test_cut_streaming_memory);
  g_test_add_func("/cli/eval/scoring", test_eval);
  g_test_add_func("/cli/eval/pku", test_eval_pku);
  g_test_add_func("/cli/dict", test_dict_commands);
  return g_test_run();
}
