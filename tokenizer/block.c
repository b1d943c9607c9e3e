/* One block: a maximal run of Han characters and Latin/number atoms. Builds
 * the DAG of dictionary words with prefix walks, picks the max-probability
 * path right to left (jieba's precise mode, fused with the walk so the DAG
 * is never stored), then hands runs of single characters to the HMM. */
#include "tokenizer/segmenter-private.h"

#include <math.h>

/* cid[n] of a block of n characters: see zhseg_segment_block. */
#define END_ID 0x80000000u

void zhseg_segmenter_reserve(ZhsegSegmenter *seg, gsize n)
{
  if (n + 1 <= seg->cap)
    return;
  gsize cap = MAX(MAX(n + 1, seg->cap * 2), 256);
  seg->cid = g_renew(guint32, seg->cid, cap);
  seg->uid = g_renew(guint32, seg->uid, cap);
  seg->boff = g_renew(gsize, seg->boff, cap);
  seg->flag = g_renew(guint8, seg->flag, cap);
  seg->route = g_renew(double, seg->route, cap);
  seg->word = g_renew(ZhsegPathWord, seg->word, cap);
  seg->cap = cap;
}

static inline gboolean is_alnum_class(CharClass k)
{
  return k == CC_LATIN || k == CC_DIGIT;
}

static inline gint32 peek(const guchar *s, gsize len, gsize pos, guint *n)
{
  if (pos >= len) {
    *n = 0;
    return -1;
  }
  return zhseg_utf8_decode(s + pos, len - pos, n);
}

/* Scans a Latin word or number starting at `pos` (an alnum character):
 * letters and digits, joined by . - _ between alnum characters, & between
 * letters, a thousands comma before three digits, and trailed by ++ or #
 * after a letter or % after a digit. Returns its end; *has_letter tells its type. */
static gsize scan_atom(const guchar *s, gsize len, gsize pos, gboolean *has_letter)
{
  gsize p = pos;
  CharClass prev = CC_SYMBOL;
  *has_letter = FALSE;
  for (;;) {
    guint n;
    gint32 c = peek(s, len, p, &n);
    if (c < 0)
      break;
    CharClass k = zhseg_char_class(c);
    if (is_alnum_class(k)) {
      *has_letter |= k == CC_LATIN;
      prev = k;
      p += n;
      continue;
    }
    if (!is_alnum_class(prev))
      break;
    guint m;
    gint32 next = peek(s, len, p + n, &m);
    CharClass nk = next < 0 ? CC_SYMBOL : zhseg_char_class(next);
    if ((c == '.' || c == '-' || c == '_') && is_alnum_class(nk)) {
      p += n;
      prev = CC_PUNCT;
      continue;
    }
    if (c == '&' && prev == CC_LATIN && nk == CC_LATIN) {
      p += n;
      prev = CC_PUNCT;
      continue;
    }
    if (c == ',' && prev == CC_DIGIT) {
      /* 1,000: exactly three digits follow, then no digit. */
      gsize q = p + 1;
      int digits = 0;
      while (q < len && s[q] >= '0' && s[q] <= '9' && digits < 4) {
        q++;
        digits++;
      }
      if (digits == 3) {
        p += 1;
        prev = CC_PUNCT;
        continue;
      }
      break;
    }
    if ((c == '+' || c == '#') && prev == CC_LATIN) {
      gsize q = p;
      while (q < len && s[q] == (guchar)c)
        q++;
      guint r;
      gint32 after = peek(s, len, q, &r);
      if (after < 0 || !is_alnum_class(zhseg_char_class(after)))
        p = q;
      break;
    }
    if ((c == '%' || c == 0xFF05 || c == 0x2030) && prev == CC_DIGIT)
      p += n;
    break;
  }
  return p;
}

/* x when keep is 1, -infinity when it is 0, without a branch: the
 * compiler branches on a ternary of floats, and whether a two-character
 * word exists (below) is a coin toss a branch would mispredict. */
static inline float keep_or_minus_inf(guint32 keep, float x)
{
  const float minus_inf = -INFINITY;
  guint32 bx, bn, m = -keep;
  memcpy(&bx, &x, sizeof bx);
  memcpy(&bn, &minus_inf, sizeof bn);
  guint32 r = (bx & m) | (bn & ~m);
  float v;
  memcpy(&v, &r, sizeof v);
  return v;
}

