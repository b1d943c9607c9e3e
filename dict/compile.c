/* The dictionary compiler: text lexicons + HMM table -> one binary image. */
#include "dict/private.h"

#include <math.h>
#include <string.h>
#include <xxhash.h>

typedef struct {
  gint32 cp;
  double weight;
} CharWeight;

typedef struct {
  GHashTable *words;     /* word -> index into entries */
  GArray *entries;       /* ZhsegLexEntry (owned strings) */
  GHashTable *chars;     /* code point -> CharWeight* */
  GPtrArray *tag_names;  /* char * */
  GHashTable *tag_ids;   /* name -> id + 1 */
  double hmm_start[4];
  double hmm_trans[4][4];
  GHashTable *hmm_emit;  /* code point -> double[4] */
  double total;          /* sum of every lexicon line's frequency */
} Compiler;

static CharWeight *char_weight(Compiler *c, gint32 cp)
{
  CharWeight *w = g_hash_table_lookup(c->chars, GINT_TO_POINTER(cp));
  if (w == NULL) {
    w = g_new0(CharWeight, 1);
    w->cp = cp;
    g_hash_table_insert(c->chars, GINT_TO_POINTER(cp), w);
  }
  return w;
}

static int tag_id(Compiler *c, const char *name)
{
  gpointer v = g_hash_table_lookup(c->tag_ids, name);
  if (v != NULL)
    return GPOINTER_TO_INT(v) - 1;
  if (c->tag_names->len >= 256)
    return -1;
  char *copy = g_strdup(name);
  g_ptr_array_add(c->tag_names, copy);
  g_hash_table_insert(c->tag_ids, copy, GINT_TO_POINTER(c->tag_names->len));
  return (int)c->tag_names->len - 1;
}

/* jieba adds every line's frequency to its total, a word listed twice
 * included; we do the same so log-probabilities match it exactly. */
static gboolean read_lexicon(Compiler *c, const char *path, GError **error)
{
  char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, &text, &len, error)) {
    g_prefix_error(error, "lexicon: ");
    return FALSE;
  }
  GArray *entries = zhseg_lexicon_parse(text, len, path, error);
  g_free(text);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++) {
    ZhsegLexEntry *e = &g_array_index(entries, ZhsegLexEntry, i);
    c->total += e->freq < 0 ? 1 : floor(e->freq);
    gpointer idx;
    if (g_hash_table_lookup_extended(c->words, e->word, NULL, &idx)) {
      /* A word listed twice keeps its last frequency and tag. */
      ZhsegLexEntry *old = &g_array_index(c->entries, ZhsegLexEntry, GPOINTER_TO_UINT(idx));
      old->freq = e->freq;
      g_free(old->tag);
      old->tag = e->tag;
      e->tag = NULL;
      g_free(e->word);
    } else {
      g_array_append_val(c->entries, *e);
      g_hash_table_insert(c->words, e->word, GUINT_TO_POINTER(c->entries->len - 1));
    }
  }
  g_array_free(entries, TRUE); /* the strings moved into c->entries */
  return TRUE;
}

static int state_index(const char *s)
{
  if (s[0] != '\0' && s[1] == '\0') {
    const char *p = strchr("BMES", s[0]);
    if (p != NULL)
      return (int)(p - "BMES");
  }
  return -1;
}

