/* zhseg cut --format text against --format tsv: text output takes short
 * ways (a fast range of copied tokens, inline lookups in slow segments, a
 * line count over the input's line feeds), tsv output the general per-token
 * lookups. Both print each token as it stands in the input, so the text
 * output must be the tsv rows' texts, joined by the delimiter, one output
 * line per input line. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void string_free(gpointer s)
{
  g_string_free(s, TRUE);
}

/* Runs cut on `path` in text and tsv format with `opts` (NULL-terminated)
 * and checks that the text output is what the tsv rows say. */
static void check_text_is_tsv(const char *path, const char *const *opts, const char *delimiter)
{
  GPtrArray *args = g_ptr_array_new();
  g_ptr_array_add(args, (gpointer) "cut");
  for (guint i = 0; opts[i] != NULL; i++)
    g_ptr_array_add(args, (gpointer)opts[i]);
  char *delim_opt = delimiter != NULL ? g_strconcat("--delimiter=", delimiter, NULL) : NULL;
  if (delim_opt != NULL)
    g_ptr_array_add(args, delim_opt);
  g_ptr_array_add(args, (gpointer)path);
  g_ptr_array_add(args, NULL);
  char *text = NULL;
  g_assert_cmpint(test_run_cli((const char *const *)args->pdata, NULL, &text, NULL), ==, 0);

  /* the same with --format tsv instead of the delimiter */
  if (delim_opt != NULL)
    g_ptr_array_remove_index(args, args->len - 3);
  g_ptr_array_insert(args, 1, (gpointer) "--format=tsv");
  char *tsv = NULL;
  g_assert_cmpint(test_run_cli((const char *const *)args->pdata, NULL, &tsv, NULL), ==, 0);

  char **out_lines = test_split_lines(text);
  guint n_out = g_strv_length(out_lines);
  g_assert_cmpuint(n_out, >, 0);
  g_assert_cmpstr(out_lines[n_out - 1], ==, ""); /* text ends with a newline (or is empty) */
  GPtrArray *expect = g_ptr_array_new_with_free_func(string_free);
  for (guint i = 0; i + 1 < n_out || i == 0; i++)
    g_ptr_array_add(expect, g_string_new(NULL));
  gboolean *has_token = g_new0(gboolean, expect->len);
  const char *d = delimiter != NULL ? delimiter : " ";
  char **rows = test_split_lines(tsv);
  for (guint r = 1; rows[r] != NULL && rows[r][0] != '\0'; r++) {
    char **f = g_strsplit(rows[r], "\t", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 9);
    guint64 line = g_ascii_strtoull(f[5], NULL, 10);
    g_assert_cmpuint(line, >=, 1);
    g_assert_cmpuint(line, <=, expect->len);
    GString *e = g_ptr_array_index(expect, line - 1);
    if (has_token[line - 1])
      g_string_append(e, d);
    has_token[line - 1] = TRUE;
    test_tsv_unescape_into(e, f[0]);
    g_strfreev(f);
  }
  for (guint i = 0; i + 1 < n_out; i++) {
    GString *e = g_ptr_array_index(expect, i);
    if (strcmp(out_lines[i], e->str) != 0)
      g_error("%s, line %u: text output\n  %s\nbut tsv says\n  %s", path, i + 1, out_lines[i], e->str);
  }
  g_ptr_array_free(expect, TRUE);
  g_free(has_token);
  g_strfreev(rows);
  g_strfreev(out_lines);
  g_free(text);
  g_free(tsv);
  g_free(delim_opt);
  g_ptr_array_free(args, TRUE);
}

static const char *const units[] = {
  "社区居民积极参加志愿服务活动。\n",
  "今年共开展活动１２次，参与群众３００人次。\n",
  "街道办事处召开会议。\r\n",
  "社区中老年人在表演太极扇社区中老年人在表演太极扇。。\n",
  "加强文明社区建设加强文明社区建设加强文明社区建设\n\n",
  "为深入学习贯彻党的十\n九届二中全会精神，社区组织党员\n开展主题党日活动。\n",
  "中 国 人民\t银行。\n",
  "坚持\r以人民为中心。\n",
  "這裡的居民說話很客氣，臺灣經濟發展迅速。他說：對。\n",
  "温度为２５℃，湿度60%。\r\n",
  "bad \xFF byte\xE4\xB8。\n",
  "Wi-Fi覆盖率达到 95.5%，ABC公司。\n",
  "⑴第一条⑵第二条，“引号”和‘单引号’……——\n",
  "中华人民共和国中央人民政府网站http://www.gov.cn/a/b?c=d的地址abcdefghijklmnopqrstuvwxyz\n",
  "\n",
  "   \n",
  "反斜杠\\和制表符\t在这里。",
};

/* Random units, some without their line feed, so lines get long. */
static char *random_text(GRand *rand, gsize min_len, gsize *len)
{
  GString *s = g_string_new(NULL);
  while (s->len < min_len) {
    const char *u = units[g_rand_int_range(rand, 0, G_N_ELEMENTS(units))];
    gsize n = strlen(u);
    if (n > 1 && u[n - 1] == '\n' && g_rand_int_range(rand, 0, 4) == 0)
      n--;
    g_string_append_len(s, u, (gssize)n);
  }
  *len = s->len;
  return g_string_free(s, FALSE);
}

static void test_text_matches_tsv(void)
{
  GRand *rand = g_rand_new_with_seed(20240611);
  static const char *const precise[] = {NULL};
  static const char *const search[] = {"--mode", "search", NULL};
  static const char *const full[] = {"--mode", "full", NULL};
  static const char *const normalized[] = {"--normalized", NULL};
  static const char *const no_dedup[] = {"--no-dedup", "--t2s", "off", NULL};
  gsize sizes[] = {0, 1, 300, 5000, 60000};
  for (guint k = 0; k < G_N_ELEMENTS(sizes); k++) {
    gsize len;
    char *content = random_text(rand, sizes[k], &len);
    char *path = test_write_temp("zhseg-cut-text-XXXXXX.txt", content, (gssize)len);
    check_text_is_tsv(path, precise, NULL);
    check_text_is_tsv(path, search, NULL);
    check_text_is_tsv(path, full, " / ");
    check_text_is_tsv(path, normalized, NULL);
    check_text_is_tsv(path, no_dedup, "");
    check_text_is_tsv(path, precise, "、");
    check_text_is_tsv(path, precise, "<<<<<<<<<<<<<<<<>>>>>>>>>>>>>>>>"); /* longer than the 16-byte copy */
    g_unlink(path);
    g_free(path);
    g_free(content);
  }
  g_rand_free(rand);
}

/* Clean text only (the identity map), one line longer than a chunk of the
 * reader (1 MiB), so that it is cut inside the line. */
static void test_text_long_clean(void)
{
  if (g_getenv("ZHSEG_TEST_QUICK") != NULL) {
    g_test_skip("quick run");
    return;
  }
  GString *s = g_string_new(NULL);
  while (s->len < (3u << 19))
    g_string_append(s, "社区居民积极参加志愿服务活动，今年共开展活动12次，Wi-Fi覆盖率达到95.5%，");
  g_string_append(s, "\n最后一行\n\n");
  char *path = test_write_temp("zhseg-cut-text-XXXXXX.txt", s->str, (gssize)s->len);
  static const char *const precise[] = {NULL};
  check_text_is_tsv(path, precise, NULL);
  g_unlink(path);
  g_free(path);
  g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/cli/cut/text-matches-tsv", test_text_matches_tsv);
  g_test_add_func("/cli/cut/text-long-clean", test_text_long_clean);
  return g_test_run();
}