/* The best word starting at block position i, a character that may start
 * and end a word (not part of an atom), given route[j] for every j > i,
 * r1 = route[i + 1] and r2 = route[i + 2]: sets word[i] and returns
 * route[i]. The hot loop of the segmenter. cid[n] and cid[n + 1] are
 * END_ID; route[n] is 0 (the walk's later steps read it). With flag NULL (best_path_han: Han
 * characters only) every position may end a word; otherwise a word may end
 * only where flag says CF_END (not inside an atom a walk runs into).
 *
 * route[i] depends on route[i + 1] and route[i + 2], so the time of a
 * block is bounded below by a chain of one dependent step per character.
 * That chain is kept short: the two routes come in registers (a store
 * and a reload would add the store-forwarding latency to every step), and
 * on it lie only an addition and a maximum; everything else (which words
 * exist, their log-probabilities, the choice of word) is worked out from
 * the trie beside it.
 *
 * On news text half the positions start no two-character prefix of a word
 * and four in ten stop after two characters, so whether the walk takes a
 * second step, and whether the two-character word beats the first, is a
 * coin toss: a loop branching on it mispredicted at most positions. The
 * second step is therefore always made and its outcome selected without a
 * branch; only a walk that may go on to a third character (one position in
 * ten) branches. (Made the same way, the third step cost more than it
 * saved: 0.92x.) */
static G_ALWAYS_INLINE inline double best_word_at(const ZhsegSlot *slots, guint32 n_slots, const guint32 *cid,
                                                  const guint8 *flag, double unknown, const double *route,
                                                  ZhsegPathWord *word, guint32 i, double r1, double r2)
{
  guint32 t = cid[i]; /* the root's base is 0 */
  double best = -INFINITY;
  gint32 bj = (gint32)i;
  guint32 bs = 0;
  if (G_LIKELY(slots[t].check == 0)) { /* ids are < n_slots; id 0 is the root, whose check is never 0 */
    /* The one-character word first: nothing to compare it with yet. */
    float lp = slots[t].logp;
    if (lp <= 0) { /* nearly always: a branch that is rarely wrong */
      best = lp + r1;
      bs = t;
    }
    /* The second step, made whatever it finds. It skips the children
     * mask: a first character has so many children that its mask rarely
     * rules one out, and scan_han has already prefetched the slot this
     * step reads. A step past the array reads slot 0 instead, whose
     * check, ZHSEG_FREE_CHECK (dict_open makes sure), is no node's
     * index, so that step finds nothing, as does one past the block
     * (base + END_ID is past the array). */
    guint32 j = i + 1;
    guint32 u = (guint32)slots[t].base + cid[j];
    u = u < n_slots ? u : 0;
    guint32 alive = slots[u].check == t;
    guint32 ends = flag == NULL || (flag[j] & CF_END);
    float lp2 = slots[u].logp;
    /* No two-character word scores -infinity, so the maximum below keeps
     * best; take, which picks the word, tests the word itself. The
     * maximum is the same value as take ? v : best (on a tie the two are
     * equal), and it is one instruction on the dependency chain where a
     * select is several. */
    guint32 is_word2 = alive & ends & (lp2 <= 0);
    double v = keep_or_minus_inf(is_word2, lp2) + r2;
    guint32 take = is_word2 & (v >= best); /* ties go to the longer word, as in jieba */
    best = v > best ? v : best;
    bj = take ? (gint32)j : bj;
    bs = take ? u : bs;
    guint32 c = cid[j + 1];
    if (G_UNLIKELY(alive & (slots[u].children >> (c % 16)) & 1)) {
      /* zhseg_trie_step written out: branching on the child's test
       * itself, not on a step result of 0, saves instructions. */
      guint32 s = u;
      j++;
      guint32 next = (guint32)slots[s].base + c;
      while (next < n_slots && slots[next].check == s) {
        s = next;
        lp = slots[s].logp;
        if (lp <= 0 && (flag == NULL || (flag[j] & CF_END))) {
          v = lp + route[j + 1];
          if (v >= best) {
            best = v;
            bj = (gint32)j;
            bs = s;
          }
        }
        j++;
        c = cid[j];
        if (!(slots[s].children & ZHSEG_CHILD_BIT(c)))
          break;
        next = (guint32)slots[s].base + c;
      }
    }
  }
  if (G_UNLIKELY(bs == 0)) { /* no word found (0 is never a word's slot) */
    /* A character the dictionary lacks, or a prefix of words but no word
     * itself: it stands alone, scored as unknown. */
    best = unknown + r1;
    bj = (gint32)i;
  }
  word[i] = (ZhsegPathWord){bj, bs};
  return best;
}

/* The best word starting at block position i, an atom's first character
 * (a Latin word or number): the dictionary words it starts, against the
 * atom as one unit. Sets word[i] and returns route[i]. */
static double best_atom_word_at(const ZhsegSlot *slots, guint32 n_slots, const guint32 *cid, const guint8 *flag,
                                double unknown, const double *route, ZhsegPathWord *word, guint32 i, guint32 n)
{
  double best = -INFINITY;
  gint32 bj = -1;
  guint32 bs = 0;
  guint32 s = 0;
  for (guint32 j = i; j < n; j++) {
    /* zhseg_trie_step written out, as in best_word_at. */
    guint32 t = (guint32)slots[s].base + cid[j];
    if (t >= n_slots || slots[t].check != s)
      break;
    s = t;
    float lp = slots[t].logp;
    if (lp <= 0 && (flag[j] & CF_END)) {
      double v = lp + route[j + 1];
      if (v >= best) { /* ties go to the longer word, as in jieba */
        best = v;
        bj = (gint32)j;
        bs = t;
      }
    }
    if (!(slots[s].children & ZHSEG_CHILD_BIT(cid[j + 1]))) /* cid[n] is END_ID */
      break;
  }
  /* A Latin word or number no dictionary word covers exactly: one unit,
   * scored like an unknown character. */
  gint32 j = (gint32)i;
  while ((guint32)j + 1 < n && !(flag[j] & CF_END))
    j++;
  double v = unknown + route[j + 1];
  if (bj < 0 || v > best || (v == best && j > bj)) {
    best = v;
    bj = j;
    bs = 0;
  }
  word[i] = (ZhsegPathWord){bj, bs};
  return best;
}

