/* User dictionaries: a small second trie over the base image, built at open
 * time, whose entries override the base's (see zhseg_dict_new_overlay). */
#include "dict/private.h"

#include <math.h>
#include <string.h>

/* Log-probability of the best split of `ids` into base-image words, as
 * jieba's no-HMM DAG would choose it (an unknown character scores 1/total). */
static double best_split_logp(const ZhsegDict *root, const guint32 *ids, guint32 n)
{
  double *best = g_new(double, n + 1);
  best[n] = 0;
  for (gint64 i = (gint64)n - 1; i >= 0; i--) {
    double b = -root->log_total + best[i + 1];
    guint32 s = 0;
    for (guint32 j = (guint32)i; j < n && ids[j] != 0 && ids[j] <= root->n_chars; j++) {
      if ((s = zhseg_trie_step(root->slots, root->n_slots, s, ids[j])) == 0)
        break;
      if (root->slots[s].logp <= 0)
        b = MAX(b, root->slots[s].logp + best[j + 1]);
    }
    best[i] = b;
  }
  double r = best[0];
  g_free(best);
  return r;
}

static gboolean has_han(const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char(p))
    if (g_unichar_get_script(g_utf8_get_char(p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

ZhsegDict *zhseg_dict_new_overlay(ZhsegDict *base, const char *text, gssize len,
                                  const char *source_name, GError **error)
{
  g_return_val_if_fail(base != NULL && text != NULL, NULL);
  ZhsegDict *root = base->base != NULL ? base->base : base;
  GArray *parsed = zhseg_lexicon_parse(text, len < 0 ? strlen(text) : (gsize)len,
                                       source_name != NULL ? source_name : "user dictionary", error);
  if (parsed == NULL)
    return NULL;

  ZhsegDict *d = g_new0(ZhsegDict, 1);
  d->ref = 1;
  d->path = g_strdup(root->path);
  d->base = zhseg_dict_ref(root);
  d->hdr = root->hdr;
  d->charmap = root->charmap;
  d->astral = root->astral;
  d->n_astral = root->n_astral;
  d->slots = root->slots;
  d->freqs = root->freqs;
  d->n_slots = root->n_slots;
  d->n_chars = root->n_chars;
  d->hmm = root->hmm;
  d->emit = root->emit;
  d->total = root->total;
  d->log_total = root->log_total;
  d->tag_names = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < root->tag_names->len; i++)
    g_ptr_array_add(d->tag_names, g_strdup(g_ptr_array_index(root->tag_names, i)));
  d->extra_chars = g_hash_table_new(NULL, NULL);
  d->n_user_chars = root->n_chars;
  d->user_entries = g_array_new(FALSE, FALSE, sizeof(ZhsegLexEntry));

  /* The earlier overlay's entries first, then the new ones; the last entry
   * of a word wins. */
  GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
  GArray *sources[2] = {base->user_entries, parsed};
  for (int k = 0; k < 2; k++) {
    for (guint i = 0; sources[k] != NULL && i < sources[k]->len; i++) {
      const ZhsegLexEntry *e = &g_array_index(sources[k], ZhsegLexEntry, i);
      ZhsegLexEntry copy = {g_strdup(e->word), e->freq, g_strdup(e->tag), e->line};
      gpointer at;
      if (g_hash_table_lookup_extended(index, e->word, NULL, &at)) {
        /* The same word: keep the old string (it is the table's key). */
        ZhsegLexEntry *old = &g_array_index(d->user_entries, ZhsegLexEntry, GPOINTER_TO_UINT(at));
        g_free(copy.word);
        g_free(old->tag);
        old->freq = copy.freq;
        old->tag = copy.tag;
        old->line = copy.line;
      } else {
        g_array_append_val(d->user_entries, copy);
        g_hash_table_insert(index, copy.word, GUINT_TO_POINTER(d->user_entries->len - 1));
      }
    }
  }
  g_hash_table_destroy(index);
  zhseg_lexicon_free(parsed);

  GArray *words = g_array_new(FALSE, FALSE, sizeof(ZhsegBuildWord));
  gsize n_words = root->n_words;
  gboolean ok = TRUE;
  for (guint i = 0; i < d->user_entries->len && ok; i++) {
    ZhsegLexEntry *e = &g_array_index(d->user_entries, ZhsegLexEntry, i);
    ZhsegBuildWord w = {0};
    w.n_chars = (guint32)g_utf8_strlen(e->word, -1);
    w.chars = g_new(guint32, w.n_chars);
    guint32 k = 0;
    gboolean base_known = TRUE;
    for (const char *p = e->word; *p; p = g_utf8_next_char(p)) {
      gint32 cp = (gint32)g_utf8_get_char(p);
      guint32 id = zhseg_dict_user_char_id(d, cp);
      if (id == 0) {
        id = ++d->n_user_chars;
        g_hash_table_insert(d->extra_chars, GINT_TO_POINTER(cp), GUINT_TO_POINTER(id));
      }
      base_known &= id <= root->n_chars;
      w.chars[k++] = id;
    }
    double base_freq = 0;
    const char *base_tag = NULL;
    gboolean in_base = zhseg_dict_lookup(root, e->word, -1, &base_freq, &base_tag);
    double freq = e->freq;
    if (freq < 0) {
      /* No frequency given: enough to beat the word's own best split by a
       * factor of e, never less than the base's. */
      double split = base_known ? best_split_logp(root, w.chars, w.n_chars) : -root->log_total * w.n_chars;
      freq = MAX(ceil(exp(split + 1.0 + root->log_total)), MAX(base_freq, 1.0));
      e->freq = freq;
    }
    freq = floor(freq);
    if (freq <= 0) {
      w.logp = ZHSEG_REMOVED_WORD;
      n_words -= in_base;
    } else {
      w.logp = (float)(log(freq) - root->log_total);
      n_words += !in_base;
    }
    w.freq = (guint32)MIN(freq, (double)G_MAXUINT32);
    const char *tag = e->tag != NULL ? e->tag
                      : in_base && base_tag[0] != '\0' ? base_tag
                      : has_han(e->word) ? "n" : "eng";
    int tag_id = zhseg_dict_tag_id(d, tag);
    if (tag_id < 0) {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_FORMAT, "%s:%u: more than 256 distinct tags",
                  source_name, e->line);
      ok = FALSE;
    }
    w.tag = (guint8)MAX(tag_id, 0);
    g_array_append_val(words, w);
  }
  if (ok)
    zhseg_trie_build((ZhsegBuildWord *)words->data, words->len, d->n_user_chars, &d->user);
  d->n_words = n_words;
  for (guint i = 0; i < words->len; i++)
    g_free(g_array_index(words, ZhsegBuildWord, i).chars);
  g_array_free(words, TRUE);
  if (!ok) {
    zhseg_dict_unref(d);
    return NULL;
  }
  return d;
}

ZhsegDict *zhseg_dict_open_with_user(const char *path, const char *const *user_dict_paths,
                                     GError **error)
{
  ZhsegDict *dict = zhseg_dict_open(path, error);
  for (gsize i = 0; dict != NULL && user_dict_paths != NULL && user_dict_paths[i] != NULL; i++) {
    char *text = NULL;
    gsize len = 0;
    GError *local = NULL;
    if (!g_file_get_contents(user_dict_paths[i], &text, &len, &local)) {
      g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "user dictionary: %s", local->message);
      g_error_free(local);
      zhseg_dict_unref(dict);
      return NULL;
    }
    ZhsegDict *next = zhseg_dict_new_overlay(dict, text, (gssize)len, user_dict_paths[i], error);
    g_free(text);
    zhseg_dict_unref(dict);
    dict = next;
  }
  return dict;
}
