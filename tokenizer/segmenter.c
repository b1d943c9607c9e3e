/* The segmenter: splits text into runs, segments each run of Han text and
 * Latin/number atoms with the dictionary's DAG and a max-probability path
 * (jieba's precise mode), recovers unknown words with the HMM, and emits
 * tokens with byte and character offsets. No allocation per token: scratch
 * arrays live in the segmenter and grow with the longest block seen. */
#include "tokenizer/segmenter-private.h"

#include <math.h>
#include <string.h>

const char *zhseg_token_type_name(ZhsegTokenType type)
{
  static const char *const names[] = {"word", "latin", "number", "punct", "space", "symbol", "invalid"};
  return (guint)type < G_N_ELEMENTS(names) ? names[type] : "unknown";
}

static gboolean is_special_word(const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char(p)) {
    CharClass k = zhseg_char_class((gint32)g_utf8_get_char(p));
    if (k != CC_HAN && k != CC_LATIN && k != CC_DIGIT)
      return TRUE;
  }
  return FALSE;
}

static int compare_special(gconstpointer pa, gconstpointer pb)
{
  const SpecialWord *a = pa, *b = pb;
  return a->len > b->len ? -1 : a->len < b->len; /* longest first */
}

ZhsegSegmenter *zhseg_segmenter_new(ZhsegDict *dict, ZhsegMode mode, guint flags)
{
  g_return_val_if_fail(dict != NULL, NULL);
  g_return_val_if_fail(mode <= ZHSEG_MODE_FULL, NULL);
  zhseg_char_class_init();
  ZhsegSegmenter *seg = g_new0(ZhsegSegmenter, 1);
  seg->dict = zhseg_dict_ref(dict);
  seg->mode = mode;
  seg->hmm = !(flags & ZHSEG_SEGMENTER_NO_HMM) && dict->hmm != NULL;
  seg->overlay = dict->user.n_slots > 0;
  seg->jieba_hmm = (flags & ZHSEG_SEGMENTER_JIEBA_HMM) != 0;
  seg->tag_x = MAX(zhseg_dict_tag_id_const(dict, "x"), 0);
  seg->tag_eng = MAX(zhseg_dict_tag_id_const(dict, "eng"), 0);
  seg->tag_m = MAX(zhseg_dict_tag_id_const(dict, "m"), 0);
  zhseg_block_init();
  seg->cid_class = g_new0(guint8, dict->n_chars + 1);
  zhseg_rules_init(seg);
  zhseg_hmm_init(seg);
  /* User words holding spaces or punctuation cannot live inside a block:
   * they are matched on the raw text before blocks are formed. */
  for (guint i = 0; dict->user_entries != NULL && i < dict->user_entries->len; i++) {
    const ZhsegLexEntry *e = &g_array_index(dict->user_entries, ZhsegLexEntry, i);
    if (e->freq <= 0 || !is_special_word(e->word))
      continue;
    if (seg->special == NULL)
      seg->special = g_array_new(FALSE, FALSE, sizeof(SpecialWord));
    double freq;
    const char *tag = "";
    zhseg_dict_lookup(dict, e->word, -1, &freq, &tag);
    SpecialWord w = {e->word, strlen(e->word), (guint8)MAX(zhseg_dict_tag_id_const(dict, tag), 0)};
    guchar b = (guchar)w.utf8[0];
    seg->special_first[b / 8] |= (guint8)(1u << (b % 8));
    g_array_append_val(seg->special, w);
  }
  if (seg->special != NULL)
    g_array_sort(seg->special, compare_special);
  return seg;
}

void zhseg_segmenter_free(ZhsegSegmenter *seg)
{
  if (seg == NULL)
    return;
  g_free(seg->cid);
  g_free(seg->uid);
  g_free(seg->boff);
  g_free(seg->flag);
  g_free(seg->route);
  g_free(seg->word);
  g_free(seg->viterbi);
  g_free(seg->back);
  g_free(seg->cid_class);
  g_free(seg->scratch);

  if (seg->special != NULL)
    g_array_free(seg->special, TRUE);
  zhseg_dict_unref(seg->dict);
  g_free(seg);
}

ZhsegDict *zhseg_segmenter_get_dict(const ZhsegSegmenter *seg)
{
  return seg->dict;
}

void zhseg_ob_grow(ZhsegSegmenter *seg)
{
  gsize cap = MAX(seg->ob_cap * 2, 1024);
  g_array_set_size(seg->out, (guint)(seg->out_base + cap));
  seg->ob = &g_array_index(seg->out, ZhsegToken, seg->out_base);
  seg->ob_cap = cap;
}

static inline void push_token(ZhsegSegmenter *seg, gsize start, gsize end, gsize cstart, gsize cend,
                              ZhsegTokenType type, guint tag, guint flags)
{
  *zhseg_ob_next(seg) = (ZhsegToken){start, end, cstart, cend, (guint16)tag, (guint8)type, (guint8)flags};
}

