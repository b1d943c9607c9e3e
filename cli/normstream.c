/* Streaming a file through the normalizer, and the normalizer's options. */
#include "cli/normstream.h"

#include <errno.h>
#include <string.h>

/* How much is read (and then normalized, segmented and written) at a time.
 * A chunk's tokens take ~8 bytes per input byte and its code points 4 more,
 * so 1 MiB chunks spread a chunk's work over ~13 MB and push the trie out
 * of the cache between a chunk's steps: on the bench corpus, 256 KiB made
 * `zhseg cut` 1.08x as fast (and 64 KiB no faster than that). */
#define READ_BYTES (256u << 10)
/* A chunk grows up to this size looking for a sentence end before it is cut
 * at any line break (the only case where chunked output could differ from
 * the whole). The slow path holds about 45 bytes per character, so this also
 * bounds memory: 2 MiB of ASCII stays under 100 MB. */
#define MAX_CHUNK_BYTES (2u << 20)

void cli_norm_add_options(GOptionContext *context, CliNormOptions *o, gboolean main_group)
{
  GOptionEntry entries[] = {
    {"encoding", 'e', 0, G_OPTION_ARG_STRING, &o->encoding,
     "Input encoding (UTF-8, GB18030, GBK, Big5, UTF-16LE, ...; default: detect)", "NAME"},
    {"strict", 0, 0, G_OPTION_ARG_NONE, &o->strict, "Fail on undecodable bytes instead of writing U+FFFD", NULL},
    {"t2s", 0, 0, G_OPTION_ARG_STRING, &o->t2s,
     "Traditional to simplified: auto (default: per paragraph written in traditional), on, off", "auto|on|off"},
    {"join-lines", 0, 0, G_OPTION_ARG_STRING, &o->join,
     "Join hard-wrapped lines: auto (default: when detected), always, never", "auto|always|never"},
    {"no-nfkc", 0, 0, G_OPTION_ARG_NONE, &o->no_nfkc, "Keep full-width letters, digits and symbols", NULL},
    {"no-fold-punct", 0, 0, G_OPTION_ARG_NONE, &o->no_fold, "Do not fold ASCII punctuation in Chinese text",
     NULL},
    {"no-dedup", 0, 0, G_OPTION_ARG_NONE, &o->no_dedup, "Keep repeated runs and doubled punctuation", NULL},
    G_OPTION_ENTRY_NULL,
  };
  if (main_group) {
    g_option_context_add_main_entries(context, entries, NULL);
    return;
  }
  GOptionGroup *g = g_option_group_new("normalize", "Normalizer options (see 'zhseg normalize --help'):",
                                       "Show the normalizer's options", NULL, NULL);
  g_option_group_add_entries(g, entries);
  g_option_context_add_group(context, g);
}

ZhsegNormalizer *cli_norm_new(const CliNormOptions *o, GError **error)
{
  ZhsegNormalizer *n = zhseg_normalizer_new();
  if (o->encoding != NULL && !zhseg_normalizer_set_encoding(n, o->encoding, error))
    goto fail;
  zhseg_normalizer_set_strict(n, o->strict);
  zhseg_normalizer_set_nfkc(n, !o->no_nfkc);
  zhseg_normalizer_set_fold_punct(n, !o->no_fold);
  zhseg_normalizer_set_dedup(n, !o->no_dedup);
  /* The commands convert traditional paragraphs by default (auto decides per
   * paragraph, so simplified text is left as it is). */
  zhseg_normalizer_set_t2s(n, ZHSEG_T2S_AUTO);
  if (o->t2s != NULL) {
    if (strcmp(o->t2s, "off") == 0)
      zhseg_normalizer_set_t2s(n, ZHSEG_T2S_OFF);
    else if (strcmp(o->t2s, "on") == 0)
      zhseg_normalizer_set_t2s(n, ZHSEG_T2S_ON);
    else if (strcmp(o->t2s, "auto") == 0)
      zhseg_normalizer_set_t2s(n, ZHSEG_T2S_AUTO);
    else {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "--t2s must be off, on or auto, not '%s'", o->t2s);
      goto fail;
    }
  }
  if (o->join != NULL) {
    if (strcmp(o->join, "auto") == 0)
      zhseg_normalizer_set_join_lines(n, ZHSEG_JOIN_AUTO);
    else if (strcmp(o->join, "always") == 0)
      zhseg_normalizer_set_join_lines(n, ZHSEG_JOIN_ALWAYS);
    else if (strcmp(o->join, "never") == 0)
      zhseg_normalizer_set_join_lines(n, ZHSEG_JOIN_NEVER);
    else {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID, "--join-lines must be auto, always or never, not '%s'",
                  o->join);
      goto fail;
    }
  }
  return n;