/* The best path over block characters [0, n), without a user overlay, for
 * a block with atoms (Latin words, numbers): one trie walk per start
 * position, fused with the dynamic programming. */
static void best_path_base(ZhsegSegmenter *seg, guint32 n)
{
  const ZhsegDict *d = seg->dict;
  const ZhsegSlot *slots = d->slots;
  const guint32 n_slots = d->n_slots;
  const guint32 *cid = seg->cid;
  const guint8 *flag = seg->flag;
  double *route = seg->route;
  ZhsegPathWord *word = seg->word;
  const double unknown = -d->log_total;
  route[n] = 0;
  /* route[i + 1] and route[i + 2], as in best_path_han; past the end, -infinity,
   * which the second step from n - 1 adds to a word it never finds. */
  double r1 = 0, r2 = -INFINITY;
  for (gint64 i = (gint64)n - 1; i >= 0; i--) {
    double r;
    if (G_UNLIKELY(!(flag[i] & CF_START))) { /* inside an atom: no word starts there */
      r = -INFINITY;
      word[i] = (ZhsegPathWord){(gint32)i, 0};
    } else if (G_LIKELY(!(flag[i] & CF_ATOM))) { /* a character that may start and end a word */
      r = best_word_at(slots, n_slots, cid, flag, unknown, route, word, (guint32)i, r1, r2);
    } else {
      r = best_atom_word_at(slots, n_slots, cid, flag, unknown, route, word, (guint32)i, n);
    }
    route[i] = r;
    r2 = r1;
    r1 = r;
  }
}

/* best_path_base for a block of Han characters only, where every position
 * may start and end a word. */
static void best_path_han(ZhsegSegmenter *seg, guint32 n)
{
  const ZhsegSlot *slots = seg->dict->slots;
  const guint32 n_slots = seg->dict->n_slots;
  const guint32 *cid = seg->cid;
  double *route = seg->route;
  ZhsegPathWord *word = seg->word;
  const double unknown = -seg->dict->log_total;
  route[n] = 0;
  /* route[i + 1] and route[i + 2], in registers (see best_word_at); past the end, -infinity,
   * which the second step from n - 1 adds to a word it never finds. */
  double r1 = 0, r2 = -INFINITY;
  for (gint64 i = (gint64)n - 1; i >= 0; i--) {
    double r = best_word_at(slots, n_slots, cid, NULL, unknown, route, word, (guint32)i, r1, r2);
    route[i] = r;
    r2 = r1;
    r1 = r;
  }
}

typedef struct {
  gint32 j;
  float logp;
  guint32 slot;
} Edge;

/* The same with a user overlay: edges from both tries, the user's entry
 * replacing the base's for the same word. */
static void best_path_overlay(ZhsegSegmenter *seg, guint32 n)
{
  const ZhsegDict *d = seg->dict;
  const ZhsegSlot *slots = d->slots;
  const ZhsegSlot *uslots = d->user.slots;
  const double unknown = -d->log_total;
  Edge edges[256];
  seg->route[n] = 0;
  for (gint64 i = (gint64)n - 1; i >= 0; i--) {
    if (!(seg->flag[i] & CF_START)) {
      seg->route[i] = -INFINITY;
      seg->word[i] = (ZhsegPathWord){(gint32)i, 0};
      continue;
    }
    guint ne = 0;
    guint32 s = 0;
    for (guint32 j = (guint32)i; j < n && ne < G_N_ELEMENTS(edges); j++) {
      guint32 t = zhseg_trie_step(slots, d->n_slots, s, seg->cid[j]);
      if (t == 0)
        break;
      s = t;
      if (slots[t].logp <= 0 && (seg->flag[j] & CF_END))
        edges[ne++] = (Edge){(gint32)j, slots[t].logp, t};
    }
    s = 0;
    guint k = 0;
    for (guint32 j = (guint32)i; j < n; j++) {
      guint32 t = zhseg_trie_step(uslots, d->user.n_slots, s, seg->uid[j]);
      if (t == 0)
        break;
      s = t;
      float lp = uslots[t].logp;
      if (lp == ZHSEG_NOT_A_WORD || !(seg->flag[j] & CF_END))
        continue;
      while (k < ne && edges[k].j < (gint32)j)
        k++;
      if (k < ne && edges[k].j == (gint32)j) {
        edges[k].logp = lp; /* REMOVED (positive) drops it below */
        edges[k].slot = t | USER_SLOT;
      } else if (lp <= 0 && ne < G_N_ELEMENTS(edges)) {
        memmove(&edges[k + 1], &edges[k], (ne - k) * sizeof(Edge));
        edges[k] = (Edge){(gint32)j, lp, t | USER_SLOT};
        ne++;
      }
    }
    double best = -INFINITY;
    gint32 bj = -1;
    guint32 bs = 0;
    for (guint e = 0; e < ne; e++) {
      if (edges[e].logp > 0)
        continue;
      double v = edges[e].logp + seg->route[edges[e].j + 1];
      if (v >= best) {
        best = v;
        bj = edges[e].j;
        bs = edges[e].slot;
      }
    }
    if (seg->flag[i] & CF_ATOM) {
      gint32 j = (gint32)i;
      while ((guint32)j + 1 < n && !(seg->flag[j] & CF_END))
        j++;
      double v = unknown + seg->route[j + 1];
      if (bj < 0 || v > best || (v == best && j > bj)) {
        best = v;
        bj = j;
        bs = 0;
      }
    } else if (bj < 0) {
      best = unknown + seg->route[i + 1];
      bj = (gint32)i;
    }
    seg->route[i] = best;
    seg->word[i] = (ZhsegPathWord){bj, bs};
  }
}

