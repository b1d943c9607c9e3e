/* Dictionary image: round trip, prefix walks, overlays, corrupt images. */
#include "testutil.h"

#include "dict/image.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

/* Every word of the source lexicon is found with its frequency and tag
 * (a word listed twice: its last line). */
static void test_roundtrip(void)
{
  ZhsegDict *dict = test_default_dict();
  char *path = test_source_path("dict/jieba/dict.txt");
  char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  GHashTable *last = g_hash_table_new(g_str_hash, g_str_equal);
  char **lines = test_split_lines(text);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *sp = strchr(lines[i], ' ');
    if (sp == NULL)
      continue;
    *sp = '\0';
    g_hash_table_insert(last, lines[i], sp + 1);
  }
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, last);
  guint checked = 0;
  while (g_hash_table_iter_next(&it, &key, &value)) {
    char **f = g_strsplit(value, " ", -1);
    double freq = -1;
    const char *tag = NULL;
    double want = g_ascii_strtod(f[0], NULL);
    gboolean found = zhseg_dict_lookup(dict, key, -1, &freq, &tag);
    if (want > 0) {
      if (!found || freq != want || strcmp(tag, f[1] ? f[1] : "") != 0)
        g_error("%s: expected %s %s, got found=%d %.0f %s", (char *)key, f[0], f[1], found, freq,
                tag ? tag : "");
      checked++;
    }
    g_strfreev(f);
  }
  g_assert_cmpuint(checked, >, 340000);
  g_assert_cmpuint(zhseg_dict_n_words(dict), ==, checked);
  g_assert_false(zhseg_dict_lookup(dict, "社区网格化管理服务站", -1, NULL, NULL));
  g_assert_false(zhseg_dict_lookup(dict, "", 0, NULL, NULL));
  g_hash_table_destroy(last);
  g_strfreev(lines);
  g_free(text);
  g_free(path);
}

typedef struct {
  GArray *lengths;
} Walk;

static gboolean collect(gsize byte_len, double freq, const char *tag, gpointer data)
{
  Walk *w = data;
  g_assert_cmpfloat(freq, >, 0);
  g_array_append_val(w->lengths, byte_len);
  return TRUE;
}

/* Prefix walks agree with brute force (lookup of every prefix) at random
 * positions of the sample bulletins. */
static void test_prefix_bruteforce(void)
{
  ZhsegDict *dict = test_default_dict();
  char *dir = test_source_path("examples/bulletins");
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  const char *name;
  guint positions = 0, hits = 0;
  while ((name = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(name, ".txt"))
      continue;
    char *path = g_build_filename(dir, name, NULL);
    char *text;
    gsize len;
    g_assert_true(g_file_get_contents(path, &text, &len, NULL));
    for (int k = 0; k < 400; k++) {
      gsize pos = (gsize)g_test_rand_int_range(0, (gint32)len);
      while (pos < len && ((guchar)text[pos] & 0xC0) == 0x80)
        pos++;
      Walk w = {g_array_new(FALSE, FALSE, sizeof(gsize))};
      zhseg_dict_walk_prefixes(dict, text + pos, len - pos, collect, &w);
      GArray *brute = g_array_new(FALSE, FALSE, sizeof(gsize));
      const char *p = text + pos;
      for (int c = 0; c < 24 && p < text + len; c++) {
        p = g_utf8_find_next_char(p, text + len);
        if (p == NULL)
          p = text + len;
        gsize l = (gsize)(p - (text + pos));
        if (zhseg_dict_lookup(dict, text + pos, (gssize)l, NULL, NULL))
          g_array_append_val(brute, l);
      }
      g_assert_cmpuint(w.lengths->len, ==, brute->len);
      for (guint i = 0; i < brute->len; i++)
        g_assert_cmpuint(g_array_index(w.lengths, gsize, i), ==, g_array_index(brute, gsize, i));
      hits += brute->len;
      positions++;
      g_array_free(w.lengths, TRUE);
      g_array_free(brute, TRUE);
    }
    g_free(text);
    g_free(path);
  }
  g_dir_close(d);
  g_free(dir);
  g_assert_cmpuint(positions, ==, 2000);
  g_assert_cmpuint(hits, >, positions); /* the walk found real words */
}