static gboolean read_hmm(Compiler *c, const char *path, GError **error)
{
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error)) {
    g_prefix_error(error, "HMM table: ");
    return FALSE;
  }
  for (int i = 0; i < 4; i++) {
    c->hmm_start[i] = ZHSEG_HMM_MIN;
    for (int j = 0; j < 4; j++)
      c->hmm_trans[i][j] = ZHSEG_HMM_MIN;
  }
  gboolean ok = TRUE;
  char *next = text;
  for (guint n = 0; ok && next != NULL; n++) {
    /* Line by line in place (g_strsplit would rescan the rest of the text
     * per line under AddressSanitizer's strstr interceptor). */
    char *line = next;
    char *nl = strchr(line, '\n');
    next = nl != NULL ? nl + 1 : NULL;
    if (nl != NULL)
      *nl = '\0';
    g_strchomp(line);
    if (line[0] == '#' || line[0] == '\0')
      continue;
    char **f = g_strsplit(line, "\t", -1);
    guint nf = g_strv_length(f);
    char *end = NULL;
    double v = nf >= 3 ? g_ascii_strtod(f[nf - 1], &end) : 0;
    gboolean good = nf >= 3 && end != f[nf - 1] && *end == '\0' && state_index(f[1]) >= 0;
    if (good && strcmp(f[0], "start") == 0 && nf == 3) {
      c->hmm_start[state_index(f[1])] = v;
    } else if (good && strcmp(f[0], "trans") == 0 && nf == 4 && state_index(f[2]) >= 0) {
      c->hmm_trans[state_index(f[1])][state_index(f[2])] = v;
    } else if (good && strcmp(f[0], "emit") == 0 && nf == 4 && g_utf8_validate(f[2], -1, NULL) &&
               g_utf8_strlen(f[2], -1) == 1) {
      gint32 cp = (gint32)g_utf8_get_char(f[2]);
      double *row = g_hash_table_lookup(c->hmm_emit, GINT_TO_POINTER(cp));
      if (row == NULL) {
        row = g_new(double, 4);
        for (int i = 0; i < 4; i++)
          row[i] = ZHSEG_HMM_MIN;
        g_hash_table_insert(c->hmm_emit, GINT_TO_POINTER(cp), row);
      }
      row[state_index(f[1])] = v;
      char_weight(c, cp);
    } else {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                  "%s:%u: expected 'start S P', 'trans S S P' or 'emit S CHAR P'", path, n + 1);
      ok = FALSE;
    }
    g_strfreev(f);
  }
  g_free(text);
  return ok;
}

static int compare_weight(gconstpointer pa, gconstpointer pb)
{
  const CharWeight *a = *(CharWeight *const *)pa, *b = *(CharWeight *const *)pb;
  if (a->weight != b->weight)
    return a->weight > b->weight ? -1 : 1;
  return a->cp < b->cp ? -1 : a->cp > b->cp;
}

static int compare_astral(gconstpointer pa, gconstpointer pb)
{
  const ZhsegAstralEntry *a = pa, *b = pb;
  return a->cp < b->cp ? -1 : a->cp > b->cp;
}

static void append_section(GByteArray *img, ZhsegImageHeader *hdr, int id, const void *data,
                           gsize size)
{
  static const guint8 zeros[ZHSEG_IMAGE_ALIGN];
  gsize pad = (ZHSEG_IMAGE_ALIGN - img->len % ZHSEG_IMAGE_ALIGN) % ZHSEG_IMAGE_ALIGN;
  g_byte_array_append(img, zeros, (guint)pad);
  hdr->sections[id].offset = img->len;
  hdr->sections[id].size = size;
  if (size > 0)
    g_byte_array_append(img, data, (guint)size);
}

