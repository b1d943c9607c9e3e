/* Segmenter: expected tokens, modes, offsets, invalid input, threads, and
 * jieba as a differential oracle. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  const char *input;
  const char *expected; /* tokens joined by " | " */
} Case;

/* Hand-made expectations: each line is what a reader of Chinese would want,
 * checked against the default dictionary. */
static const Case precise_cases[] = {
  {"我们在社区开展志愿服务", "我们 | 在 | 社区 | 开展 | 志愿 | 服务"},
  {"中华人民共和国成立了", "中华人民共和国 | 成立 | 了"},
  /* numbers, dates, percentages, Latin words and model numbers */
  {"2018年GDP增长3.5%", "2018年 | GDP | 增长 | 3.5%"},
  {"价格是1,000元，增长45%", "价格 | 是 | 1,000 | 元 | ， | 增长 | 45%"},
  {"12月31日下午3时", "12月 | 31日 | 下午 | 3时"},
  {"二○○一年十二月三十一日", "二○○一年 | 十二月 | 三十一日"},
  /* a zero written ○ or 〇 makes a number of Han digits, year or not; a ○
   * bullet before 一 does not */
  {"二○○○年度报告", "二○○○ | 年度报告"},
  {"国道一〇二沿线", "国道 | 一〇二 | 沿线"},
  {"二○一一年度", "二○一一 | 年度"},
  {"○一是加强学习", "○ | 一 | 是 | 加强 | 学习"},
  /* joins of both rules in one block, with the tokens between them moved up */
  {"会议于2018年召开二○○一年十二月三十一日结束国道一〇二沿线建设于2019年10月1日完成二○○○年度报告",
   "会议 | 于 | 2018年 | 召开 | 二○○一年 | 十二月 | 三十一日 | 结束 | 国道 | 一〇二 | 沿线 | 建设 | 于 | 2019年 | "
   "10月 | 1日 | 完成 | 二○○○ | 年度报告"},
  {"COVID-19疫情期间", "COVID-19 | 疫情 | 期间"},
  {"他用C++和C#写了一个APP", "他 | 用 | C++ | 和 | C# | 写 | 了 | 一个 | APP"},
  {"支持5G和Wi-Fi。", "支持 | 5G | 和 | Wi-Fi | 。"},
  {"iPhone12发布", "iPhone12 | 发布"},
  {"我买了一件T恤", "我 | 买 | 了 | 一件 | T恤"},
  {"A+B不是C++", "A | + | B | 不是 | C++"},
  /* punctuation runs and spaces */
  {"——好的……", "—— | 好 | 的 | ……"},
  {"你好 世界\n再见", "你好 | 世界 | 再见"},
  /* names through the HMM */
  {"刘玉梅来自锡林郭勒盟", "刘玉梅 | 来自 | 锡林郭勒盟"},
  {"记者刘玉梅报道", "记者 | 刘玉梅 | 报道"},
  /* the standalone rule: 这 and 是 are not glued into an unknown word */
  {"这是新的", "这 | 是 | 新 | 的"},
};

static void check_cases(ZhsegSegmenter *seg, const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    char *got = test_cut_joined(seg, cases[i].input);
    if (strcmp(got, cases[i].expected) != 0)
      g_error("'%s':\n  expected %s\n  got      %s", cases[i].input, cases[i].expected, got);
    g_free(got);
  }
}

static void test_precise(void)
{
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  check_cases(seg, precise_cases, G_N_ELEMENTS(precise_cases));
  zhseg_segmenter_free(seg);
}

/* Cuts `text` (precise, HMM) and checks each token's text, type name,
 * tag name (unless NULL) and character offsets against expected[0..n). */
