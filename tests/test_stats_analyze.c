/* zhseg analyze end to end: lexicon counts on the sample bulletins checked
 * against plain substring counts, byte-identical output across thread
 * counts on 2,000 articles, and the input and output formats. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* The text analyze segments for one article: normalized with the options
 * the commands use by default (cli/normstream.c: the normalizer's defaults
 * plus t2s auto), as cli/analyze_pipeline.c does. */
static char *normalized_text(const char *raw, gsize len, gsize *out_len)
{
  ZhsegNormalizer *norm = zhseg_normalizer_new();
  zhseg_normalizer_set_t2s(norm, ZHSEG_T2S_AUTO);
  GError *error = NULL;
  ZhsegNormalized *res = zhseg_normalizer_run(norm, raw, len, &error);
  g_assert_no_error(error);
  char *text = g_strdup(zhseg_normalized_text(res, out_len));
  zhseg_normalized_free(res);
  zhseg_normalizer_free(norm);
  return text;
}

static GPtrArray *bulletin_paths(void)
{
  g_autofree char *dir = test_source_path("examples/bulletins");
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    if (g_str_has_suffix(name, ".txt"))
      g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
  g_dir_close(d);
  g_ptr_array_sort(paths, (GCompareFunc)g_strcmp0);
  g_assert_cmpuint(paths->len, ==, 5);
  return paths;
}

typedef struct {
  guint64 count, token_count;
  guint rank; /* among lexicon terms, 1-based */
} Row;

/* term -> Row from `analyze --format tsv --table terms` */
static GHashTable *read_terms_tsv(const char *tsv)
{
  GHashTable *rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit(tsv, "\n", -1);
  g_assert_cmpstr(lines[0], ==,
                  "rank\tterm\tconcept\tcount\ttoken_count\tdf\tper_10k\tidf\ttfidf\ttextrank\t"
                  "ref_count\tkeyness_g2\tkeyness_p\tlog_ratio\tref_df\tdf_log_ratio\tdf_g2");
  guint lex_rank = 0;
  for (guint i = 1; lines[i] && *lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 17);
    Row *r = g_new0(Row, 1);
    r->count = g_ascii_strtoull(f[3], NULL, 10);
    r->token_count = g_ascii_strtoull(f[4], NULL, 10);
    r->rank = *f[2] ? ++lex_rank : 0;
    g_hash_table_insert(rows, g_strdup(f[1]), r);
  }
  return rows;
}

