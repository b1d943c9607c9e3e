/* The dictionary loader: maps an image, checks it, and answers lookups. */
#include "dict/private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include <xxhash.h>

guint64 zhseg_image_checksum(const guint8 *image, gsize size)
{
  ZhsegImageHeader h;
  memcpy(&h, image, sizeof h);
  h.checksum = 0;
  /* Streaming XXH3 needs a heap state (its struct is opaque here); the
   * header's own hash is folded in as the seed instead. */
  XXH64_hash_t header_hash = XXH3_64bits(&h, sizeof h);
  return XXH3_64bits_withSeed(image + sizeof h, size - sizeof h, header_hash);
}

static gboolean corrupt(GError **error, const char *path, const char *what)
{
  g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_CORRUPT, "%s: corrupt dictionary image: %s", path,
              what);
  return FALSE;
}

static const void *section(const ZhsegDict *d, int id)
{
  return (const guint8 *)d->hdr + d->hdr->sections[id].offset;
}

/* Everything the segmenter relies on for memory safety is checked here, or
 * (trie bases) at each step of a walk, so a damaged or hostile image is
 * refused or gives wrong words, never a read out of bounds. What open does
 * not read is the bulk of the image, the trie and frequencies (13 MB for
 * jieba's lexicon): reading it costs milliseconds, and page faults, on
 * every start. The whole-image checksum is zhseg_dict_verify()'s job
 * (`zhseg dict info` runs it). */
static gboolean validate(ZhsegDict *d, gsize size, GError **error)
{
  const char *path = d->path;
  if (size < sizeof(ZhsegImageHeader)) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                "%s: not a zhseg dictionary image (%" G_GSIZE_FORMAT " bytes, shorter than a header)",
                path, size);
    return FALSE;
  }
  const ZhsegImageHeader *h = d->hdr;
  if (memcmp(h->magic, ZHSEG_IMAGE_MAGIC, 8) != 0) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                "%s: not a zhseg dictionary image (bad magic); compile lexicons with 'zhseg dict build'",
                path);
    return FALSE;
  }
  if (h->byte_order != ZHSEG_IMAGE_BYTE_ORDER) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_VERSION,
                "%s: dictionary image has the other byte order; rebuild it on this machine", path);
    return FALSE;
  }
  if (h->version != ZHSEG_IMAGE_VERSION) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_VERSION,
                "%s: dictionary image format version %u, this zhseg reads version %u; rebuild it "
                "with 'zhseg dict build'",
                path, h->version, ZHSEG_IMAGE_VERSION);
    return FALSE;
  }
  if (h->file_size != size) {
    char *what = g_strdup_printf("header says %" G_GUINT64_FORMAT " bytes, file has %" G_GSIZE_FORMAT
                                 " (truncated or extended)",
                                 (guint64)h->file_size, size);
    corrupt(error, path, what);
    g_free(what);
    return FALSE;
  }
  guint64 expect[ZHSEG_N_SECTIONS] = {
    [ZHSEG_SECTION_CHARMAP] = 65536 * sizeof(guint16),
    [ZHSEG_SECTION_SLOTS] = (guint64)h->n_slots * sizeof(ZhsegSlot),
    [ZHSEG_SECTION_FREQS] = (guint64)h->n_slots * sizeof(guint32),
    [ZHSEG_SECTION_HMM] = h->has_hmm ? sizeof(ZhsegHmmHeader) + ((guint64)h->n_chars + 1) * 4 * sizeof(double) : 0,
  };
  for (int i = 0; i < ZHSEG_N_SECTIONS; i++) {
    const ZhsegSection *s = &h->sections[i];
    if (s->offset % 8 != 0 || s->offset < sizeof *h || s->offset > size || s->size > size - s->offset)
      return corrupt(error, path, "a section lies outside the file");
    if (i != ZHSEG_SECTION_ASTRAL && i != ZHSEG_SECTION_TAGNAMES && s->size != expect[i])
      return corrupt(error, path, "a section has the wrong size");
  }
  if (h->sections[ZHSEG_SECTION_ASTRAL].size % sizeof(ZhsegAstralEntry) != 0)
    return corrupt(error, path, "the astral character table has the wrong size");
  if (h->n_chars == 0 || h->n_chars >= 65535 || h->n_slots <= h->n_chars || h->n_tags == 0 ||
      h->n_tags > 256 || !(h->total_freq > 0) || h->has_hmm > 1)
    return corrupt(error, path, "header counts are out of range");

  if (h->max_word_chars == 0 || h->max_word_chars > ZHSEG_MAX_WORD_CHARS)
    return corrupt(error, path, "the longest word's length is out of range");

  d->charmap = section(d, ZHSEG_SECTION_CHARMAP);
  d->astral = section(d, ZHSEG_SECTION_ASTRAL);
  d->n_astral = h->sections[ZHSEG_SECTION_ASTRAL].size / sizeof(ZhsegAstralEntry);
  d->slots = section(d, ZHSEG_SECTION_SLOTS);
  d->freqs = section(d, ZHSEG_SECTION_FREQS);
  d->n_slots = h->n_slots;
  d->n_chars = h->n_chars;
  d->n_user_chars = h->n_chars;
  d->total = h->total_freq;
  d->log_total = log(h->total_freq);
  d->n_words = h->n_words;

  /* Structural checks the segmenter's unchecked walk depends on. */
  guint16 max_id = 0;
  for (guint32 i = 0; i < 65536; i++)
    max_id = MAX(max_id, d->charmap[i]);
  if (max_id > h->n_chars)
    return corrupt(error, path, "character map holds an id out of range");
  for (gsize i = 0; i < d->n_astral; i++)
    if (d->astral[i].id == 0 || d->astral[i].id > h->n_chars ||
        (i > 0 && d->astral[i].cp <= d->astral[i - 1].cp))
      return corrupt(error, path, "astral character table is not sorted or holds a bad id");
  /* The Han walk relies on the root's check being no node's index: an
   * unknown character's id, 0, then fails the root-child test, and a step
   * sent to slot 0 in place of one past the array finds no child. */
  if (d->slots[0].base != 0 || d->slots[0].check != ZHSEG_FREE_CHECK)
    return corrupt(error, path, "the trie's root is not at slot 0");

  const char *names = section(d, ZHSEG_SECTION_TAGNAMES);
  gsize names_len = h->sections[ZHSEG_SECTION_TAGNAMES].size;
  d->tag_names = g_ptr_array_new();
  for (gsize pos = 0; pos < names_len && d->tag_names->len < h->n_tags;) {
    const char *nul = memchr(names + pos, '\0', names_len - pos);
    if (nul == NULL)
      break;
    g_ptr_array_add(d->tag_names, (gpointer)(names + pos));
    pos = (gsize)(nul - names) + 1;
  }
  if (d->tag_names->len != h->n_tags)
    return corrupt(error, path, "the tag name table is short");

  if (h->has_hmm) {
    d->hmm = section(d, ZHSEG_SECTION_HMM);
    d->emit = (const double *)(d->hmm + 1);
  }
  return TRUE;
}