gboolean zhseg_dict_compile(const char *const *lexicon_paths, gsize n_lexicons,
                            const char *hmm_path, const char *out_path, GError **error)
{
  g_return_val_if_fail(out_path != NULL, FALSE);
  Compiler c = {0};
  c.words = g_hash_table_new(g_str_hash, g_str_equal);
  c.entries = g_array_new(FALSE, FALSE, sizeof(ZhsegLexEntry));
  c.chars = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  c.tag_names = g_ptr_array_new_with_free_func(g_free);
  c.tag_ids = g_hash_table_new(g_str_hash, g_str_equal);
  c.hmm_emit = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  /* Tags every image has, so the segmenter can tag non-Han tokens. */
  const char *builtin_tags[] = {"", "x", "eng", "m", "n"};
  for (gsize i = 0; i < G_N_ELEMENTS(builtin_tags); i++)
    tag_id(&c, builtin_tags[i]);

  gboolean ok = TRUE;
  for (gsize i = 0; ok && i < n_lexicons; i++)
    ok = read_lexicon(&c, lexicon_paths[i], error);
  if (ok && hmm_path != NULL)
    ok = read_hmm(&c, hmm_path, error);

  /* Character weights. A word without a frequency counts 1. */
  double total = c.total;
  guint32 max_chars = 0;
  for (guint i = 0; ok && i < c.entries->len; i++) {
    ZhsegLexEntry *e = &g_array_index(c.entries, ZhsegLexEntry, i);
    if (e->freq < 0)
      e->freq = 1;
    e->freq = floor(e->freq);
    guint32 n = 0;
    for (const char *p = e->word; *p; p = g_utf8_next_char(p), n++)
      char_weight(&c, (gint32)g_utf8_get_char(p))->weight += e->freq + 1;
    max_chars = MAX(max_chars, n);
  }
  if (ok && total <= 0) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT,
                "the lexicons hold no word with a frequency above 0");
    ok = FALSE;
  }
  guint32 n_chars = g_hash_table_size(c.chars);
  if (ok && n_chars >= 65535) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "too many distinct characters (%u)", n_chars);
    ok = FALSE;
  }
  if (!ok)
    goto out;

  /* Character ids by descending weight: frequent characters get small ids. */
  GPtrArray *ranked = g_ptr_array_new();
  GHashTableIter cit;
  gpointer cval;
  g_hash_table_iter_init(&cit, c.chars);
  while (g_hash_table_iter_next(&cit, NULL, &cval))
    g_ptr_array_add(ranked, cval);
  g_ptr_array_sort(ranked, compare_weight);
  guint16 *charmap = g_new0(guint16, 65536);
  GArray *astral = g_array_new(FALSE, FALSE, sizeof(ZhsegAstralEntry));
  GHashTable *ids = g_hash_table_new(NULL, NULL);
  for (guint i = 0; i < ranked->len; i++) {
    CharWeight *w = g_ptr_array_index(ranked, i);
    guint32 id = i + 1;
    g_hash_table_insert(ids, GINT_TO_POINTER(w->cp), GUINT_TO_POINTER(id));
    if (w->cp < 0x10000) {
      charmap[w->cp] = (guint16)id;
    } else {
      ZhsegAstralEntry e = {(guint32)w->cp, id};
      g_array_append_val(astral, e);
    }
  }
  /* Astral entries sorted by code point for binary search. */
  g_array_sort(astral, compare_astral);

  /* Trie words. Words of frequency 0 stay out (jieba treats them as absent). */
  double log_total = log(total);
  GArray *bw = g_array_new(FALSE, FALSE, sizeof(ZhsegBuildWord));
  guint32 n_words = 0;
  for (guint i = 0; i < c.entries->len && ok; i++) {
    ZhsegLexEntry *e = &g_array_index(c.entries, ZhsegLexEntry, i);
    if (e->freq <= 0)
      continue;
    int tag = tag_id(&c, e->tag != NULL ? e->tag : "");
    if (tag < 0) {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "more than 256 distinct tags");
      ok = FALSE;
      break;
    }
    ZhsegBuildWord w = {0};
    w.n_chars = (guint32)g_utf8_strlen(e->word, -1);
    w.chars = g_new(guint32, w.n_chars);
    guint32 k = 0;
    for (const char *p = e->word; *p; p = g_utf8_next_char(p))
      w.chars[k++] = GPOINTER_TO_UINT(g_hash_table_lookup(ids, GINT_TO_POINTER(g_utf8_get_char(p))));
    w.logp = (float)(log(e->freq) - log_total);
    w.freq = (guint32)e->freq;
    w.tag = (guint8)tag;
    g_array_append_val(bw, w);
    n_words++;
  }
  ZhsegTrie trie = {0};
  if (ok)
    zhseg_trie_build((ZhsegBuildWord *)bw->data, bw->len, n_chars, &trie);

  /* HMM emission rows by character id. */
  double *emit = NULL;
  gsize emit_size = 0;
  ZhsegHmmHeader hmm_hdr;
  if (ok && hmm_path != NULL) {
    emit_size = ((gsize)n_chars + 1) * 4 * sizeof(double);
    emit = g_malloc(emit_size);
    for (gsize i = 0; i < ((gsize)n_chars + 1) * 4; i++)
      emit[i] = ZHSEG_HMM_MIN;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, c.hmm_emit);
    while (g_hash_table_iter_next(&it, &key, &value)) {
      guint32 id = GPOINTER_TO_UINT(g_hash_table_lookup(ids, key));
      memcpy(&emit[id * 4], value, 4 * sizeof(double));
    }
    memcpy(hmm_hdr.start, c.hmm_start, sizeof hmm_hdr.start);
    memcpy(hmm_hdr.trans, c.hmm_trans, sizeof hmm_hdr.trans);
  }

  if (ok) {
    ZhsegImageHeader hdr = {0};
    memcpy(hdr.magic, ZHSEG_IMAGE_MAGIC, 8);
    hdr.version = ZHSEG_IMAGE_VERSION;
    hdr.byte_order = ZHSEG_IMAGE_BYTE_ORDER;
    hdr.total_freq = total;
    hdr.n_words = n_words;
    hdr.n_chars = n_chars;
    hdr.n_slots = trie.n_slots;
    hdr.n_tags = c.tag_names->len;
    hdr.max_word_chars = max_chars;
    hdr.has_hmm = hmm_path != NULL;
    GByteArray *img = g_byte_array_new();
    g_byte_array_append(img, (const guint8 *)&hdr, sizeof hdr);
    /* What open reads (tag names, character map, astral table, the trie's
     * root) first, then the rest: a cold open then reads the file's first
     * pages only, which it asks for in one go (see zhseg_dict_open),
     * instead of also seeking further into the file. The HMM's tables
     * (640 KB, read only when the HMM runs) go last, so that the trie
     * starts right after the character map. */
    GString *names = g_string_new(NULL);
    for (guint i = 0; i < c.tag_names->len; i++)
      g_string_append_len(names, g_ptr_array_index(c.tag_names, i),
                          strlen(g_ptr_array_index(c.tag_names, i)) + 1);
    append_section(img, &hdr, ZHSEG_SECTION_TAGNAMES, names->str, names->len);
    g_string_free(names, TRUE);
    append_section(img, &hdr, ZHSEG_SECTION_CHARMAP, charmap, 65536 * sizeof(guint16));
    append_section(img, &hdr, ZHSEG_SECTION_ASTRAL, astral->data,
                   astral->len * sizeof(ZhsegAstralEntry));
    append_section(img, &hdr, ZHSEG_SECTION_SLOTS, trie.slots, trie.n_slots * sizeof(ZhsegSlot));
    append_section(img, &hdr, ZHSEG_SECTION_FREQS, trie.freqs, trie.n_slots * sizeof(guint32));
    if (emit != NULL) {
      GByteArray *h = g_byte_array_new();
      g_byte_array_append(h, (const guint8 *)&hmm_hdr, sizeof hmm_hdr);
      g_byte_array_append(h, (const guint8 *)emit, (guint)emit_size);
      append_section(img, &hdr, ZHSEG_SECTION_HMM, h->data, h->len);
      g_byte_array_free(h, TRUE);
    } else {
      append_section(img, &hdr, ZHSEG_SECTION_HMM, NULL, 0);
    }
    hdr.file_size = img->len;
    memcpy(img->data, &hdr, sizeof hdr);
    hdr.checksum = zhseg_image_checksum(img->data, img->len);
    memcpy(img->data, &hdr, sizeof hdr);
    ok = g_file_set_contents(out_path, (const char *)img->data, img->len, error);
    if (!ok)
      g_prefix_error(error, "writing the image: ");
    g_byte_array_free(img, TRUE);
  }

  for (guint i = 0; i < bw->len; i++)
    g_free(g_array_index(bw, ZhsegBuildWord, i).chars);
  g_array_free(bw, TRUE);
  zhseg_trie_clear(&trie);
  g_free(emit);
  g_free(charmap);
  g_array_free(astral, TRUE);
  g_hash_table_destroy(ids);
  g_ptr_array_free(ranked, TRUE);
out:
  for (guint i = 0; i < c.entries->len; i++) {
    g_free(g_array_index(c.entries, ZhsegLexEntry, i).word);
    g_free(g_array_index(c.entries, ZhsegLexEntry, i).tag);
  }
  g_array_free(c.entries, TRUE);
  g_hash_table_destroy(c.words);
  g_hash_table_destroy(c.chars);
  g_hash_table_destroy(c.tag_ids);
  g_ptr_array_free(c.tag_names, TRUE);
  g_hash_table_destroy(c.hmm_emit);
  return ok;
}