static void test_overlay(void)
{
  ZhsegDict *base = test_default_dict();
  const char *user =
    "# governance terms\n"
    "网格化管理\n"
    "新时代文明实践站 50 nt\n"
    "社区 0\n"
    "Wi-Fi 6\t20\teng\n"
    "石榴籽工程\tn\n";
  GError *error = NULL;
  ZhsegDict *d = zhseg_dict_new_overlay(base, user, -1, "user.txt", &error);
  g_assert_no_error(error);
  double freq;
  const char *tag;
  g_assert_true(zhseg_dict_lookup(d, "网格化管理", -1, &freq, &tag));
  g_assert_cmpfloat(freq, >=, 1);
  g_assert_cmpstr(tag, ==, "n");
  g_assert_true(zhseg_dict_lookup(d, "新时代文明实践站", -1, &freq, &tag));
  g_assert_cmpfloat(freq, ==, 50);
  g_assert_cmpstr(tag, ==, "nt");
  g_assert_false(zhseg_dict_lookup(d, "社区", -1, NULL, NULL)); /* removed by frequency 0 */
  g_assert_true(zhseg_dict_lookup(base, "社区", -1, NULL, NULL)); /* the base is unchanged */
  g_assert_true(zhseg_dict_lookup(d, "Wi-Fi 6", -1, &freq, &tag));
  g_assert_cmpfloat(freq, ==, 20);
  g_assert_cmpstr(tag, ==, "eng");
  g_assert_true(zhseg_dict_lookup(d, "石榴籽工程", -1, NULL, &tag));
  g_assert_cmpstr(tag, ==, "n");
  /* A base word keeps its entry. */
  g_assert_true(zhseg_dict_lookup(d, "志愿", -1, &freq, NULL));
  g_assert_cmpuint(zhseg_dict_n_words(d), ==, zhseg_dict_n_words(base) + 4 - 1);
  /* An overlay of an overlay keeps both sets of entries, the later winning. */
  ZhsegDict *d2 = zhseg_dict_new_overlay(d, "网格化管理 7\n", -1, "more.txt", &error);
  g_assert_no_error(error);
  g_assert_true(zhseg_dict_lookup(d2, "网格化管理", -1, &freq, NULL));
  g_assert_cmpfloat(freq, ==, 7);
  g_assert_true(zhseg_dict_lookup(d2, "新时代文明实践站", -1, NULL, NULL));
  zhseg_dict_unref(d2);
  zhseg_dict_unref(d);
}

static void test_overlay_errors(void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    {"好词 12\n坏词 abc n\n", "bad.txt:2: frequency 'abc'"},
    {"好词 12\n坏词 1x2\n", "bad.txt:2: frequency '1x2'"},
    {"a b c d\n", "bad.txt:1: more than 3 fields"},
    {"ok\n\n# c\n\xff\xfe\n", "bad.txt:4: word is not valid UTF-8"},
    {"词\t1\tn\tx\n", "bad.txt:1: more than 3 TAB-separated"},
    {"词 -3\n", "bad.txt:1: frequency '-3'"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    GError *error = NULL;
    ZhsegDict *d = zhseg_dict_new_overlay(test_default_dict(), cases[i].text, -1, "bad.txt", &error);
    g_assert_null(d);
    g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT);
    if (!g_str_has_prefix(error->message, cases[i].message))
      g_error("case %" G_GSIZE_FORMAT ": '%s' does not start with '%s'", i, error->message,
              cases[i].message);
    g_error_free(error);
  }
}

