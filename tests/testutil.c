#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unicode/ucnv.h>
#include <unistd.h>

ZhsegDict *test_default_dict(void)
{
  static ZhsegDict *dict;
  if (dict == NULL) {
    GError *error = NULL;
    dict = zhseg_dict_open(NULL, &error);
    g_assert_no_error(error);
  }
  return dict;
}

char *test_source_path(const char *relative)
{
  const char *root = g_getenv("ZHSEG_SOURCE_DIR");
  g_assert_nonnull(root);
  return g_build_filename(root, relative, NULL);
}

char *test_read_source(const char *relative, gsize *len)
{
  g_autofree char *path = test_source_path(relative);
  char *text = NULL;
  GError *error = NULL;
  g_file_get_contents(path, &text, len, &error);
  g_assert_no_error(error);
  return text;
}

char *test_encode(const char *utf8, gsize len, const char *encoding, gsize *out_len)
{
  UErrorCode st = U_ZERO_ERROR;
  gsize cap = len * 4 + 16;
  char *out = g_malloc(cap);
  int32_t n = ucnv_convert(encoding, "UTF-8", out, (int32_t)cap, utf8, (int32_t)len, &st);
  g_assert_cmpstr(u_errorName(st), ==, "U_ZERO_ERROR");
  *out_len = (gsize)n;
  return out;
}

char *test_shared_path(const char *relative)
{
  const char *root = g_getenv("ZHSEG_SHARED_DIR");
  if (root == NULL)
    return NULL;
  char *path = g_build_filename(root, relative, NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_free(path);
    return NULL;
  }
  return path;
}

char **test_split_lines(const char *text)
{
  GPtrArray *lines = g_ptr_array_new();
  const char *p = text;
  for (;;) {
    const char *nl = strchr(p, '\n');
    if (nl == NULL) {
      g_ptr_array_add(lines, g_strdup(p));
      break;
    }
    g_ptr_array_add(lines, g_strndup(p, (gsize)(nl - p)));
    p = nl + 1;
  }
  g_ptr_array_add(lines, NULL);
  return (char **)g_ptr_array_free(lines, FALSE);
}

char *test_cut_joined(ZhsegSegmenter *seg, const char *text)
{
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  zhseg_segmenter_cut(seg, text, strlen(text), tokens);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < tokens->len; i++) {
    const ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
    if (t->type == ZHSEG_TOKEN_SPACE)
      continue;
    if (out->len > 0)
      g_string_append(out, " | ");
    g_string_append_len(out, text + t->start, t->end - t->start);
  }
  g_array_free(tokens, TRUE);
  return g_string_free(out, FALSE);
}

int test_run_cli(const char *const *args, const char *stdin_text, char **out, char **err)
{
  const char *bin = g_getenv("ZHSEG_BIN");
  g_assert_nonnull(bin);
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)bin);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  GError *error = NULL;
  char *tmp_in = NULL;
  int status = 0;
  char *cmdline = NULL;
  if (stdin_text != NULL) {
    int fd = g_file_open_tmp("zhseg-test-XXXXXX", &tmp_in, &error);
    g_assert_no_error(error);
    close(fd);
    g_file_set_contents(tmp_in, stdin_text, -1, &error);
    g_assert_no_error(error);
    GString *cmd = g_string_new(NULL);
    for (guint i = 0; i + 1 < argv->len; i++) {
      char *q = g_shell_quote(g_ptr_array_index(argv, i));
      g_string_append_printf(cmd, "%s ", q);
      g_free(q);
    }
    char *q = g_shell_quote(tmp_in);
    g_string_append_printf(cmd, "< %s", q);
    g_free(q);
    cmdline = g_string_free(cmd, FALSE);
    const char *sh[] = {"/bin/sh", "-c", cmdline, NULL};
    g_spawn_sync(NULL, (char **)sh, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  } else {
    g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                 &error);
  }
  g_assert_no_error(error);
  if (tmp_in != NULL) {
    g_unlink(tmp_in);
    g_free(tmp_in);
  }
  g_free(cmdline);
  g_ptr_array_free(argv, TRUE);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void test_tsv_unescape_into(GString *o, const char *field)
{
  for (const char *p = field; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      g_string_append_c(o, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
    } else {
      g_string_append_c(o, *p);
    }
  }
}

char *test_tsv_unescape(const char *field)
{
  GString *o = g_string_new(NULL);
  test_tsv_unescape_into(o, field);
  return g_string_free(o, FALSE);
}

char *test_write_temp(const char *name_template, const char *contents, gssize len)
{
  char *path = NULL;
  int fd = g_file_open_tmp(name_template, &path, NULL);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  g_assert_true(g_file_set_contents(path, contents, len, NULL));
  return path;
}

ZhsegDict *test_compile_dict(const char *lexicon_text)
{
  char *lex = test_write_temp("zhseg-lexicon-XXXXXX", lexicon_text, -1);
  char *out = g_strconcat(lex, ".zdict", NULL);
  GError *error = NULL;
  const char *lexicons[] = {lex};
  g_assert_true(zhseg_dict_compile(lexicons, 1, NULL, out, &error));
  g_assert_no_error(error);
  ZhsegDict *d = zhseg_dict_open(out, &error);
  g_assert_no_error(error);
  g_unlink(out);
  g_unlink(lex);
  g_free(out);
  g_free(lex);
  return d;
}