fail:
  zhseg_normalizer_free(n);
  return NULL;
}

void cli_norm_options_clear(CliNormOptions *o)
{
  g_clear_pointer(&o->encoding, g_free);
  g_clear_pointer(&o->t2s, g_free);
  g_clear_pointer(&o->join, g_free);
}

/* A chunk, made by the reading thread (or by the caller, without one), in
 * order. res NULL: the end (with error set when the input failed). */
typedef struct {
  ZhsegNormalized *res;
  const char *raw; /* the chunk's input bytes: raw_copy, or the reader's buffer without a thread */
  char *raw_copy;  /* with a reading thread, which reads on into the buffer */
  gsize raw_len;
  guint64 byte_base;
  GError *error;
} ReadItem;

/* Chunks made ahead of the one the caller holds: normalizing the next chunk
 * while the caller segments and writes this one keeps both cores busy. Two
 * in flight bound the memory (each chunk holds at most MAX_CHUNK_BYTES of
 * input and its result). */
#define READ_AHEAD 2

struct NormReader {
  /* The reading thread's (the caller's only before it starts and after it
   * is joined). */
  ZhsegNormalizer *norm;
  FILE *file;
  char *path;
  GByteArray *buf;
  gboolean eof;
  const char *encoding;
  guint64 offset; /* file offset of buf[0] */
  gsize consumed; /* bytes of buf the last chunk covered */
  /* The hand-over. Without read_ahead there is no thread: the caller makes
   * each chunk itself. (Both threads test read_ahead, set before the thread
   * starts; r->thread, set when g_thread_new returns, is only joined.) */
  gboolean read_ahead;
  GThread *thread;
  GAsyncQueue *ready; /* ReadItem *, in input order */
  GAsyncQueue *room;  /* one token per chunk the thread may still make */
  gint stop;          /* atomic: the caller wants no more chunks */
  ReadItem *held;     /* the caller's current chunk */
  gboolean done;      /* the caller has had the end */
};

#define ROOM_TOKEN GINT_TO_POINTER(1)

static void read_item_free(ReadItem *it)
{
  if (it == NULL)
    return;
  zhseg_normalized_free(it->res);
  g_free(it->raw_copy);
  if (it->error != NULL)
    g_error_free(it->error);
  g_free(it);
}

/* Reads up to `want` more bytes. FALSE on a read error. */
static gboolean fill(NormReader *r, gsize want, GError **error)
{
  gsize old = r->buf->len;
  g_byte_array_set_size(r->buf, old + want);
  gsize n = fread(r->buf->data + old, 1, want, r->file);
  g_byte_array_set_size(r->buf, old + n);
  if (n < want) {
    if (ferror(r->file)) {
      int e = errno;
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: read error at byte %" G_GUINT64_FORMAT ": %s",
                  r->path, r->offset + r->buf->len, g_strerror(e));
      return FALSE;
    }
    r->eof = TRUE;
  }
  return TRUE;
}

/* Makes the next chunk into `it`; FALSE, it->res left NULL, at the end of
 * the input or on error (it->error). On the reading thread if there is one;
 * without, the chunk's raw bytes are left in the buffer until the next call. */