static void expect_refused(const char *image, gsize len, const char *what)
{
  char *path = test_write_temp("zhseg-dict-XXXXXX", image, (gssize)len);
  GError *error = NULL;
  ZhsegDict *d = zhseg_dict_open(path, &error);
  if (d != NULL)
    g_error("%s: a damaged image was accepted", what);
  g_assert_nonnull(error);
  g_assert_true(error->domain == ZHSEG_ERROR);
  if (strstr(error->message, path) == NULL)
    g_error("%s: message does not name the file: %s", what, error->message);
  g_test_message("%s: %s", what, error->message);
  g_error_free(error);
  g_unlink(path);
  g_free(path);
}

/* A damaged image that open may accept (open checks structure, not the
 * trie's contents): segmenting with it must not read out of bounds (the
 * sanitizer build runs this), and zhseg_dict_verify() must refuse it,
 * naming the file. */
static void expect_caught_by_verify(const char *image, gsize len, const char *what)
{
  char *path = test_write_temp("zhseg-dict-XXXXXX", image, (gssize)len);
  GError *error = NULL;
  ZhsegDict *d = zhseg_dict_open(path, &error);
  if (d == NULL) {
    g_assert_true(error != NULL && strstr(error->message, path) != NULL);
    g_test_message("%s: refused at open: %s", what, error->message);
  } else {
    static const char *const texts[] = {
      "中华人民共和国成立了，习近平在北京出席会议。", "研究生命的起源 2018年12月31日 AT&T",
      "社区志愿服务网格化管理，南京市长江大桥。",
    };
    for (int m = 0; m < 3; m++) {
      ZhsegSegmenter *seg = zhseg_segmenter_new(d, (ZhsegMode)m, 0);
      GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
      for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
        zhseg_segmenter_cut(seg, texts[i], strlen(texts[i]), tokens);
      g_array_free(tokens, TRUE);
      zhseg_segmenter_free(seg);
    }
    double freq;
    zhseg_dict_lookup(d, "中华人民共和国", -1, &freq, NULL);
    if (zhseg_dict_verify(d, &error))
      g_error("%s: zhseg_dict_verify() accepted a damaged image", what);
    g_assert_true(error != NULL && strstr(error->message, path) != NULL);
    g_test_message("%s: open accepted it, verify refused: %s", what, error->message);
    zhseg_dict_unref(d);
  }
  g_error_free(error);
  g_unlink(path);
  g_free(path);
}

/* Truncated, wrong magic/version/byte order, bad header counts: refused at
 * open with a GError naming the file, never a crash or a partial load.
 * Flipped bytes elsewhere: refused at open or by the checksum. */
