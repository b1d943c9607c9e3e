/* zhseg analyze: where articles come from (files, folders, stdin, JSON Lines). */
#include "cli/analyze.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void analyze_article_free(AnalyzeArticle *a)
{
  if (a == NULL)
    return;
  g_free(a->id);
  g_free(a->path);
  g_free(a->date);
  g_free(a->title);
  g_free(a->text);
  g_free(a);
}

/* ---------------------------------------------------------- JSON Lines */

typedef struct {
  const char *p, *end;
} Json;

static void skip_ws(Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
    j->p++;
}

static int hex4(const char *p)
{
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int c = p[i], d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Parses a JSON string at j->p (on the opening quote). */
static char *parse_string(Json *j, gsize *out_len)
{
  if (j->p >= j->end || *j->p != '"')
    return NULL;
  j->p++;
  GString *s = g_string_new(NULL);
  while (j->p < j->end && *j->p != '"') {
    char c = *j->p++;
    if ((unsigned char)c < 0x20)
      goto bad;
    if (c != '\\') {
      g_string_append_c(s, c);
      continue;
    }
    if (j->p >= j->end)
      goto bad;
    c = *j->p++;
    switch (c) {
    case '"': case '\\': case '/': g_string_append_c(s, c); break;
    case 'b': g_string_append_c(s, '\b'); break;
    case 'f': g_string_append_c(s, '\f'); break;
    case 'n': g_string_append_c(s, '\n'); break;
    case 'r': g_string_append_c(s, '\r'); break;
    case 't': g_string_append_c(s, '\t'); break;
    case 'u': {
      if (j->end - j->p < 4)
        goto bad;
      int u = hex4(j->p);
      if (u < 0)
        goto bad;
      j->p += 4;
      gunichar cp = u;
      if (u >= 0xD800 && u <= 0xDBFF && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
        int lo = hex4(j->p + 2);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          j->p += 6;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD; /* lone surrogate */
      g_string_append_unichar(s, cp);
      break;
    }
    default: goto bad;
    }
  }
  if (j->p >= j->end)
    goto bad;
  j->p++;
  *out_len = s->len;
  return g_string_free(s, FALSE);
bad:
  g_string_free(s, TRUE);
  return NULL;
}

/* Skips any JSON value (strings, numbers, literals, nested arrays/objects). */
static gboolean skip_value(Json *j)
{
  skip_ws(j);
  if (j->p >= j->end)
    return FALSE;
  if (*j->p == '"') {
    gsize n;
    char *s = parse_string(j, &n);
    g_free(s);
    return s != NULL;
  }
  if (*j->p == '{' || *j->p == '[') {
    int depth = 0;
    while (j->p < j->end) {
      if (*j->p == '"') {
        gsize n;
        char *s = parse_string(j, &n);
        if (s == NULL)
          return FALSE;
        g_free(s);
        continue;
      }
      if (*j->p == '{' || *j->p == '[')
        depth++;
      else if (*j->p == '}' || *j->p == ']')
        depth--;
      j->p++;
      if (depth == 0)
        return TRUE;
    }
    return FALSE;
  }
  const char *start = j->p;
  while (j->p < j->end && strchr(",}] \t\r\n", *j->p) == NULL)
    j->p++;
  return j->p > start;
}

gboolean analyze_parse_jsonl(const char *line, gsize len, AnalyzeArticle *out, GError **error)
{
  Json j = {line, line + len};
  skip_ws(&j);
  if (j.p >= j.end || *j.p != '{')
    goto bad;
  j.p++;
  skip_ws(&j);
  if (j.p < j.end && *j.p == '}') {
    j.p++;
  } else {
    for (;;) {
      skip_ws(&j);
      gsize klen;
      char *key = parse_string(&j, &klen);
      if (key == NULL)
        goto bad;
      skip_ws(&j);
      if (j.p >= j.end || *j.p != ':') {
        g_free(key);
        goto bad;
      }
      j.p++;
      skip_ws(&j);
      char **slot = strcmp(key, "id") == 0      ? &out->id
                    : strcmp(key, "date") == 0  ? &out->date
                    : strcmp(key, "title") == 0 ? &out->title
                    : strcmp(key, "text") == 0  ? &out->text
                                                : NULL;
      g_free(key);
      if (slot != NULL && j.p < j.end && *j.p == '"') {
        gsize vlen;
        char *v = parse_string(&j, &vlen);
        if (v == NULL)
          goto bad;
        g_free(*slot);
        *slot = v;
        if (slot == &out->text)
          out->len = vlen;
      } else if (slot == &out->id && j.p < j.end && strchr("-0123456789", *j.p)) {
        const char *s = j.p;
        if (!skip_value(&j))
          goto bad;
        g_free(out->id);
        out->id = g_strndup(s, j.p - s);
      } else if (!skip_value(&j)) {
        goto bad;
      }
      skip_ws(&j);
      if (j.p < j.end && *j.p == ',') {
        j.p++;
        continue;
      }
      if (j.p < j.end && *j.p == '}') {
        j.p++;
        break;
      }
      goto bad;
    }
  }
  skip_ws(&j);
  if (j.p != j.end)
    goto bad;
  if (out->text == NULL) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "no \"text\" member");
    return FALSE;
  }
  return TRUE;
bad:
  g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "not a JSON object at byte %d",
              (int)(j.p - line));
  return FALSE;
}

/* --------------------------------------------------------------- inputs */