static void check_types(const char *text, const char *const (*expected)[3], gsize n)
{
  ZhsegDict *dict = test_default_dict();
  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, text, strlen(text), tokens);
  g_assert_cmpuint(tokens->len, ==, n);
  gsize chars = 0;
  for (guint i = 0; i < tokens->len; i++) {
    ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    char *s = g_strndup(text + t->start, t->end - t->start);
    g_assert_cmpstr(s, ==, expected[i][0]);
    g_assert_cmpstr(zhseg_token_type_name(t->type), ==, expected[i][1]);
    if (expected[i][2] != NULL)
      g_assert_cmpstr(zhseg_dict_tag_name(dict, t->tag), ==, expected[i][2]);
    g_assert_cmpuint(t->cstart, ==, chars);
    chars += g_utf8_validate(s, -1, NULL) ? g_utf8_strlen(s, -1) : 1; /* a bad byte counts one */
    g_assert_cmpuint(t->cend, ==, chars);
    g_free(s);
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
}

static void test_types(void)
{
  static const char *const expected[][3] = {
    {"社区", "word", "n"}, {" ", "space", ""}, {"2018年", "number", "m"}, {"、", "punct", "x"},
    {"APP", "latin", "eng"}, {"和", "word", "c"}, {"45%", "number", "m"}, {"☆", "symbol", "x"},
    {"\xff", "invalid", ""},
  };
  check_types("社区 2018年、APP和45%☆\xff", expected, G_N_ELEMENTS(expected));
}

/* Marks and line breaks right after a block, with Han text after them:
 * the segmenter makes their tokens and goes on to the next block in one
 * step (block.c), and each still comes out whole: a run of one mark, CR
 * LF as one break. */
static void test_types_after_blocks(void)
{
  static const char *const expected[][3] = {
    {"社区", "word", NULL}, {"，", "punct", "x"}, {"活动", "word", NULL}, {"——", "punct", "x"},
    {"\r\n", "space", ""}, {"志愿", "word", NULL}, {"\n", "space", ""}, {"服务", "word", NULL},
    {"。。", "punct", "x"}, {"网格", "word", NULL}, {"\r\n", "space", ""},
  };
  check_types("社区，活动——\r\n志愿\n服务。。网格\r\n", expected, G_N_ELEMENTS(expected));
}

/* UTF-8 validity where U+0000 counts as valid (GLib's validator rejects it). */
static gboolean valid_utf8(const char *s, gsize len)
{
  for (gsize i = 0; i < len;) {
    const char *end;
    if (g_utf8_validate_len(s + i, len - i, &end))
      return TRUE;
    if (*end != '\0')
      return FALSE;
    i = (gsize)(end - s) + 1;
  }
  return TRUE;
}

static glong count_chars(const char *s, gsize len)
{
  glong n = 0;
  for (gsize i = 0; i < len; n++)
    i += s[i] == '\0' ? 1 : (gsize)(g_utf8_next_char(s + i) - (s + i));
  return n;
}

/* In precise mode tokens tile the input, and character offsets count code
 * points (an invalid sequence counting one). */
static void check_tiling(const char *text, gsize len, GArray *tokens)
{
  gsize pos = 0, cpos = 0;
  for (guint i = 0; i < tokens->len; i++) {
    ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    g_assert_cmpuint(t->start, ==, pos);
    g_assert_cmpuint(t->end, >, t->start);
    g_assert_cmpuint(t->cstart, ==, cpos);
    if (t->type != ZHSEG_TOKEN_INVALID) {
      g_assert_true(valid_utf8(text + t->start, t->end - t->start));
      g_assert_cmpuint(t->cend - t->cstart, ==, count_chars(text + t->start, t->end - t->start));
    } else {
      g_assert_cmpuint(t->cend - t->cstart, ==, 1);
      g_assert_false(valid_utf8(text + t->start, t->end - t->start));
    }
    pos = t->end;
    cpos = t->cend;
  }
  g_assert_cmpuint(pos, ==, len);
}

static void test_empty(void)
{
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  g_assert_cmpuint(zhseg_segmenter_cut(seg, "", 0, tokens), ==, 0);
  g_assert_cmpuint(zhseg_segmenter_cut(seg, NULL, 0, tokens), ==, 0);
  g_assert_cmpuint(tokens->len, ==, 0);
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
}

/* A word may not end inside an atom a walk from a Han character runs into:
 * 阿Q is not a word of 阿QQ, nor 甲乙Q of 甲乙QQ, and a path through one
 * would leave the rest of the atom on its own. The tiny dictionary lacks
 * 阿, 甲 and 乙 as words, so no other word there competes with the one the
 * test rules out (the default dictionary has 阿, and an unknown character
 * at least, beating a word that leads nowhere). */