/* The base trie's slot of the word block characters [a, b) form, 0 when
 * they form none (0 is the root, never a word's slot). */
static inline guint32 base_word_slot(const ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  const ZhsegDict *d = seg->dict;
  if (a >= b)
    return 0;
  /* The first step needs no mask test: the root's child on character id c
   * is slot c (ids are < n_slots), a child when its check is 0. */
  guint32 s = seg->cid[a];
  if (d->slots[s].check != 0)
    return 0;
  for (guint32 j = a + 1; j < b; j++)
    if ((s = zhseg_trie_step(d->slots, d->n_slots, s, seg->cid[j])) == 0)
      return 0;
  return d->slots[s].logp <= 0 ? s : 0;
}

/* TRUE when block characters [a, b) form a dictionary word (jieba's
 * `FREQ.get(buf)`: a word of non-zero frequency). */
static gboolean is_word(const ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  const ZhsegDict *d = seg->dict;
  int verdict = -1; /* -1: undecided by the user trie */
  if (seg->overlay) {
    guint32 s = 0;
    guint32 j = a;
    for (; j < b; j++)
      if ((s = zhseg_trie_step(d->user.slots, d->user.n_slots, s, seg->uid[j])) == 0)
        break;
    if (j == b && d->user.slots[s].logp != ZHSEG_NOT_A_WORD)
      verdict = d->user.slots[s].logp <= 0;
  }
  if (verdict >= 0)
    return verdict;
  return base_word_slot(seg, a, b) != 0;
}

/* A token for block characters [a, b) that the path chose, with its type. */
static inline void add_path_token(ZhsegSegmenter *seg, guint32 a, guint32 b, guint32 slot)
{
  guint8 flags = (slot & USER_SLOT) ? ZHSEG_TOKEN_FLAG_USER : 0;
  if ((seg->flag[a] & CF_ATOM) && (seg->flag[b - 1] & CF_END) && slot == 0) {
    gboolean number = seg->flag[a] & CF_DIGITS;
    zhseg_emit(seg, a, b, number ? ZHSEG_TOKEN_NUMBER : ZHSEG_TOKEN_LATIN, 0,
              (guint8)(number ? seg->tag_m : seg->tag_eng));
    return;
  }
  zhseg_emit(seg, a, b, ZHSEG_TOKEN_WORD, flags, zhseg_slot_tag(seg, slot));
}

/* jieba's treatment of a run of single characters [a, b): one character
 * stays; a run that is itself a word stays split; any other run goes to
 * the HMM. Atoms never enter the HMM. */
static void flush_singles(ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  if (b - a >= 2 && seg->hmm) {
    /* Viterbi reads each character's emission row (32 bytes, in a table
     * too big to stay cached) first thing: asked for now, the rows arrive
     * while is_word walks the trie. */
    for (guint32 i = a; i < b; i++)
      __builtin_prefetch(seg->dict->emit + (gsize)seg->cid[i] * 4);
    if (!is_word(seg, a, b)) {
      zhseg_hmm_cut(seg, a, b);
      return;
    }
  }
  for (guint32 i = a; i < b; i++)
    add_path_token(seg, i, i + 1, seg->word[i].slot);
}

/* precise_tokens' pending run of single characters [a, b), written at o
 * (room made); returns the new end. One alone stays (most runs: a 的 or
 * 在 between words) and is written here like a word; longer runs go
 * through flush_singles, and maybe the HMM. */