struct AnalyzeInput {
  GPtrArray *sources; /* char *: file paths, "-" for stdin */
  guint next_source;
  gboolean jsonl;
  /* the JSON Lines source being read */
  FILE *fp;
  char *fp_path;
  guint line_no;
  char *line;
  size_t line_cap;
};

static gboolean is_jsonl_name(const char *path)
{
  return g_str_has_suffix(path, ".jsonl") || g_str_has_suffix(path, ".ndjson");
}

static int cmp_strp(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean walk(const char *dir, GPtrArray *out, GError **error)
{
  GError *local = NULL;
  GDir *d = g_dir_open(dir, 0, &local);
  if (d == NULL) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
    g_error_free(local);
    return FALSE;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add(names, g_build_filename(dir, name, NULL));
  g_dir_close(d);
  g_ptr_array_sort(names, cmp_strp);
  gboolean ok = TRUE;
  for (guint i = 0; i < names->len && ok; i++) {
    const char *p = g_ptr_array_index(names, i);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      ok = walk(p, out, error);
    else if (g_str_has_suffix(p, ".txt") || is_jsonl_name(p))
      g_ptr_array_add(out, g_strdup(p));
  }
  g_ptr_array_free(names, TRUE);
  return ok;
}

AnalyzeInput *analyze_input_new(char **paths, gboolean jsonl, GError **error)
{
  AnalyzeInput *in = g_new0(AnalyzeInput, 1);
  in->jsonl = jsonl;
  in->sources = g_ptr_array_new_with_free_func(g_free);
  if (paths == NULL || paths[0] == NULL)
    g_ptr_array_add(in->sources, g_strdup("-"));
  for (char **p = paths; p != NULL && *p != NULL; p++) {
    if (strcmp(*p, "-") == 0 || !g_file_test(*p, G_FILE_TEST_IS_DIR)) {
      if (strcmp(*p, "-") != 0 && !g_file_test(*p, G_FILE_TEST_EXISTS)) {
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: no such file or folder", *p);
        analyze_input_free(in);
        return NULL;
      }
      g_ptr_array_add(in->sources, g_strdup(*p));
    } else if (!walk(*p, in->sources, error)) {
      analyze_input_free(in);
      return NULL;
    }
  }
  return in;
}

void analyze_input_free(AnalyzeInput *in)
{
  if (in == NULL)
    return;
  if (in->fp != NULL && in->fp != stdin)
    fclose(in->fp);
  g_free(in->fp_path);
  free(in->line);
  g_ptr_array_free(in->sources, TRUE);
  g_free(in);
}

static char *article_id_from_path(const char *path)
{
  char *base = g_path_get_basename(path);
  if (g_str_has_suffix(base, ".txt"))
    base[strlen(base) - 4] = '\0';
  return base;
}

static gboolean read_all(FILE *fp, const char *name, char **text, gsize *len, GError **error)
{
  GString *s = g_string_new(NULL);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
    g_string_append_len(s, buf, n);
  if (ferror(fp)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", name, g_strerror(errno));
    g_string_free(s, TRUE);
    return FALSE;
  }
  *len = s->len;
  *text = g_string_free(s, FALSE);
  return TRUE;
}

AnalyzeArticle *analyze_input_next(AnalyzeInput *in, GError **error)
{
  for (;;) {
    if (in->fp != NULL) {
      ssize_t n = getline(&in->line, &in->line_cap, in->fp);
      if (n < 0) {
        if (in->fp != stdin)
          fclose(in->fp);
        in->fp = NULL;
        continue;
      }
      in->line_no++;
      gsize len = n;
      while (len > 0 && (in->line[len - 1] == '\n' || in->line[len - 1] == '\r'))
        len--;
      gboolean blank = TRUE;
      for (gsize i = 0; i < len && blank; i++)
        blank = g_ascii_isspace(in->line[i]);
      if (blank)
        continue;
      AnalyzeArticle *a = g_new0(AnalyzeArticle, 1);
      GError *local = NULL;
      if (!analyze_parse_jsonl(in->line, len, a, &local)) {
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "%s:%u: %s", in->fp_path,
                    in->line_no, local->message);
        g_error_free(local);
        analyze_article_free(a);
        return NULL;
      }
      if (a->id == NULL)
        a->id = g_strdup_printf("%s:%u", in->fp_path, in->line_no);
      a->path = g_strcmp0(in->fp_path, "stdin") == 0 ? NULL : g_strdup(in->fp_path);
      return a;
    }
    if (in->next_source >= in->sources->len)
      return NULL;
    const char *src = g_ptr_array_index(in->sources, in->next_source++);
    gboolean is_stdin = strcmp(src, "-") == 0;
    if (in->jsonl || (!is_stdin && is_jsonl_name(src))) {
      in->fp = is_stdin ? stdin : fopen(src, "rb");
      if (in->fp == NULL) {
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", src, g_strerror(errno));
        return NULL;
      }
      g_free(in->fp_path);
      in->fp_path = g_strdup(is_stdin ? "stdin" : src);
      in->line_no = 0;
      continue;
    }
    AnalyzeArticle *a = g_new0(AnalyzeArticle, 1);
    if (is_stdin) {
      a->id = g_strdup("stdin");
      if (!read_all(stdin, "stdin", &a->text, &a->len, error)) {
        analyze_article_free(a);
        return NULL;
      }
    } else {
      GError *local = NULL;
      if (!g_file_get_contents(src, &a->text, &a->len, &local)) {
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
        g_error_free(local);
        analyze_article_free(a);
        return NULL;
      }
      a->id = article_id_from_path(src);
      a->path = g_strdup(src);
    }
    return a;
  }
}