static void test_word_ends_in_atom(void)
{
  ZhsegDict *dict = test_compile_dict("阿Q 10\n甲乙Q 10\nQQ 5\n号 3\n");
  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  static const Case cases[] = {
      {"阿Q号", "阿Q | 号"}, /* the atom is Q alone: the word ends with it */
      {"阿QQ号", "阿 | QQ | 号"},
      {"甲乙Q号", "甲乙Q | 号"},
      {"甲乙QQ号", "甲 | 乙 | QQ | 号"},
  };
  check_cases(seg, cases, G_N_ELEMENTS(cases));
  zhseg_segmenter_free(seg);
  zhseg_dict_unref(dict);
}

/* Invalid UTF-8 at every position of a sentence, and random bytes: never a
 * crash, bad bytes become their own tokens, the rest still tiles. */
static void test_invalid_utf8(void)
{
  const char *sentence = "社区网格员Wi-Fi 3.5%，刘玉梅。";
  const char *bad[] = {"\xff", "\xc3", "\xe4\xb8", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80\x80", "\xc0\xaf"};
  gsize slen = strlen(sentence);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (int mode = ZHSEG_MODE_PRECISE; mode <= ZHSEG_MODE_PRECISE; mode++) {
    ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), mode, 0);
    for (gsize b = 0; b < G_N_ELEMENTS(bad); b++)
      for (gsize at = 0; at <= slen; at++) {
        GString *s = g_string_new_len(sentence, (gssize)at);
        g_string_append(s, bad[b]);
        g_string_append_len(s, sentence + at, (gssize)(slen - at));
        g_array_set_size(tokens, 0);
        zhseg_segmenter_cut(seg, s->str, s->len, tokens);
        check_tiling(s->str, s->len, tokens);
        guint invalid = 0;
        for (guint i = 0; i < tokens->len; i++)
          invalid += g_array_index(tokens, ZhsegToken, i).type == ZHSEG_TOKEN_INVALID;
        g_assert_cmpuint(invalid, >=, 1);
        g_string_free(s, TRUE);
      }
    for (int round = 0; round < 2000; round++) {
      guint8 buf[64];
      gsize n = (gsize)g_test_rand_int_range(0, sizeof buf);
      for (gsize i = 0; i < n; i++)
        buf[i] = (guint8)g_test_rand_int_range(0, 256);
      g_array_set_size(tokens, 0);
      zhseg_segmenter_cut(seg, (const char *)buf, n, tokens);
      check_tiling((const char *)buf, n, tokens);
    }
    zhseg_segmenter_free(seg);
  }
  g_array_free(tokens, TRUE);
}

static char *read_bulletins(void)
{
  GString *all = g_string_new(NULL);
  char *dir = test_source_path("examples/bulletins");
  const char *names[] = {"000_52021f6d9e622ea6.txt", "001_2a2cfac5a1734cac.txt", "002_03d3af94e49f0032.txt",
                         "003_fe8fcde420be2a24.txt", "004_26b3da91c02ab179.txt"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    char *path = g_build_filename(dir, names[i], NULL);
    char *text;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_string_append(all, text);
    g_free(text);
    g_free(path);
  }
  g_free(dir);
  return g_string_free(all, FALSE);
}

static void test_tiling_bulletins(void)
{
  char *text = read_bulletins();
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (guint flags = 0; flags <= ZHSEG_SEGMENTER_NO_HMM; flags++) {
    ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, flags);
    g_array_set_size(tokens, 0);
    zhseg_segmenter_cut(seg, text, strlen(text), tokens);
    check_tiling(text, strlen(text), tokens);
    g_assert_cmpuint(tokens->len, >, 10000);
    zhseg_segmenter_free(seg);
  }
  g_array_free(tokens, TRUE);
  g_free(text);
}

/* A text cut whole gives the tokens of its lines cut one by one, in every
 * mode: within one call the segmenter goes from a block through the mark
 * or line break after it to the next block (block.c), across a line end
 * it returns first. */