ZhsegDict *zhseg_dict_open(const char *path, GError **error)
{
  char *found = zhseg_find_data_file(path, "ZHSEG_DICT", ZHSEG_DEFAULT_DICT_NAME, error);
  if (found == NULL)
    return NULL;
  /* Mapped, not read: only the pages a walk touches are faulted in (the
   * kernel maps the neighbours of a faulting page too). */
  int fd = open(found, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", found, g_strerror(e));
    if (fd >= 0)
      close(fd);
    g_free(found);
    return NULL;
  }
  gsize size = (gsize)st.st_size;
  void *map = NULL;
  if (size > 0) {
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      int e = errno;
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: cannot map: %s", found, g_strerror(e));
      close(fd);
      g_free(found);
      return NULL;
    }
  }
  close(fd);
  ZhsegDict *d = g_new0(ZhsegDict, 1);
  d->ref = 1;
  d->path = found;
  d->map = map;
  d->map_size = size;
  /* Open reads the image's first pages only (header, tag names, character
   * map, the trie's root; see zhseg_dict_compile's layout): asked for at
   * once, they come in one read instead of a page fault's read at a time,
   * which made a cold open 6-10 times slower. Only a hint: an image laid
   * out otherwise still opens, and an error changes nothing. */
  if (map != NULL)
    (void)madvise(map, MIN(size, (gsize)ZHSEG_IMAGE_OPEN_BYTES), MADV_WILLNEED);
  /* An empty file has no mapping; point at a zero header instead. */
  static const ZhsegImageHeader empty;
  d->hdr = size > 0 ? (const ZhsegImageHeader *)map : &empty;
  if (!validate(d, size, error)) {
    zhseg_dict_unref(d);
    return NULL;
  }
  return d;
}

ZhsegDict *zhseg_dict_ref(ZhsegDict *dict)
{
  g_return_val_if_fail(dict != NULL, NULL);
  g_atomic_int_inc(&dict->ref);
  return dict;
}

void zhseg_dict_unref(ZhsegDict *dict)
{
  if (dict == NULL || !g_atomic_int_dec_and_test(&dict->ref))
    return;
  if (dict->map != NULL)
    munmap(dict->map, dict->map_size);
  if (dict->tag_names != NULL)
    g_ptr_array_free(dict->tag_names, TRUE);
  zhseg_trie_clear(&dict->user);
  if (dict->extra_chars != NULL)
    g_hash_table_destroy(dict->extra_chars);
  if (dict->user_entries != NULL) {
    for (guint i = 0; i < dict->user_entries->len; i++) {
      g_free(g_array_index(dict->user_entries, ZhsegLexEntry, i).word);
      g_free(g_array_index(dict->user_entries, ZhsegLexEntry, i).tag);
    }
    g_array_free(dict->user_entries, TRUE);
  }
  zhseg_dict_unref(dict->base);
  g_free(dict->path);
  g_free(dict);
}