static inline ZhsegToken *flush_run(ZhsegSegmenter *seg, ZhsegToken *o, guint32 a, guint32 b)
{
  guint32 sl = seg->word[a].slot;
  if (b - a == 1 && !(sl & USER_SLOT)) {
    *o = (ZhsegToken){seg->boff[a], seg->boff[b], seg->cbase + a, seg->cbase + b,
                      sl ? seg->dict->slots[sl].tag : (guint8)seg->tag_x, ZHSEG_TOKEN_WORD, 0};
    return o + 1;
  }
  seg->n_ob = (gsize)(o - seg->ob);
  flush_singles(seg, a, b);
  return seg->ob + seg->n_ob;
}

static void precise_tokens(ZhsegSegmenter *seg, guint32 n)
{
  /* At most one token per character, HMM words included: with room made
   * once, the common case below writes through a local pointer, which no
   * store can alias, instead of reloading the segmenter's fields. */
  zhseg_ob_reserve(seg, n);
  const ZhsegPathWord *word = seg->word;
  const guint8 *flag = seg->flag;
  const gsize *boff = seg->boff;
  const ZhsegSlot *slots = seg->dict->slots;
  const gsize cbase = seg->cbase;
  ZhsegToken *o = seg->ob + seg->n_ob;
  guint32 run = 0; /* start of the pending run of single Han characters */
  guint32 x = 0;
  while (x < n) {
    guint32 y = (guint32)word[x].end + 1;
    if (y - x == 1 && !(flag[x] & CF_ATOM)) {
      x = y;
      continue;
    }
    if (run < x)
      o = flush_run(seg, o, run, x);
    guint32 sl = word[x].slot;
    if (sl == 0 || (sl & USER_SLOT)) {
      seg->n_ob = (gsize)(o - seg->ob);
      add_path_token(seg, x, y, sl);
      o = seg->ob + seg->n_ob;
    } else {
      *o++ = (ZhsegToken){boff[x], boff[y], cbase + x, cbase + y, slots[sl].tag, ZHSEG_TOKEN_WORD, 0};
    }
    run = y;
    x = y;
  }
  if (run < n)
    o = flush_run(seg, o, run, n);
  seg->n_ob = (gsize)(o - seg->ob);
}

/* precise_tokens for a block best_path_han segmented (Han only, no user
 * trie): every path token is written as it comes, a single character too,
 * without asking first whether it is one. That test is a coin toss a
 * branch would mispredict at every other token; only a second single
 * character in a row, the start of a run the HMM may take, branches off.
 * The run's tokens, already written, are then rewritten by flush_singles. */
static void precise_tokens_han(ZhsegSegmenter *seg, guint32 n)
{
  zhseg_ob_reserve(seg, n);
  const ZhsegPathWord *word = seg->word;
  const gsize *boff = seg->boff;
  const ZhsegSlot *slots = seg->dict->slots;
  const gsize cbase = seg->cbase;
  const guint8 tag_x = (guint8)seg->tag_x;
  ZhsegToken *o = seg->ob + seg->n_ob;
  gboolean prev_single = FALSE;
  guint32 x = 0;
  while (x < n) {
    guint32 y = (guint32)word[x].end + 1;
    guint32 sl = word[x].slot;
    guint8 tag = sl ? slots[sl].tag : tag_x;
    *o++ = (ZhsegToken){boff[x], boff[y], cbase + x, cbase + y, tag, ZHSEG_TOKEN_WORD, 0};
    gboolean single = y - x == 1;
    if (G_UNLIKELY(single & prev_single)) {
      /* A run of single characters from x - 1: find its end, then hand it
       * to flush_singles in place of the tokens written for it. */
      guint32 a = x - 1, b = y;
      while (b < n && word[b].end == (gint32)b)
        b++;
      seg->n_ob = (gsize)(o - seg->ob) - 2;
      flush_singles(seg, a, b);
      o = seg->ob + seg->n_ob;
      x = b;
      prev_single = FALSE;
      continue;
    }
    prev_single = single;
    x = y;
  }
  seg->n_ob = (gsize)(o - seg->ob);
}

/* Full mode: every dictionary word of two or more characters at every
 * position, and single characters (or atoms) that no such word covers. */
static void full_tokens(ZhsegSegmenter *seg, guint32 n)
{
  const ZhsegDict *d = seg->dict;
  gint64 covered = -1; /* last character covered by an emitted word */
  for (guint32 i = 0; i < n; i++) {
    if (!(seg->flag[i] & CF_START))
      continue;
    gboolean any = FALSE;
    guint32 s = 0;
    for (guint32 j = i; j < n; j++) {
      guint32 t = zhseg_trie_step(d->slots, d->n_slots, s, seg->cid[j]);
      if (t == 0)
        break;
      s = t;
      if (j > i && d->slots[t].logp <= 0 && (seg->flag[j] & CF_END)) {
        zhseg_emit(seg, i, j + 1, ZHSEG_TOKEN_WORD, 0, d->slots[t].tag);
        covered = MAX(covered, (gint64)j);
        any = TRUE;
      }
    }
    if (seg->overlay) {
      s = 0;
      for (guint32 j = i; j < n; j++) {
        guint32 t = zhseg_trie_step(d->user.slots, d->user.n_slots, s, seg->uid[j]);
        if (t == 0)
          break;
        s = t;
        if (j > i && d->user.slots[t].logp <= 0 && (seg->flag[j] & CF_END)) {
          zhseg_emit(seg, i, j + 1, ZHSEG_TOKEN_WORD, ZHSEG_TOKEN_FLAG_USER, d->user.slots[t].tag);
          covered = MAX(covered, (gint64)j);
          any = TRUE;
        }
      }
    }
    if (!any && (gint64)i > covered) {
      guint32 j = i;
      if (seg->flag[i] & CF_ATOM)
        while (j + 1 < n && !(seg->flag[j] & CF_END))
          j++;
      add_path_token(seg, i, j + 1, 0);
      covered = j;
    }
  }
}