static void test_lines_alone(void)
{
  char *bulletins = read_bulletins();
  char *text = g_strconcat(bulletins, "第一段\r\n——第二段，2019年10月1日，APP下载……\r\n\r\n第三段：“好”。。再见\n",
                           NULL);
  gsize len = strlen(text);
  GArray *whole = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  GArray *line = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (ZhsegMode mode = ZHSEG_MODE_PRECISE; mode <= ZHSEG_MODE_FULL; mode++) {
    for (guint flags = 0; flags <= ZHSEG_SEGMENTER_NO_HMM; flags += ZHSEG_SEGMENTER_NO_HMM) {
      ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), mode, flags);
      g_array_set_size(whole, 0);
      zhseg_segmenter_cut(seg, text, len, whole);
      guint k = 0;
      gsize chars = 0;
      for (gsize a = 0; a < len;) {
        const char *nl = memchr(text + a, '\n', len - a);
        gsize b = nl != NULL ? (gsize)(nl - text) + 1 : len;
        g_array_set_size(line, 0);
        zhseg_segmenter_cut(seg, text + a, b - a, line);
        for (guint i = 0; i < line->len; i++, k++) {
          const ZhsegToken *t = &g_array_index(line, ZhsegToken, i);
          g_assert_cmpuint(k, <, whole->len);
          const ZhsegToken *w = &g_array_index(whole, ZhsegToken, k);
          g_assert_cmpuint(w->start, ==, a + t->start);
          g_assert_cmpuint(w->end, ==, a + t->end);
          g_assert_cmpuint(w->cstart, ==, chars + t->cstart);
          g_assert_cmpuint(w->cend, ==, chars + t->cend);
          g_assert_cmpuint(w->type, ==, t->type);
          g_assert_cmpuint(w->tag, ==, t->tag);
          g_assert_cmpuint(w->flags, ==, t->flags);
        }
        chars += g_utf8_strlen(text + a, (gssize)(b - a));
        a = b;
      }
      g_assert_cmpuint(k, ==, whole->len);
      zhseg_segmenter_free(seg);
    }
  }
  g_array_free(whole, TRUE);
  g_array_free(line, TRUE);
  g_free(text);
  g_free(bulletins);
}

/* One line of 50 MB (8 MB under sanitizers) without a single punctuation
 * mark: segmented in bounded blocks, tiling the input, words intact at the
 * block cuts (the same as cutting a short sample of the same text). */
static void test_long_line(void)
{
  gsize target = g_getenv("ZHSEG_TEST_QUICK") ? 8u << 20 : 50u << 20;
  const char *unit = "社区网格员开展志愿服务活动";
  GString *s = g_string_sized_new(target + 64);
  while (s->len < target)
    g_string_append(s, unit);
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, s->str, s->len, tokens);
  check_tiling(s->str, s->len, tokens);
  /* Every repetition segments alike, including those at block cuts. */
  char *one = test_cut_joined(seg, unit);
  guint per_unit = 1;
  for (const char *p = one; (p = strstr(p, " | ")) != NULL; p += 3)
    per_unit++;
  gsize units = s->len / strlen(unit);
  g_assert_cmpuint(tokens->len, ==, units * per_unit);
  g_free(one);
  g_array_free(tokens, TRUE);
  g_string_free(s, TRUE);
  zhseg_segmenter_free(seg);
}

static void test_modes(void)
{
  ZhsegDict *dict = test_default_dict();
  ZhsegSegmenter *search = zhseg_segmenter_new(dict, ZHSEG_MODE_SEARCH, 0);
  char *got = test_cut_joined(search, "中华人民共和国成立了");
  g_assert_cmpstr(got, ==, "中华 | 华人 | 人民 | 共和 | 共和国 | 中华人民共和国 | 成立 | 了");
  g_free(got);
  ZhsegSegmenter *full = zhseg_segmenter_new(dict, ZHSEG_MODE_FULL, 0);
  got = test_cut_joined(full, "中华人民共和国成立了");
  g_assert_cmpstr(got, ==, "中华 | 中华人民 | 中华人民共和国 | 华人 | 人民 | 人民共和国 | 共和 | 共和国 | 成立 | 了");
  g_free(got);
  /* Every full-mode token is a dictionary word or an uncovered character. */
  char *text = read_bulletins();
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(full, text, strlen(text), tokens);
  for (guint i = 0; i < tokens->len; i++) {
    ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    if (t->type == ZHSEG_TOKEN_WORD && t->cend - t->cstart > 1)
      g_assert_true(zhseg_dict_lookup(dict, text + t->start, (gssize)(t->end - t->start), NULL, NULL));
  }
  g_array_free(tokens, TRUE);
  g_free(text);
  zhseg_segmenter_free(search);
  zhseg_segmenter_free(full);
}

