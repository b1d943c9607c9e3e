/* Chunked input reading, input expansion and progress for the commands. */
#include "cli/input.h"
#include "common/private.h"
#include "tokenizer/normalize_map.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct InputReader {
  FILE *file;
  char *path;
  char *buf;
  gsize cap, len;  /* bytes in buf */
  gsize consumed;  /* bytes of buf handed out by the last chunk */
  gsize offset;    /* file offset of buf[0] */
  gsize chars;     /* characters before buf[0] */
  gboolean eof;
};

InputReader *input_reader_open(const char *path, GError **error)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    int e = errno;
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", path, g_strerror(e));
    return NULL;
  }
  InputReader *r = g_new0(InputReader, 1);
  r->file = f;
  r->path = g_strdup(path);
  r->cap = INPUT_CHUNK_BYTES + 4;
  r->buf = g_malloc(r->cap);
  return r;
}

void input_reader_free(InputReader *r)
{
  if (r == NULL)
    return;
  if (r->file != stdin)
    fclose(r->file);
  g_free(r->buf);
  g_free(r->path);
  g_free(r);
}

/* Characters of s[0..len) as the segmenter counts them: an invalid
 * sequence is one character of the bytes the decoder takes. Valid text,
 * nearly always, is counted by its lead bytes, eight at a time. */
static gsize count_chars(const char *s, gsize len)
{
  if (g_utf8_validate_len(s, len, NULL))
    return (gsize)nz_count_chars((const guchar *)s, len);
  gsize n = 0;
  for (gsize i = 0; i < len; n++) {
    if ((guchar)s[i] < 0x80) {
      i++;
      continue;
    }
    guint k;
    zhseg_utf8_decode((const guchar *)s + i, len - i, &k);
    i += k;
  }
  return n;
}

/* Where to end a chunk inside a line longer than a chunk: after the last
 * sentence punctuation or space, else after the last whole character. */
static gsize safe_split(const char *s, gsize len)
{
  static const char *const marks[] = {"。", "！", "？", "；", "，", "、", " ", ".", ",", ";"};
  gsize best = 0;
  gsize from = len > 4096 ? len - 4096 : 0;
  for (gsize m = 0; m < G_N_ELEMENTS(marks); m++) {
    gsize ml = strlen(marks[m]);
    for (gsize i = len; i >= from + ml; i--)
      if (memcmp(s + i - ml, marks[m], ml) == 0) {
        best = MAX(best, i);
        break;
      }
  }
  if (best > 0)
    return best;
  /* Back to the last byte that is not a continuation byte; keep its
   * sequence only if it is whole (a truncated one decodes as invalid). */
  gsize i = len;
  while (i > 0 && i > len - 4 && ((guchar)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i == 0 || (guchar)s[i - 1] < 0xC0)
    return len;
  guint k;
  return zhseg_utf8_decode((const guchar *)s + i - 1, len - (i - 1), &k) >= 0 ? i - 1 + k : i - 1;
}

gboolean input_reader_next(InputReader *r, InputChunk *chunk, GError **error)
{
  /* Drop what the previous chunk handed out. */
  if (r->consumed > 0) {
    r->chars += count_chars(r->buf, r->consumed);
    memmove(r->buf, r->buf + r->consumed, r->len - r->consumed);
    r->len -= r->consumed;
    r->offset += r->consumed;
    r->consumed = 0;
  }
  while (!r->eof && r->len < INPUT_CHUNK_BYTES) {
    gsize n = fread(r->buf + r->len, 1, INPUT_CHUNK_BYTES - r->len, r->file);
    r->len += n;
    if (n == 0 || r->len < INPUT_CHUNK_BYTES) {
      if (ferror(r->file)) {
        int e = errno;
        g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: read error at byte %" G_GSIZE_FORMAT ": %s",
                    r->path, r->offset + r->len, g_strerror(e));
        return FALSE;
      }
      if (feof(r->file))
        r->eof = TRUE;
    }
  }
  if (r->len == 0)
    return FALSE;
  gsize take = r->len;
  if (!r->eof) {
    const char *nl = NULL;
    for (gsize i = r->len; i > 0; i--)
      if (r->buf[i - 1] == '\n') {
        nl = r->buf + i - 1;
        break;
      }
    take = nl != NULL ? (gsize)(nl - r->buf) + 1 : safe_split(r->buf, r->len);
    if (take == 0)
      take = r->len;
  }
  r->consumed = take;
  chunk->text = r->buf;
  chunk->len = take;
  chunk->byte_base = r->offset;
  chunk->char_base = r->chars;
  return TRUE;
}

static int compare_paths(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean add_folder(const char *dir, GPtrArray *files, GError **error)
{
  GDir *d = g_dir_open(dir, 0, error);
  if (d == NULL)
    return FALSE;
  GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add(found, g_build_filename(dir, name, NULL));
  g_dir_close(d);
  g_ptr_array_sort(found, compare_paths);
  gboolean ok = TRUE;
  for (guint i = 0; i < found->len && ok; i++) {
    const char *p = g_ptr_array_index(found, i);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      ok = add_folder(p, files, error);
    else if (g_str_has_suffix(p, ".txt"))
      g_ptr_array_add(files, g_strdup(p));
  }
  g_ptr_array_free(found, TRUE);
  return ok;
}

gboolean cli_expand_inputs(char **args, int n, GPtrArray **files, GError **error)
{
  *files = g_ptr_array_new_with_free_func(g_free);
  if (n == 0)
    g_ptr_array_add(*files, g_strdup("-"));
  for (int i = 0; i < n; i++) {
    if (strcmp(args[i], "-") == 0 || g_file_test(args[i], G_FILE_TEST_IS_REGULAR)) {
      g_ptr_array_add(*files, g_strdup(args[i]));
    } else if (g_file_test(args[i], G_FILE_TEST_IS_DIR)) {
      if (!add_folder(args[i], *files, error))
        goto fail;
    } else {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: no such file or folder", args[i]);
      goto fail;
    }
  }
  return TRUE;
fail:
  g_ptr_array_free(*files, TRUE);
  *files = NULL;
  return FALSE;
}

gboolean cli_parse_mode(const char *name, ZhsegMode *mode)
{
  if (strcmp(name, "precise") == 0) *mode = ZHSEG_MODE_PRECISE;
  else if (strcmp(name, "search") == 0) *mode = ZHSEG_MODE_SEARCH;
  else if (strcmp(name, "full") == 0) *mode = ZHSEG_MODE_FULL;
  else {
    fprintf(stderr, "zhseg: unknown mode '%s' (precise, search or full)\n", name);
    return FALSE;
  }
  return TRUE;
}

void cli_progress_init(CliProgress *p, const char *what)
{
  memset(p, 0, sizeof *p);
  p->what = what;
  p->tty = isatty(STDERR_FILENO);
  p->start = p->last = g_get_monotonic_time();
}

void cli_progress_update(CliProgress *p, gsize bytes)
{
  p->bytes += bytes;
  if (!p->tty)
    return;
  gint64 now = g_get_monotonic_time();
  if (now - p->start < G_USEC_PER_SEC || now - p->last < G_USEC_PER_SEC / 4)
    return;
  p->last = now;
  p->shown = TRUE;
  double mb = p->bytes / 1e6, s = (now - p->start) / 1e6;
  fprintf(stderr, "\rzhseg %s: %.1f MB in %.1f s (%.1f MB/s)   ", p->what, mb, s, mb / s);
}

void cli_progress_done(CliProgress *p)
{
  if (p->shown)
    fputc('\n', stderr);
}