static void test_corrupt(void)
{
  const char *path = zhseg_dict_path(test_default_dict());
  char *image;
  gsize len;
  g_assert_true(g_file_get_contents(path, &image, &len, NULL));
  gsize cuts[] = {0, 1, 7, 8, 63, 64, 200, len / 3, len / 2, len - 4096, len - 1};
  for (gsize i = 0; i < G_N_ELEMENTS(cuts); i++) {
    char *what = g_strdup_printf("truncated at %" G_GSIZE_FORMAT, cuts[i]);
    expect_refused(image, cuts[i], what);
    g_free(what);
  }
  for (int k = 0; k < 24; k++) {
    gsize at = k < 12 ? (gsize)k * 9 : (gsize)g_test_rand_int_range(0, (gint32)len);
    image[at] ^= 0x20;
    char *what = g_strdup_printf("byte %" G_GSIZE_FORMAT " flipped", at);
    expect_caught_by_verify(image, len, what);
    g_free(what);
    image[at] ^= 0x20;
  }
  /* Trie bases pointing far outside the array, at slots every walk reads
   * (the first characters' slots, right after the root). */
  ZhsegImageHeader h;
  memcpy(&h, image, sizeof h);
  ZhsegSlot *slots = (ZhsegSlot *)(image + h.sections[ZHSEG_SECTION_SLOTS].offset);
  ZhsegSlot saved[64];
  memcpy(saved, slots, sizeof saved);
  for (int i = 1; i < 64; i++) /* slot 0 is the root, whose base open checks */
    slots[i].base = i % 2 ? G_MAXINT32 : -(i + 1);
  expect_caught_by_verify(image, len, "trie bases out of range");
  memcpy(slots, saved, sizeof saved);
  /* A root whose check is 0 would pass an unknown character (id 0) as a
   * child of the root: the Han walk does not test id 0 on its own. */
  slots[0].check = 0;
  expect_refused(image, len, "root's check 0");
  /* Nor may it be any node's index: the Han walk sends a step that would
   * leave the array to slot 0 and reads "no child" from its check. */
  slots[0].check = slots[1].check == 0 ? 1 : 2;
  expect_refused(image, len, "root's check a node's index");
  memcpy(slots, saved, sizeof saved);
  guint32 bad_counts[][2] = {
    {G_STRUCT_OFFSET(ZhsegImageHeader, max_word_chars), 0},
    {G_STRUCT_OFFSET(ZhsegImageHeader, max_word_chars), 1u << 20},
    {G_STRUCT_OFFSET(ZhsegImageHeader, n_chars), 0},
    {G_STRUCT_OFFSET(ZhsegImageHeader, n_chars), 70000},
    {G_STRUCT_OFFSET(ZhsegImageHeader, n_tags), 300},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad_counts); i++) {
    guint32 was;
    memcpy(&was, image + bad_counts[i][0], 4);
    memcpy(image + bad_counts[i][0], &bad_counts[i][1], 4);
    char *what = g_strdup_printf("header field at %u set to %u", bad_counts[i][0], bad_counts[i][1]);
    expect_refused(image, len, what);
    g_free(what);
    memcpy(image + bad_counts[i][0], &was, 4);
  }
  image[0] = 'X';
  expect_refused(image, len, "wrong magic");
  image[0] = 'Z';
  guint32 version = 99;
  memcpy(image + 8, &version, 4);
  expect_refused(image, len, "wrong version");
  guint32 order = 0x04030201;
  memcpy(image + 8, &(guint32){ZHSEG_IMAGE_VERSION}, 4);
  memcpy(image + 12, &order, 4);
  expect_refused(image, len, "other byte order");
  memcpy(image + 12, &(guint32){0x01020304}, 4);
  /* Restored: accepted again, which shows the checks above saw real damage. */
  char *ok_path = test_write_temp("zhseg-dict-XXXXXX", image, (gssize)len);
  GError *error = NULL;
  ZhsegDict *d = zhseg_dict_open(ok_path, &error);
  g_assert_no_error(error);
  g_assert_true(zhseg_dict_verify(d, &error));
  zhseg_dict_unref(d);
  g_unlink(ok_path);
  g_free(ok_path);
  g_free(image);
  expect_refused("", 0, "empty file");
}

static void test_compile_small(void)
{
  const char *text = "# tiny\n苹果 100 n\n苹果树 20 n\n树 50 n\n吃\t30\tv\n苹果 120 nz\nAT&T 5\n";
  ZhsegDict *d = test_compile_dict(text);
  g_assert_false(zhseg_dict_has_hmm(d));
  g_assert_cmpuint(zhseg_dict_n_words(d), ==, 5);
  /* jieba's total: every line counts, the repeated word twice. */
  g_assert_cmpfloat(zhseg_dict_total_freq(d), ==, 100 + 20 + 50 + 30 + 120 + 5);
  double freq;
  const char *tag;
  g_assert_true(zhseg_dict_lookup(d, "苹果", -1, &freq, &tag));
  g_assert_cmpfloat(freq, ==, 120);
  g_assert_cmpstr(tag, ==, "nz");
  g_assert_true(zhseg_dict_lookup(d, "吃", -1, &freq, &tag));
  g_assert_cmpstr(tag, ==, "v");
  g_assert_true(zhseg_dict_lookup(d, "AT&T", -1, NULL, NULL));
  g_assert_false(zhseg_dict_lookup(d, "苹", -1, NULL, NULL)); /* a prefix, not a word */
  zhseg_dict_unref(d);
}