/* Search mode: before each precise word longer than two characters, the
 * dictionary words of two and three characters inside it (jieba's
 * cut_for_search). The block's tokens from the first such word on,
 * seg->ob[from, n_ob), are copied aside and written back with their
 * subwords; most blocks have no such word and are left as they are. */
static void add_subwords(ZhsegSegmenter *seg, gsize first)
{
  gsize from = first;
  while (from < seg->n_ob &&
         !(seg->ob[from].type == ZHSEG_TOKEN_WORD && seg->ob[from].cend - seg->ob[from].cstart > 2))
    from++;
  if (from == seg->n_ob)
    return;
  gsize n = seg->n_ob - from;
  if (n > seg->scratch_cap) {
    seg->scratch_cap = MAX(n, seg->scratch_cap * 2);
    seg->scratch = g_renew(ZhsegToken, seg->scratch, seg->scratch_cap);
  }
  memcpy(seg->scratch, seg->ob + from, n * sizeof(ZhsegToken));
  seg->n_ob = from;
  for (gsize k = 0; k < n; k++) {
    const ZhsegToken t = seg->scratch[k];
    guint32 a = zhseg_tok_a(seg, &t), b = zhseg_tok_b(seg, &t);
    if (t.type == ZHSEG_TOKEN_WORD) {
      for (guint32 len = 2; len <= 3; len++) {
        if (b - a <= len)
          break;
        for (guint32 i = a; i + len <= b; i++) {
          if (!(seg->flag[i] & CF_START) || !(seg->flag[i + len - 1] & CF_END))
            continue;
          /* The subword's own tag, from the base trie when it has the word;
           * without a user trie that one lookup also says whether it is one. */
          guint32 s = base_word_slot(seg, i, i + len);
          if (seg->overlay ? is_word(seg, i, i + len) : s != 0)
            zhseg_emit(seg, i, i + len, ZHSEG_TOKEN_WORD, ZHSEG_TOKEN_FLAG_SUBWORD,
                       s != 0 ? seg->dict->slots[s].tag : (guint8)t.tag);
        }
      }
    }
    *zhseg_ob_next(seg) = t;
  }
}

/* A long run without punctuation is cut where no dictionary word spans the
 * cut, so cutting changes nothing; if no such point is near the limit, it
 * is cut at the limit. Returns the number of characters to keep. */
static guint32 safe_cut(const ZhsegSegmenter *seg, guint32 n)
{
  const ZhsegDict *d = seg->dict;
  /* From n - maxw down, every word starting before the cut ends inside the
   * characters we have, so "no word spans it" can be decided. */
  guint32 maxw = MAX(d->hdr->max_word_chars, 1);
  for (guint32 cut = n - maxw; cut > n - MIN(n / 2, 256 + maxw); cut--) {
    if (!(seg->flag[cut] & CF_START))
      continue;
    gboolean spanned = FALSE;
    for (guint32 i = cut > maxw ? cut - maxw : 0; i < cut && !spanned; i++) {
      guint32 s = 0;
      for (guint32 j = i; j < n; j++) {
        guint32 t = zhseg_trie_step(d->slots, d->n_slots, s, seg->cid[j]);
        if (t == 0)
          break;
        s = t;
        if (j >= cut && d->slots[t].logp <= 0) {
          spanned = TRUE;
          break;
        }
      }
    }
    if (!spanned)
      return cut;
  }
  return n;
}

/* scan_han's decoding table: for a three-byte sequence's first two bytes,
 * read as v & 0x3F0F (the lead byte's low four bits, the second byte's low
 * six; the scan has checked both bytes' high bits), the first code point of
 * the block of 64 they start, or NOT_FAST when that block is not wholly
 * inside U+4E00..U+9FD5. Looking the block up costs fewer instructions than
 * decoding the code point and testing its range, and it does both. (The
 * last, partial block, U+9FC0..U+9FD5, takes the general path.) */
#define NOT_FAST 0xFFFFu
static guint16 han_block_start[0x3F10];