static void test_user_words(void)
{
  ZhsegDict *base = test_default_dict();
  ZhsegSegmenter *plain = zhseg_segmenter_new(base, ZHSEG_MODE_PRECISE, 0);
  const char *text = "社区里的新时代文明实践站推进网格化管理，开通Wi-Fi 6网络和COVID-19疫苗接种点";
  char *before = test_cut_joined(plain, text);
  g_assert_null(strstr(before, "新时代文明实践站"));
  g_assert_null(strstr(before, "网格化管理 "));
  GError *error = NULL;
  /* Without and with a frequency; a word with a space and hyphen (TAB-separated). */
  ZhsegDict *d = zhseg_dict_new_overlay(base, "新时代文明实践站\n网格化管理 3\nWi-Fi 6\t10\teng\nCOVID-19疫苗\n",
                                        -1, "user", &error);
  g_assert_no_error(error);
  ZhsegSegmenter *seg = zhseg_segmenter_new(d, ZHSEG_MODE_PRECISE, 0);
  char *after = test_cut_joined(seg, text);
  g_assert_cmpstr(after, ==,
                  "社区 | 里 | 的 | 新时代文明实践站 | 推进 | 网格化管理 | ， | 开通 | Wi-Fi 6 | 网络 | 和 | "
                  "COVID-19疫苗 | 接种 | 点");
  /* Removing a word with frequency 0 splits it. */
  ZhsegDict *d2 = zhseg_dict_new_overlay(base, "社区 0\n", -1, "user", &error);
  ZhsegSegmenter *seg2 = zhseg_segmenter_new(d2, ZHSEG_MODE_PRECISE, ZHSEG_SEGMENTER_NO_HMM);
  char *split = test_cut_joined(seg2, "社区");
  g_assert_cmpstr(split, ==, "社 | 区");
  /* User tokens carry the user flag. */
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, "网格化管理", strlen("网格化管理"), tokens);
  g_assert_cmpuint(tokens->len, ==, 1);
  g_assert_true(g_array_index(tokens, ZhsegToken, 0).flags & ZHSEG_TOKEN_FLAG_USER);
  g_array_free(tokens, TRUE);
  g_free(split);
  g_free(before);
  g_free(after);
  zhseg_segmenter_free(seg2);
  zhseg_dict_unref(d2);
  zhseg_segmenter_free(seg);
  zhseg_dict_unref(d);
  zhseg_segmenter_free(plain);
}

typedef struct {
  ZhsegDict *dict;
  const char *text;
  GArray *reference;
  gint failures;
} ThreadJob;

static gboolean same_tokens(GArray *a, GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    ZhsegToken *x = &g_array_index(a, ZhsegToken, i), *y = &g_array_index(b, ZhsegToken, i);
    if (x->start != y->start || x->end != y->end || x->cstart != y->cstart || x->cend != y->cend ||
        x->tag != y->tag || x->type != y->type || x->flags != y->flags)
      return FALSE;
  }
  return TRUE;
}