static void test_lexicon_counts(void)
{
  /* 1. What zhseg reports. */
  g_autofree char *dir = test_source_path("examples/bulletins");
  const char *args[] = {"analyze", "--lexicon", "governance", "--format", "tsv", "--table",
                        "terms", dir, NULL};
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint(test_run_cli(args, NULL, &out, &err), ==, 0);
  g_autoptr(GHashTable) rows = read_terms_tsv(out);

  /* 2. The lexicon's terms, read here with plain string splitting. */
  g_autofree char *lex_path = test_source_path("dict/lexicons/governance.txt");
  g_autofree char *lex_text = NULL;
  g_assert_true(g_file_get_contents(lex_path, &lex_text, NULL, NULL));
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) lines = g_strsplit(lex_text, "\n", -1);
  GString *user = g_string_new(NULL);
  for (guint i = 0; lines[i]; i++) {
    if (*lines[i] == '#' || *lines[i] == '\0')
      continue;
    char *tab = strchr(lines[i], '\t');
    g_assert_nonnull(tab);
    g_ptr_array_add(terms, g_strndup(lines[i], tab - lines[i]));
    g_string_append_printf(user, "%s\n", (char *)g_ptr_array_index(terms, terms->len - 1));
  }
  g_assert_cmpuint(terms->len, >=, 150);

  /* 3. The same segmentation analyze uses: default dictionary with the
   * lexicon's terms as user words, precise mode, HMM on. */
  GError *error = NULL;
  g_autoptr(ZhsegDict) dict = zhseg_dict_new_overlay(test_default_dict(), user->str, user->len,
                                                     "governance", &error);
  g_assert_no_error(error);
  g_string_free(user, TRUE);
  g_autoptr(ZhsegSegmenter) seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);

  guint64 *expect = g_new0(guint64, terms->len);
  guint64 *expect_tok = g_new0(guint64, terms->len);
  guint straddles = 0;
  g_autoptr(GPtrArray) paths = bulletin_paths();
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (guint p = 0; p < paths->len; p++) {
    g_autofree char *raw = NULL;
    gsize raw_len, len;
    g_assert_true(g_file_get_contents(g_ptr_array_index(paths, p), &raw, &raw_len, NULL));
    g_autofree char *text = normalized_text(raw, raw_len, &len);
    g_array_set_size(tokens, 0);
    zhseg_segmenter_cut(seg, text, len, tokens);
    const ZhsegToken *tk = (const ZhsegToken *)tokens->data;
    for (guint i = 0; i < terms->len; i++) {
      const char *t = g_ptr_array_index(terms, i);
      gsize tl = strlen(t);
      /* every occurrence, overlapping ones too */
      for (const char *hit = strstr(text, t); hit != NULL;
           hit = strstr(g_utf8_next_char(hit), t)) {
        gsize s = hit - text, e = s + tl;
        /* the token holding byte s */
        guint lo = 0, hi = tokens->len;
        while (hi - lo > 1) {
          guint mid = (lo + hi) / 2;
          if (tk[mid].start <= s)
            lo = mid;
          else
            hi = mid;
        }
        if (e <= tk[lo].end) {
          expect[i]++;
        } else {
          straddles++;
          GString *ctx = g_string_new(NULL);
          for (guint k = lo; k < tokens->len && tk[k].start < e; k++)
            g_string_append_printf(ctx, "%s%.*s", k > lo ? "|" : "",
                                   (int)(tk[k].end - tk[k].start), text + tk[k].start);
          g_test_message("straddles a token boundary: %s in %s at byte %zu: %s", t,
                         (char *)g_ptr_array_index(paths, p), s, ctx->str);
          g_string_free(ctx, TRUE);
        }
      }
      for (guint k = 0; k < tokens->len; k++)
        expect_tok[i] += tk[k].end - tk[k].start == tl && memcmp(text + tk[k].start, t, tl) == 0;
    }
  }
  g_array_free(tokens, TRUE);
  g_test_message("%u occurrences straddle a token boundary", straddles);

  /* 4. Every lexicon term, reported or not. */
  guint checked = 0;
  for (guint i = 0; i < terms->len; i++) {
    const char *t = g_ptr_array_index(terms, i);
    const Row *r = g_hash_table_lookup(rows, t);
    guint64 got = r ? r->count : 0, got_tok = r ? r->token_count : 0;
    if (got != expect[i] || got_tok != expect_tok[i])
      g_test_message("%s: count %" G_GUINT64_FORMAT " expected %" G_GUINT64_FORMAT
                     ", token_count %" G_GUINT64_FORMAT " expected %" G_GUINT64_FORMAT,
                     t, got, expect[i], got_tok, expect_tok[i]);
    g_assert_cmpuint(got, ==, expect[i]);
    g_assert_cmpuint(got_tok, ==, expect_tok[i]);
    checked += expect[i] > 0;
  }
  g_assert_cmpuint(checked, >=, 60); /* the test exercises many terms */
  g_free(expect);
  g_free(expect_tok);

  /* 5. The acceptance: 党建, 志愿服务 and 网格 rank among the top
   * ten lexicon terms by count. */
  const char *const top[] = {"党建", "志愿服务", "网格"};
  for (gsize i = 0; i < G_N_ELEMENTS(top); i++) {
    const Row *r = g_hash_table_lookup(rows, top[i]);
    g_assert_nonnull(r);
    g_test_message("%s: rank %u among lexicon terms, count %" G_GUINT64_FORMAT, top[i], r->rank,
                   r->count);
    g_assert_cmpuint(r->rank, >=, 1);
    g_assert_cmpuint(r->rank, <=, 10);
  }
}

/* JSON string body for `s` (the test's own escaping). */
static void json_escape(GString *out, const char *s)
{
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      g_string_append_printf(out, "\\%c", *s);
    else if (*s == '\n')
      g_string_append(out, "\\n");
    else if (*s == '\r')
      g_string_append(out, "\\r");
    else if ((unsigned char)*s < 0x20)
      g_string_append_printf(out, "\\u%04x", *s);
    else
      g_string_append_c(out, *s);
  }
}