static gpointer build_han_blocks(gpointer unused)
{
  (void)unused;
  for (guint i = 0; i < G_N_ELEMENTS(han_block_start); i++) {
    guint32 first = (i & 0x0F) << 12 | (i >> 8 & 0x3F) << 6;
    han_block_start[i] = first >= 0x4E00 && first + 63 <= 0x9FD5 && (i & 0xC0F0) == 0 ? (guint16)first : NOT_FAST;
  }
  return NULL;
}

/* For four bytes of text read as a little-endian word: the first code point
 * of the block of 64 the three-byte sequence they start falls in, from
 * han_block_start, or NOT_FAST when they start no such sequence. scan_han's
 * test, and the chain's below. */
static inline guint32 fast_han_first(guint32 v)
{
  /* 1110xxxx 10xxxxxx 10xxxxxx */
  if ((v & 0xC0C0F0u) != 0x8080E0u)
    return NOT_FAST;
  return han_block_start[v & 0x3F0F];
}

void zhseg_block_init(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_han_blocks, NULL);
}

/* Decodes the run of U+4E00..U+9FBF characters (three-byte UTF-8, lead
 * bytes E4..E9; the HMM's range less its last partial block, see
 * han_block_start) starting at s[pos], stopping at `stop`, into character
 * ids, byte offsets and flags; ORs their CID_* marks into *marks. Returns
 * the number of characters. It reads four bytes at each position before
 * stop, so s[stop + 2] must be readable. A function of its own, so its few
 * live values stay in registers.
 *
 * It also prefetches, for each pair of characters, the trie slot the best
 * path's second step will read: that read goes to a place in the trie no
 * earlier read predicts and is the segmenter's most frequent cache miss;
 * issued here, it overlaps the rest of the scan. */
static G_GNUC_NO_INLINE guint32 scan_han(const guchar *s, gsize pos, gsize stop,
                                         const ZhsegSlot *slots, const guint16 *charmap,
                                         const guint8 *cid_class, guint32 *cid, gsize *boff,
                                         guint8 *flag, guint8 *marks)
{
  guint8 u = 0;
  guint32 i = 0;
  guint32 prev_base = 0; /* the previous character's base: the root's, 0, at first */
  while (pos < stop) {
    guint32 v;
    memcpy(&v, s + pos, 4); /* little- or big-endian alike: bytes picked by masks below */
    v = GUINT32_FROM_LE(v);
    guint32 first = fast_han_first(v);
    if (first == NOT_FAST)
      break;
    guint32 id = charmap[first + (v >> 16 & 0x3F)];
    /* A prefetch is a hint that never faults, so a damaged image's base
     * needs no bound here (the walk itself checks it); the address is
     * formed as an integer, not as a pointer past the array. */
    __builtin_prefetch((const void *)((guintptr)slots + (guintptr)(prev_base + id) * sizeof *slots));
    prev_base = (guint32)slots[id].base;
    cid[i] = id;
    boff[i] = pos;
    flag[i] = CF_START | CF_END;
    u |= cid_class[id];
    i++;
    pos += 3;
  }
  *marks |= u;
  return i;
}