static gpointer thread_main(gpointer data)
{
  ThreadJob *job = data;
  ZhsegSegmenter *seg = zhseg_segmenter_new(job->dict, ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (int round = 0; round < 5; round++) {
    g_array_set_size(tokens, 0);
    zhseg_segmenter_cut(seg, job->text, strlen(job->text), tokens);
    if (!same_tokens(tokens, job->reference))
      g_atomic_int_inc(&job->failures);
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
  return NULL;
}

/* One dictionary (with an overlay) shared by 4 threads, one segmenter each:
 * every thread gets the single-threaded result. */
static void test_threads(void)
{
  char *text = read_bulletins();
  ZhsegDict *dict = zhseg_dict_new_overlay(test_default_dict(), "网格化管理\n", -1, "user", NULL);
  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  GArray *reference = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, text, strlen(text), reference);
  zhseg_segmenter_free(seg);
  ThreadJob job = {dict, text, reference, 0};
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new("seg", thread_main, &job);
  for (int i = 0; i < 4; i++)
    g_thread_join(threads[i]);
  g_assert_cmpint(job.failures, ==, 0);
  g_array_free(reference, TRUE);
  zhseg_dict_unref(dict);
  g_free(text);
}

/* ---- jieba as a differential oracle ---- */

static gboolean have_jieba(void)
{
  int status = -1;
  const char *argv[] = {"/usr/bin/python3", "-c", "import jieba", NULL};
  if (!g_file_test(argv[0], G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
               NULL, NULL, NULL, &status, NULL);
  return status == 0;
}

/* Han-only lines: the maximal runs of U+4E00..U+9FD5 in the sample bulletins
 * and the PKU test text (when ../shared/eval is present). */
static GPtrArray *han_lines(void)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  char *bulletins = read_bulletins();
  char *pku_path = test_shared_path("eval/sighan2005/pku_test.utf8");
  char *pku = NULL;
  if (pku_path != NULL)
    g_assert_true(g_file_get_contents(pku_path, &pku, NULL, NULL));
  else
    g_test_message("../shared/eval absent: comparing on the sample bulletins only");
  const char *texts[] = {bulletins, pku};
  for (gsize k = 0; k < 2; k++) {
    if (texts[k] == NULL)
      continue;
    const char *start = NULL;
    for (const char *p = texts[k];; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      gboolean han = c >= 0x4E00 && c <= 0x9FD5;
      if (han && start == NULL)
        start = p;
      if (!han && start != NULL) {
        g_ptr_array_add(lines, g_strndup(start, (gsize)(p - start)));
        start = NULL;
      }
      if (*p == '\0')
        break;
    }
  }
  g_free(bulletins);
  g_free(pku);
  g_free(pku_path);
  return lines;
}

/* Runs tests/jieba_ref.py over the lines; returns its output lines. */
static char **jieba_cut(GPtrArray *lines, gboolean hmm)
{
  GString *in = g_string_new(NULL);
  for (guint i = 0; i < lines->len; i++) {
    g_string_append(in, g_ptr_array_index(lines, i));
    g_string_append_c(in, '\n');
  }
  char *in_path = NULL;
  int fd = g_file_open_tmp("zhseg-jieba-XXXXXX", &in_path, NULL);
  close(fd);
  g_assert_true(g_file_set_contents(in_path, in->str, (gssize)in->len, NULL));
  char *script = test_source_path("tests/jieba_ref.py");
  const char *argv[] = {"/usr/bin/python3", script, hmm ? "1" : "0", in_path, NULL};
  char *out = NULL;
  int status;
  GError *error = NULL;
  g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error(error);
  g_assert_cmpint(status, ==, 0);
  char **result = test_split_lines(out);
  g_free(out);
  g_unlink(in_path);
  g_free(in_path);
  g_free(script);
  g_string_free(in, TRUE);
  return result;
}

static guint compare_with_jieba(ZhsegSegmenter *seg, GPtrArray *lines, char **ref, GPtrArray *diffs)
{
  guint same = 0;
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    char *got = test_cut_joined(seg, line);
    g_assert_nonnull(ref[i]);
    if (strcmp(got, ref[i]) == 0)
      same++;
    else if (diffs != NULL)
      g_ptr_array_add(diffs, g_strdup_printf("%s\n    jieba: %s\n    zhseg: %s", line, ref[i], got));
    g_free(got);
  }
  return same;
}

/* HMM off: the same tokens as jieba.cut(line, HMM=False) on at least 99.5% of
 * Han-only lines; every differing line is listed. */