static gboolean make_chunk(NormReader *r, ReadItem *it)
{
  if (r->consumed > 0) {
    g_byte_array_remove_range(r->buf, 0, (guint)r->consumed);
    r->offset += r->consumed;
    r->consumed = 0;
  }
  if (!r->eof && r->buf->len < READ_BYTES && !fill(r, READ_BYTES - r->buf->len, &it->error))
    return FALSE;
  if (r->buf->len == 0)
    return FALSE;
  if (r->encoding == NULL)
    r->encoding = zhseg_normalizer_detect(r->norm, (const char *)r->buf->data, r->buf->len);
  gsize take = r->buf->len;
  while (!r->eof) {
    take = zhseg_normalizer_safe_split((const char *)r->buf->data, r->buf->len, r->encoding, FALSE);
    if (take > 0)
      break;
    if (r->buf->len >= MAX_CHUNK_BYTES) {
      /* No sentence end for a long stretch: cut at a line break or a
       * character boundary. */
      take = zhseg_normalizer_safe_split((const char *)r->buf->data, r->buf->len, r->encoding, TRUE);
      if (take == 0)
        take = r->buf->len;
      break;
    }
    if (!fill(r, READ_BYTES, &it->error))
      return FALSE;
    take = r->buf->len;
  }
  GError *err = NULL;
  it->res = zhseg_normalizer_feed(r->norm, (const char *)r->buf->data, take, &err);
  if (it->res == NULL) {
    g_set_error(&it->error, ZHSEG_ERROR, err->code, "%s: %s", r->path, err->message);
    g_error_free(err);
    return FALSE;
  }
  it->byte_base = r->offset;
  it->raw = (const char *)r->buf->data;
  if (r->read_ahead)
    it->raw = it->raw_copy = g_memdup2(r->buf->data, take);
  it->raw_len = take;
  r->consumed = take;
  return TRUE;
}

static gpointer read_ahead_thread(gpointer data)
{
  NormReader *r = data;
  for (;;) {
    g_async_queue_pop(r->room);
    if (g_atomic_int_get(&r->stop))
      break;
    ReadItem *it = g_new0(ReadItem, 1);
    gboolean more = make_chunk(r, it); /* at the end, it has no result (and maybe an error) */
    g_async_queue_push(r->ready, it);
    if (!more)
      break;
  }
  return NULL;
}

NormReader *norm_reader_open(ZhsegNormalizer *norm, const char *path, gboolean read_ahead, GError **error)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    int e = errno;
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", path, g_strerror(e));
    return NULL;
  }
  NormReader *r = g_new0(NormReader, 1);
  r->norm = norm;
  r->file = f;
  r->path = g_strdup(path);
  r->buf = g_byte_array_new();
  zhseg_normalizer_begin(norm, 0);
  r->read_ahead = read_ahead;
  if (read_ahead) {
    r->ready = g_async_queue_new();
    r->room = g_async_queue_new();
    for (int i = 0; i < READ_AHEAD; i++)
      g_async_queue_push(r->room, ROOM_TOKEN);
    r->thread = g_thread_new("zhseg-read", read_ahead_thread, r);
  }
  return r;
}

void norm_reader_free(NormReader *r)
{
  if (r == NULL)
    return;
  if (r->read_ahead) {
    /* Wake the thread if it waits for room; it stops at its next chunk (a
     * read in progress finishes first). */
    g_atomic_int_set(&r->stop, 1);
    g_async_queue_push(r->room, ROOM_TOKEN);
    g_thread_join(r->thread);
    for (ReadItem *it; (it = g_async_queue_try_pop(r->ready)) != NULL;)
      read_item_free(it);
    g_async_queue_unref(r->ready);
    g_async_queue_unref(r->room);
  }
  read_item_free(r->held);
  if (r->file != stdin)
    fclose(r->file);
  g_byte_array_free(r->buf, TRUE);
  g_free(r->path);
  g_free(r);
}

gboolean norm_reader_next(NormReader *r, NormChunk *chunk, GError **error)
{
  if (r->held != NULL) { /* done with it: room for one more */
    g_clear_pointer(&r->held, read_item_free);
    if (r->read_ahead)
      g_async_queue_push(r->room, ROOM_TOKEN);
  }
  if (r->done)
    return FALSE;
  ReadItem *it;
  if (r->read_ahead) {
    it = g_async_queue_pop(r->ready);
  } else {
    it = g_new0(ReadItem, 1);
    make_chunk(r, it);
  }
  r->held = it;
  if (it->res == NULL) {
    r->done = TRUE;
    if (it->error != NULL)
      g_propagate_error(error, g_steal_pointer(&it->error));
    return FALSE;
  }
  chunk->res = it->res;
  chunk->text = zhseg_normalized_text(it->res, &chunk->len);
  chunk->byte_base = it->byte_base;
  chunk->raw = it->raw;
  chunk->raw_len = it->raw_len;
  /* r->encoding was set before the chunk was made (the queue orders it
   * for the thread). */
  chunk->lf_bytes = g_ascii_strcasecmp(r->encoding, "UTF-8") == 0 || g_ascii_strcasecmp(r->encoding, "utf8") == 0;
  return TRUE;
}