static void test_determinism(void)
{
  /* 2,000 articles: bulletin i % 5, starting at a paragraph that moves with
   * i, so that articles differ in length and content. */
  g_autoptr(GPtrArray) paths = bulletin_paths();
  GPtrArray *paras[5];
  for (guint p = 0; p < 5; p++) {
    g_autofree char *raw = NULL;
    g_assert_true(g_file_get_contents(g_ptr_array_index(paths, p), &raw, NULL, NULL));
    paras[p] = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) ps = g_strsplit(raw, "\n\n", -1);
    for (guint k = 0; ps[k]; k++)
      if (*ps[k])
        g_ptr_array_add(paras[p], g_strdup(ps[k]));
  }
  GString *jsonl = g_string_new(NULL);
  for (guint i = 0; i < 2000; i++) {
    GPtrArray *pp = paras[i % 5];
    guint first = (i / 5) % pp->len;
    g_string_append_printf(jsonl, "{\"id\": \"a%04u\", \"date\": \"2024-01-%02u\", \"text\": \"", i,
                           1 + i % 28);
    for (guint k = first; k < pp->len; k++) {
      json_escape(jsonl, g_ptr_array_index(pp, k));
      g_string_append(jsonl, "\\n\\n");
    }
    g_string_append(jsonl, "\"}\n");
  }
  for (guint p = 0; p < 5; p++)
    g_ptr_array_free(paras[p], TRUE);
  g_autofree char *tmp = g_dir_make_tmp("zhseg-analyze-XXXXXX", NULL);
  g_autofree char *file = g_build_filename(tmp, "articles.jsonl", NULL);
  g_assert_true(g_file_set_contents(file, jsonl->str, jsonl->len, NULL));
  g_string_free(jsonl, TRUE);

  const char *const threads[] = {"1", "2", "4"};
  char *json[3], *tsv[3];
  for (guint k = 0; k < 3; k++) {
    const char *a_json[] = {"analyze", "--lexicon", "governance", "-j", threads[k], "--format",
                            "json", file, NULL};
    g_assert_cmpint(test_run_cli(a_json, NULL, &json[k], NULL), ==, 0);
    const char *a_tsv[] = {"analyze", "-j", threads[k], "--format", "tsv", "--table",
                           "collocations", "--scope", "sentence", file, NULL};
    g_assert_cmpint(test_run_cli(a_tsv, NULL, &tsv[k], NULL), ==, 0);
  }
  g_assert_nonnull(strstr(json[0], "\"id\":\"a1999\""));
  g_assert_cmpuint(strlen(json[0]), >, 100000);
  for (guint k = 1; k < 3; k++) {
    g_test_message("-j %s: %zu bytes of JSON, %zu of TSV", threads[k], strlen(json[k]),
                   strlen(tsv[k]));
    g_assert_true(strcmp(json[0], json[k]) == 0); /* byte-identical */
    g_assert_true(strcmp(tsv[0], tsv[k]) == 0);
  }
  for (guint k = 0; k < 3; k++) {
    g_free(json[k]);
    g_free(tsv[k]);
  }
  g_unlink(file);
  g_rmdir(tmp);
}