/* One block: zhseg_segment_block's work, which it repeats along a chain. */
static G_ALWAYS_INLINE inline void segment_one(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos_io,
                                               gsize *cpos_io)
{
  const ZhsegDict *d = seg->dict;
  gsize pos = *pos_io;
  seg->cbase = *cpos_io;
  guint32 n = 0;
  gsize atom_end = 0; /* while scanning an atom: its end byte */
  guint8 marks = 0;   /* CID_* marks of the block's characters, ORed */
  gsize need = MIN(len - pos, (gsize)ZHSEG_MAX_BLOCK) + 1;
  if (G_UNLIKELY(need + 1 > seg->cap)) /* room for n characters and the sentinels at n and n + 1 */
    zhseg_segmenter_reserve(seg, need);
  const guint16 *charmap = d->charmap;
  const guint8 *cid_class = seg->cid_class;
  guint32 *cid = seg->cid;
  gsize *boff = seg->boff;
  guint8 *flag = seg->flag;
  /* Locals, so the stores below cannot make the compiler reload them. */
  const gboolean special = seg->special != NULL;
  const gsize fast_end = special ? 0 : (len >= 4 ? len - 3 : 0); /* scan_han reads 4 bytes */
  gboolean atoms = FALSE;
  while (pos < len && n < ZHSEG_MAX_BLOCK) {
    /* The common case first: a stretch of U+4E00..U+9FD5. */
    if (pos < fast_end) {
      gsize stop = MIN(fast_end, pos + 3 * (gsize)(ZHSEG_MAX_BLOCK - n));
      guint32 i = scan_han(s, pos, stop, d->slots, charmap, cid_class, cid + n, boff + n, flag + n, &marks);
      pos += 3 * (gsize)i;
      n += i;
      if (pos >= len || n >= ZHSEG_MAX_BLOCK)
        break;
    }
    if (special && n > 0 && (seg->special_first[s[pos] / 8] & (1u << (s[pos] % 8))))
      break; /* let the caller try the user's special words here */
    guint k;
    gint32 c = zhseg_utf8_decode_fast(s + pos, len - pos, &k);
    if (c < 0)
      break;
    guint8 f;
    if (pos < atom_end) {
      f = (pos + k == atom_end) ? CF_END : 0;
    } else {
      CharClass cls = zhseg_char_class(c);
      if (cls == CC_HAN) {
        f = CF_START | CF_END;
      } else if (cls == CC_LATIN || cls == CC_DIGIT) {
        gboolean letter;
        atom_end = scan_atom(s, len, pos, &letter);
        atoms = TRUE;
        f = CF_START | CF_ATOM | (letter ? 0 : CF_DIGITS) | (pos + k == atom_end ? CF_END : 0);
      } else {
        /* Punctuation, space or a symbol ends the block: hand its decoding
         * to the caller, who would do it again. */
        seg->peek_pos = pos;
        seg->peek_c = c;
        seg->peek_n = k;
        seg->peek_class = cls;
        break;
      }
    }
    if (c < 0x4E00 || c > 0x9FD5) {
      f |= CF_NOHMM;
      if (zhseg_is_circle_zero(c)) /* by code point: the dictionary may lack them */
        marks |= CID_ZERO;
    }
    guint32 id = zhseg_dict_char_id(d, c);
    cid[n] = id;
    boff[n] = pos;
    flag[n] = f;
    marks |= cid_class[id];
    n++;
    pos += k;
  }
  /* Never stop inside an atom: the scan above ends atoms only at their end,
   * except at the block limit, where the partial atom is closed here. */
  if (n > 0 && pos < atom_end)
    seg->flag[n - 1] |= CF_END;
  seg->flag[n] = CF_START;
  if (n == ZHSEG_MAX_BLOCK && pos < len) {
    guint32 keep = safe_cut(seg, n);
    if (keep < n) {
      n = keep;
      pos = seg->boff[n];
    }
  }
  seg->boff[n] = pos;
  if (seg->overlay)
    for (guint32 i = 0; i < n; i++)
      seg->uid[i] = zhseg_dict_user_char_id(d, zhseg_block_cp(seg, i));

  /* A sentinel: base + END_ID is past every slot (bases are below n_slots,
   * which is far below 2^31), so a walk that reaches n stops on the bound
   * test, without reading the slot an id of 0 would send it to. That read
   * came at the end of every block, to a line nothing had prefetched. */
  cid[n] = END_ID;
  cid[n + 1] = END_ID; /* best_path_han's second step from n - 1 reads it */
  gsize first = seg->n_ob;
  if (seg->mode == ZHSEG_MODE_FULL) {
    full_tokens(seg, n); /* every word: no best path needed */
  } else {
    if (seg->overlay || atoms) {
      if (seg->overlay)
        best_path_overlay(seg, n);
      else
        best_path_base(seg, n);
      precise_tokens(seg, n);
    } else {
      best_path_han(seg, n);
      precise_tokens_han(seg, n);
    }
    /* The rules join a unit with a number (an atom or Han numerals), and
     * the digits of a number with a zero written 〇 or ○. */
    if ((marks & CID_UNIT) && (atoms || (marks & CID_NUMERAL)))
      zhseg_rules_apply(seg, first);
    if (G_UNLIKELY(marks & CID_ZERO))
      zhseg_rules_join_zero_numbers(seg, first);
    if (seg->mode == ZHSEG_MODE_SEARCH)
      add_subwords(seg, first);
  }
  *pos_io = pos;
  *cpos_io = seg->cbase + n;
}

/* Does s[pos..] start with a character scan_han takes (four bytes loadable)? */
static inline gboolean starts_fast_han(const guchar *s, gsize len, gsize pos)
{
  if (pos + 4 > len)
    return FALSE;
  guint32 v;
  memcpy(&v, s + pos, 4);
  return fast_han_first(GUINT32_FROM_LE(v)) != NOT_FAST;
}

/* Most blocks end at a punctuation mark or a line break with Han text after
 * it (，。、 in a sentence). The mark's token and the next block are made
 * here, without going back to zhseg_segmenter_cut, which would decode the
 * mark again and call back for the next block: a block is ~9 characters, so
 * the work done once per block is a good part of the whole. (Without
 * special user words only: the caller tries those at every position.) */
void zhseg_segment_block(ZhsegSegmenter *seg, const guchar *s, gsize len, gsize *pos_io, gsize *cpos_io)
{
  for (;;) {
    segment_one(seg, s, len, pos_io, cpos_io);
    if (seg->special != NULL || seg->peek_pos != *pos_io)
      return;
    if (seg->peek_class == CC_PUNCT)
      zhseg_punct_token(seg, s, len, pos_io, cpos_io, seg->peek_n);
    else if (seg->peek_class == CC_NEWLINE)
      zhseg_newline_token(seg, s, len, pos_io, cpos_io, seg->peek_n);
    else
      return;
    if (!starts_fast_han(s, len, *pos_io))
      return;
  }
}