gboolean zhseg_dict_verify(const ZhsegDict *dict, GError **error)
{
  g_return_val_if_fail(dict != NULL, FALSE);
  const ZhsegImageHeader *h = dict->hdr;
  if (zhseg_image_checksum((const guint8 *)h, h->file_size) != h->checksum)
    return corrupt(error, dict->path, "checksum mismatch (the file was damaged or modified)");
  return TRUE;
}

const char *zhseg_dict_path(const ZhsegDict *dict) { return dict->path; }
gsize zhseg_dict_n_words(const ZhsegDict *dict) { return dict->n_words; }
double zhseg_dict_total_freq(const ZhsegDict *dict) { return dict->total; }
gsize zhseg_dict_image_size(const ZhsegDict *dict) { return dict->hdr->file_size; }
guint64 zhseg_dict_checksum(const ZhsegDict *dict) { return dict->hdr->checksum; }
gboolean zhseg_dict_has_hmm(const ZhsegDict *dict) { return dict->hmm != NULL; }

const char *zhseg_dict_tag_name(const ZhsegDict *dict, guint tag)
{
  g_return_val_if_fail(dict != NULL, "");
  return tag < dict->tag_names->len ? g_ptr_array_index(dict->tag_names, tag) : "";
}

int zhseg_dict_tag_id(ZhsegDict *dict, const char *tag)
{
  for (guint i = 0; i < dict->tag_names->len; i++)
    if (strcmp(g_ptr_array_index(dict->tag_names, i), tag) == 0)
      return (int)i;
  if (dict->tag_names->len >= 256)
    return -1;
  /* Only overlays add tags; their array owns the new names (see overlay.c). */
  g_ptr_array_add(dict->tag_names, g_strdup(tag));
  return (int)dict->tag_names->len - 1;
}

typedef struct {
  double freq;
  guint8 tag;
  gboolean found;
} Hit;

/* Walks `utf8` from its start in both tries, calling `visit` at every
 * character boundary where either trie has a word (the user trie overriding). */
static gsize walk(const ZhsegDict *d, const char *utf8, gsize len, gboolean exact_only,
                  ZhsegPrefixFunc func, gpointer data, Hit *exact)
{
  guint32 bs = 0, us = 0;
  gboolean b_alive = TRUE, u_alive = d->user.n_slots > 0;
  gsize pos = 0, reported = 0;
  while (pos < len && (b_alive || u_alive)) {
    guint n;
    gint32 cp = zhseg_utf8_decode((const guchar *)utf8 + pos, len - pos, &n);
    if (cp < 0)
      break;
    pos += n;
    if (b_alive) {
      bs = zhseg_trie_step(d->slots, d->n_slots, bs, zhseg_dict_char_id(d, cp));
      b_alive = bs != 0;
    }
    if (u_alive) {
      us = zhseg_trie_step(d->user.slots, d->user.n_slots, us, zhseg_dict_user_char_id(d, cp));
      u_alive = us != 0;
    }
    Hit h = {0};
    if (b_alive && d->slots[bs].logp <= 0)
      h = (Hit){d->freqs[bs], d->slots[bs].tag, TRUE};
    if (u_alive && d->user.slots[us].logp != ZHSEG_NOT_A_WORD) {
      if (d->user.slots[us].logp == ZHSEG_REMOVED_WORD)
        h.found = FALSE;
      else
        h = (Hit){d->user.freqs[us], d->user.slots[us].tag, TRUE};
    }
    if (exact_only) {
      if (pos == len)
        *exact = h;
      continue;
    }
    if (h.found) {
      reported++;
      if (!func(pos, h.freq, zhseg_dict_tag_name(d, h.tag), data))
        break;
    }
  }
  return reported;
}

gboolean zhseg_dict_lookup(const ZhsegDict *dict, const char *word, gssize len, double *freq,
                           const char **tag)
{
  g_return_val_if_fail(dict != NULL && word != NULL, FALSE);
  gsize n = len < 0 ? strlen(word) : (gsize)len;
  Hit h = {0};
  if (n > 0)
    walk(dict, word, n, TRUE, NULL, NULL, &h);
  if (h.found) {
    if (freq != NULL)
      *freq = h.freq;
    if (tag != NULL)
      *tag = zhseg_dict_tag_name(dict, h.tag);
  }
  return h.found;
}

gsize zhseg_dict_walk_prefixes(const ZhsegDict *dict, const char *utf8, gsize len,
                               ZhsegPrefixFunc func, gpointer user_data)
{
  g_return_val_if_fail(dict != NULL && func != NULL, 0);
  return walk(dict, utf8, len, FALSE, func, user_data, NULL);
}