static void test_inputs(void)
{
  g_autofree char *out = NULL, *err = NULL;
  /* Plain text on stdin is one article. */
  const char *plain[] = {"analyze", "--format", "tsv", "--table", "articles", NULL};
  g_assert_cmpint(test_run_cli(plain, "社区网格员走访居民。网格员帮助居民。\n", &out, &err), ==,
                  0);
  g_assert_true(g_str_has_prefix(out, "id\tpath\ttokens\t"));
  g_assert_nonnull(strstr(out, "\nstdin\t\t"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* JSON Lines on stdin: escapes, a surrogate pair, a numeric id, other
   * members skipped, blank lines ignored. */
  const char *jsonl[] = {"analyze", "--jsonl", "--lexicon", "governance", "--format", "json",
                         "--min-count", "1", NULL};
  const char *in = "{\"id\": 7, \"extra\": [1, {\"x\": \"}\"}], \"text\": \"\\u7f51\\u683c\\u5458"
                   "\\u8d70\\u8bbf\\u5c45\\u6c11\\ud83d\\ude00\"}\n"
                   "\n"
                   "{\"title\": \"t\", \"id\": \"b\", \"text\": \"志愿者参与志愿服务\"}\n";
  g_assert_cmpint(test_run_cli(jsonl, in, &out, &err), ==, 0);
  g_assert_nonnull(strstr(out, "{\"id\":\"7\",\"path\":null"));
  g_assert_nonnull(strstr(out, "{\"id\":\"b\",\"path\":null"));
  g_assert_nonnull(strstr(out, "\"term\":\"网格员\""));
  g_assert_nonnull(strstr(out, "\"term\":\"志愿服务\""));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* A malformed line names its line. */
  g_assert_cmpint(test_run_cli(jsonl, "{\"text\": \"a\"}\n{\"text\": \"b\"\n", &out, &err), ==,
                  1);
  g_assert_nonnull(strstr(err, "stdin:2:"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  g_assert_cmpint(test_run_cli(jsonl, "{\"id\": \"x\"}\n", &out, &err), ==, 1);
  g_assert_nonnull(strstr(err, "no \"text\""));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* Usage errors exit 2. */
  const char *bad_table[] = {"analyze", "--format", "tsv", "--table", "nope", NULL};
  g_assert_cmpint(test_run_cli(bad_table, "社区", &out, &err), ==, 2);
  g_assert_nonnull(strstr(err, "unknown table"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  const char *bad_rank[] = {"analyze", "--rank", "keyness", NULL};
  g_assert_cmpint(test_run_cli(bad_rank, "社区", &out, &err), ==, 2);
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  const char *no_lex[] = {"analyze", "--lexicon", "no-such-lexicon", NULL};
  g_assert_cmpint(test_run_cli(no_lex, "社区", &out, &err), ==, 1);
  g_assert_nonnull(strstr(err, "lexicons/no-such-lexicon.txt"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
}

static void test_outputs(void)
{
  g_autofree char *dir = test_source_path("examples/bulletins");
  g_autofree char *out = NULL, *err = NULL;
  /* The terminal report names the concepts and the per-article table. */
  const char *report[] = {"analyze", "--lexicon", "governance", dir, NULL};
  g_assert_cmpint(test_run_cli(report, NULL, &out, &err), ==, 0);
  g_assert_nonnull(strstr(out, "5 articles"));
  g_assert_nonnull(strstr(out, "党的建设"));
  g_assert_nonnull(strstr(out, "Per article"));
  g_assert_nonnull(strstr(out, "Collocates"));
  g_assert_nonnull(strstr(out, "000_52021f6d9e622ea6"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* --term lists collocates of 网格 containing 网格员 (they share windows). */
  const char *term[] = {"analyze", "--lexicon", "governance", "--term", "网格", "--format",
                        "tsv", "--table", "collocations", dir, NULL};
  g_assert_cmpint(test_run_cli(term, NULL, &out, &err), ==, 0);
  g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), >, 3);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    g_assert_true(g_str_has_prefix(lines[i], "window\t网格\t"));
  g_assert_nonnull(strstr(out, "window\t网格\t网格员\t"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* CSV quotes cells holding commas; the header is the TSV one. */
  const char *csv[] = {"analyze", "--format", "csv", "--table", "terms", NULL};
  g_assert_cmpint(test_run_cli(csv, "“网格员，志愿者”,网格员", &out, &err), ==, 0);
  g_assert_true(g_str_has_prefix(out, "rank,term,concept,count,"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* One bulletin against all five as reference: collection keyness rows. */
  g_autofree char *one = test_source_path("examples/bulletins/000_52021f6d9e622ea6.txt");
  const char *key[] = {"analyze", "--reference", dir, "--format", "tsv", "--table", "keyness",
                       one, NULL};
  g_assert_cmpint(test_run_cli(key, NULL, &out, &err), ==, 0);
  g_assert_true(g_str_has_prefix(out, "target\tterm\tfreq\tref_freq\tg2\tp\tlog_ratio\t"));
  g_assert_nonnull(strstr(out, "\ncollection\t"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  /* --svg writes three standalone SVG files naming CJK fonts. */
  g_autofree char *tmp = g_dir_make_tmp("zhseg-svg-XXXXXX", NULL);
  const char *svg[] = {"analyze", "--lexicon", "governance", "--svg", tmp, dir, NULL};
  g_assert_cmpint(test_run_cli(svg, NULL, &out, &err), ==, 0);
  const char *const names[] = {"bar.svg", "heatmap.svg", "network.svg"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *path = g_build_filename(tmp, names[i], NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "<?xml"));
    g_assert_nonnull(strstr(text, "WenQuanYi Zen Hei"));
    g_assert_nonnull(strstr(text, ">党建<"));
    g_assert_true(g_str_has_suffix(text, "</svg>\n"));
    g_unlink(path);
  }
  g_rmdir(tmp);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, ""); /* test messages name Chinese terms */
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/stats/analyze/lexicon-counts", test_lexicon_counts);
  g_test_add_func("/stats/analyze/inputs", test_inputs);
  g_test_add_func("/stats/analyze/outputs", test_outputs);
  g_test_add_func("/stats/analyze/determinism", test_determinism);
  return g_test_run();
}