static void test_jieba_no_hmm(void)
{
  if (!have_jieba()) {
    g_test_skip("python3-jieba is not installed (/usr/bin/python3 -c 'import jieba' failed)");
    return;
  }
  GPtrArray *lines = han_lines();
  char **ref = jieba_cut(lines, FALSE);
  ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, ZHSEG_SEGMENTER_NO_HMM);
  GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
  guint same = compare_with_jieba(seg, lines, ref, diffs);
  for (guint i = 0; i < diffs->len; i++)
    g_test_message("differs: %s", (char *)g_ptr_array_index(diffs, i));
  g_test_message("HMM off: %u of %u Han-only lines equal jieba's", same, lines->len);
  g_assert_cmpuint(lines->len, >, 1000);
  g_assert_cmpfloat((double)same / lines->len, >=, 0.995);
  g_ptr_array_free(diffs, TRUE);
  zhseg_segmenter_free(seg);
  g_strfreev(ref);
  g_ptr_array_free(lines, TRUE);
}

/* HMM on: with ZHSEG_SEGMENTER_JIEBA_HMM zhseg equals jieba.cut(line) on every
 * line. By default it may differ only by the standalone rule (hmm.c): every
 * differing line has, in jieba's output, an HMM word (a multi-character
 * token the dictionary does not hold) containing a character whose own
 * probability exceeds 1/2000. Any other difference fails. */
static void test_jieba_hmm(void)
{
  if (!have_jieba()) {
    g_test_skip("python3-jieba is not installed (/usr/bin/python3 -c 'import jieba' failed)");
    return;
  }
  ZhsegDict *dict = test_default_dict();
  GPtrArray *lines = han_lines();
  char **ref = jieba_cut(lines, TRUE);
  ZhsegSegmenter *exact = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, ZHSEG_SEGMENTER_JIEBA_HMM);
  GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
  guint same = compare_with_jieba(exact, lines, ref, diffs);
  for (guint i = 0; i < diffs->len; i++)
    g_test_message("differs: %s", (char *)g_ptr_array_index(diffs, i));
  g_assert_cmpuint(same, ==, lines->len);

  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  ZhsegSegmenter *no_hmm = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, ZHSEG_SEGMENTER_NO_HMM);
  double total = zhseg_dict_total_freq(dict);
  guint by_rule = 0, unexplained = 0;
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    char *got = test_cut_joined(seg, line);
    if (strcmp(got, ref[i]) != 0) {
      /* jieba's HMM words: its multi-character tokens that the no-HMM path
       * (equal to jieba's HMM=False) does not have at the same place. */
      char *plain = test_cut_joined(no_hmm, line);
      GHashTable *plain_spans = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      char **pw = g_strsplit(plain, " | ", -1);
      glong at = 0;
      for (guint w = 0; pw[w] != NULL; w++) {
        glong n = g_utf8_strlen(pw[w], -1);
        g_hash_table_add(plain_spans, g_strdup_printf("%ld+%ld", at, n));
        at += n;
      }
      gboolean explained = FALSE;
      char **words = g_strsplit(ref[i], " | ", -1);
      at = 0;
      for (guint w = 0; words[w] != NULL && !explained; w++) {
        glong n = g_utf8_strlen(words[w], -1);
        char *key = g_strdup_printf("%ld+%ld", at, n);
        at += n;
        gboolean hmm_word = n >= 2 && !g_hash_table_contains(plain_spans, key);
        g_free(key);
        for (const char *p = words[w]; hmm_word && *p && !explained; p = g_utf8_next_char(p)) {
          double freq = 0;
          char c[8] = {0};
          g_unichar_to_utf8(g_utf8_get_char(p), c);
          explained = zhseg_dict_lookup(dict, c, -1, &freq, NULL) && freq / total > 1.0 / 2000;
        }
      }
      g_strfreev(words);
      g_strfreev(pw);
      g_hash_table_destroy(plain_spans);
      g_free(plain);
      if (explained)
        by_rule++;
      else {
        unexplained++;
        g_test_message("unexplained difference: %s\n    jieba: %s\n    zhseg: %s", line, ref[i], got);
      }
    }
    g_free(got);
  }
  g_test_message("HMM on: %u lines differ from jieba by the standalone rule, %u otherwise", by_rule,
                 unexplained);
  g_assert_cmpuint(unexplained, ==, 0);
  g_assert_cmpuint(by_rule, >, 0);
  zhseg_segmenter_free(seg);
  zhseg_segmenter_free(no_hmm);
  zhseg_segmenter_free(exact);
  g_ptr_array_free(diffs, TRUE);
  g_strfreev(ref);
  g_ptr_array_free(lines, TRUE);
}