/* Tries the user's special words (with spaces or punctuation) at `pos`.
 * Returns the matched length in bytes, 0 for none. */
static gsize match_special(const ZhsegSegmenter *seg, const guchar *s, gsize len, gsize pos,
                           const SpecialWord **which)
{
  for (guint i = 0; i < seg->special->len; i++) {
    const SpecialWord *w = &g_array_index(seg->special, SpecialWord, i);
    if (w->len > len - pos || memcmp(s + pos, w->utf8, w->len) != 0)
      continue;
    /* A word that ends in a letter or digit must not stop inside a longer
     * Latin word or number (C++ must not match inside ABC++). */
    if (pos + w->len < len && g_ascii_isalnum(w->utf8[w->len - 1]) && g_ascii_isalnum(s[pos + w->len]))
      continue;
    if (pos > 0 && g_ascii_isalnum(w->utf8[0]) && g_ascii_isalnum(s[pos - 1]))
      continue;
    *which = w;
    return w->len;
  }
  return 0;
}

gsize zhseg_segmenter_cut(ZhsegSegmenter *seg, const char *utf8, gsize len, GArray *tokens)
{
  g_return_val_if_fail(seg != NULL && tokens != NULL, 0);
  g_return_val_if_fail(utf8 != NULL || len == 0, 0);
  g_return_val_if_fail(g_array_get_element_size(tokens) == sizeof(ZhsegToken), 0);
  const guchar *s = (const guchar *)utf8;
  gsize before = tokens->len;
  gsize pos = 0, cpos = 0;
  seg->text = s;
  seg->peek_pos = G_MAXSIZE;
  seg->out = tokens;
  seg->out_base = tokens->len;
  seg->n_ob = 0;
  seg->ob_cap = 0;
  seg->ob = NULL;
  while (pos < len) {
    if (seg->special != NULL && (seg->special_first[s[pos] / 8] & (1u << (s[pos] % 8)))) {
      const SpecialWord *w = NULL;
      gsize n = match_special(seg, s, len, pos, &w);
      if (n > 0) {
        gsize nc = g_utf8_strlen(w->utf8, (gssize)w->len);
        gboolean han = FALSE;
        for (const char *p = w->utf8; p < w->utf8 + w->len; p = g_utf8_next_char(p))
          han |= zhseg_char_class((gint32)g_utf8_get_char(p)) == CC_HAN;
        push_token(seg, pos, pos + n, cpos, cpos + nc, han ? ZHSEG_TOKEN_WORD : ZHSEG_TOKEN_LATIN,
                   w->tag, ZHSEG_TOKEN_FLAG_USER);
        pos += n;
        cpos += nc;
        continue;
      }
    }
    guint n;
    gint32 c;
    CharClass k;
    if (pos == seg->peek_pos) {
      c = seg->peek_c;
      n = seg->peek_n;
      k = seg->peek_class;
    } else {
      c = zhseg_utf8_decode_fast(s + pos, len - pos, &n);
      if (c < 0) {
        push_token(seg, pos, pos + n, cpos, cpos + 1, ZHSEG_TOKEN_INVALID, 0, 0);
        pos += n;
        cpos++;
        continue;
      }
      k = zhseg_char_class(c);
    }
    gsize start = pos, cstart = cpos;
    switch (k) {
    case CC_HAN:
    case CC_LATIN:
    case CC_DIGIT:
      zhseg_segment_block(seg, s, len, &pos, &cpos);
      break;
    case CC_NEWLINE:
      zhseg_newline_token(seg, s, len, &pos, &cpos, n);
      break;
    case CC_PUNCT:
      zhseg_punct_token(seg, s, len, &pos, &cpos, n); /* with the same mark repeated after it */
      break;
    case CC_SPACE:
    case CC_SYMBOL: {
      /* A run of spaces is one token; a symbol stands alone. */
      pos += n;
      cpos++;
      if (k == CC_SPACE) {
        guint m;
        gint32 d;
        while (pos < len && (d = zhseg_utf8_decode_fast(s + pos, len - pos, &m)) >= 0 &&
               zhseg_char_class(d) == CC_SPACE) {
          pos += m;
          cpos++;
        }
      }
      ZhsegTokenType type = k == CC_SPACE ? ZHSEG_TOKEN_SPACE : ZHSEG_TOKEN_SYMBOL;
      push_token(seg, start, pos, cstart, cpos, type, k == CC_SPACE ? 0 : seg->tag_x, 0);
      break;
    }
    }
  }
  g_array_set_size(tokens, (guint)(seg->out_base + seg->n_ob));
  seg->out = NULL;
  seg->ob = NULL;
  seg->text = NULL;
  return tokens->len - before;
}