/* A cold open reads the image's first ZHSEG_IMAGE_OPEN_BYTES in one go (a
 * page fault elsewhere costs it milliseconds): everything open reads must
 * lie there in the compiled default image. */
static void test_open_reads_front(void)
{
  const char *path = zhseg_dict_path(test_default_dict());
  char *image;
  gsize len;
  g_assert_true(g_file_get_contents(path, &image, &len, NULL));
  ZhsegImageHeader h;
  memcpy(&h, image, sizeof h);
  const int read_at_open[] = {ZHSEG_SECTION_TAGNAMES, ZHSEG_SECTION_CHARMAP, ZHSEG_SECTION_ASTRAL};
  for (gsize i = 0; i < G_N_ELEMENTS(read_at_open); i++)
    g_assert_cmpuint(h.sections[read_at_open[i]].offset + h.sections[read_at_open[i]].size, <=,
                     ZHSEG_IMAGE_OPEN_BYTES);
  /* the root, slot 0 */
  g_assert_cmpuint(h.sections[ZHSEG_SECTION_SLOTS].offset + sizeof(ZhsegSlot), <=, ZHSEG_IMAGE_OPEN_BYTES);
  g_free(image);
}

/* Each slot's children mask has the bit of every child's label: a walk
 * stops where the bit is clear, so a missing bit would lose words. */
static void test_children_mask(void)
{
  const char *path = zhseg_dict_path(test_default_dict());
  char *image;
  gsize len;
  g_assert_true(g_file_get_contents(path, &image, &len, NULL));
  ZhsegImageHeader h;
  memcpy(&h, image, sizeof h);
  const ZhsegSlot *slots = (const ZhsegSlot *)(image + h.sections[ZHSEG_SECTION_SLOTS].offset);
  guint children = 0, leaves = 0;
  for (guint32 t = 1; t < h.n_slots; t++) {
    guint32 p = slots[t].check;
    if (p == ZHSEG_FREE_CHECK)
      continue;
    g_assert_cmpuint(p, <, h.n_slots);
    guint32 label = t - (guint32)slots[p].base;
    g_assert_cmpuint(label, >=, 1);
    g_assert_cmpuint(label, <=, h.n_chars);
    if (!(slots[p].children & ZHSEG_CHILD_BIT(label)))
      g_error("slot %u, child of %u on label %u: bit missing from mask %#x", t, p, label,
              slots[p].children);
    children++;
    leaves += slots[t].children == 0;
  }
  g_assert_cmpuint(children, >, 400000); /* the jieba trie has about 500,000 nodes */
  g_assert_cmpuint(leaves, >, 100000);   /* most words extend no further: the mask ends the walk */
  g_free(image);
}

static void test_not_found(void)
{
  GError *error = NULL;
  g_assert_null(zhseg_dict_open("/nonexistent/zhseg.zdict", &error));
  g_assert_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "/nonexistent/zhseg.zdict"));
  g_clear_error(&error);
  g_setenv("ZHSEG_DICT", "/nonexistent/env.zdict", TRUE);
  g_assert_null(zhseg_dict_open(NULL, &error));
  g_assert_nonnull(strstr(error->message, "ZHSEG_DICT"));
  g_clear_error(&error);
  g_unsetenv("ZHSEG_DICT");
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/dict/roundtrip", test_roundtrip);
  g_test_add_func("/dict/prefix/bruteforce", test_prefix_bruteforce);
  g_test_add_func("/dict/overlay/entries", test_overlay);
  g_test_add_func("/dict/overlay/errors", test_overlay_errors);
  g_test_add_func("/dict/corrupt", test_corrupt);
  g_test_add_func("/dict/compile/small", test_compile_small);
  g_test_add_func("/dict/open/not-found", test_not_found);
  g_test_add_func("/dict/open/reads-front", test_open_reads_front);
  g_test_add_func("/dict/trie/children-mask", test_children_mask);
  return g_test_run();
}