/* The edges of U+4E00..U+9FD5, the range where the HMM runs: the scan that
 * decodes most Han text takes whole blocks of 64 code points and leaves
 * the last, partial one (U+9FC0..U+9FD5) to the general path; both must
 * treat these characters as jieba does, HMM on (ZHSEG_SEGMENTER_JIEBA_HMM)
 * and off. So must Han-class characters outside it, which the HMM skips
 * and jieba yields one by one: U+9FD6.., extension A (U+3400..), ○ 〇,
 * a compatibility ideograph and extension B (four UTF-8 bytes). */
static void test_jieba_range_edges(void)
{
  if (!have_jieba()) {
    g_test_skip("python3-jieba is not installed (/usr/bin/python3 -c 'import jieba' failed)");
    return;
  }
  const gunichar edges[] = {0x4E00, 0x4E01, 0x9FBF, 0x9FC0, 0x9FC1, 0x9FCA, 0x9FD4, 0x9FD5,
                            0x9FD6, 0x9FEA, 0x3400, 0x4DB5, 0x25CB, 0x3007, 0xF900, 0x20000};
  const char *frames[] = {"中华人民%s共和国", "%s%s", "我们%s在研究", "研究生命%s起源%s"};
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  for (gsize e = 0; e < G_N_ELEMENTS(edges); e++) {
    char c[8] = {0};
    g_unichar_to_utf8(edges[e], c);
    for (gsize f = 0; f < G_N_ELEMENTS(frames); f++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_ptr_array_add(lines, g_strdup_printf(frames[f], c, c));
#pragma GCC diagnostic pop
    }
  }
  const guint flags[] = {ZHSEG_SEGMENTER_JIEBA_HMM, ZHSEG_SEGMENTER_NO_HMM};
  for (gsize k = 0; k < G_N_ELEMENTS(flags); k++) {
    char **ref = jieba_cut(lines, flags[k] != ZHSEG_SEGMENTER_NO_HMM);
    ZhsegSegmenter *seg = zhseg_segmenter_new(test_default_dict(), ZHSEG_MODE_PRECISE, flags[k]);
    GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
    guint same = compare_with_jieba(seg, lines, ref, diffs);
    for (guint i = 0; i < diffs->len; i++)
      g_test_message("differs: %s", (char *)g_ptr_array_index(diffs, i));
    g_assert_cmpuint(same, ==, lines->len);
    g_ptr_array_free(diffs, TRUE);
    zhseg_segmenter_free(seg);
    g_strfreev(ref);
  }
  g_ptr_array_free(lines, TRUE);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/segmenter/precise/table", test_precise);
  g_test_add_func("/segmenter/types", test_types);
  g_test_add_func("/segmenter/types/after-blocks", test_types_after_blocks);
  g_test_add_func("/segmenter/empty", test_empty);
  g_test_add_func("/segmenter/word-ends-in-atom", test_word_ends_in_atom);
  g_test_add_func("/segmenter/invalid-utf8", test_invalid_utf8);
  g_test_add_func("/segmenter/tiling/bulletins", test_tiling_bulletins);
  g_test_add_func("/segmenter/long-line", test_long_line);
  g_test_add_func("/segmenter/lines-alone", test_lines_alone);
  g_test_add_func("/segmenter/modes", test_modes);
  g_test_add_func("/segmenter/user-words", test_user_words);
  g_test_add_func("/segmenter/threads", test_threads);
  g_test_add_func("/segmenter/jieba/no-hmm", test_jieba_no_hmm);
  g_test_add_func("/segmenter/jieba/hmm", test_jieba_hmm);
  g_test_add_func("/segmenter/jieba/range-edges", test_jieba_range_edges);
  return g_test_run();
}
