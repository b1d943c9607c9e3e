/* Unknown words: a B/M/E/S hidden Markov model decoded with Viterbi, exactly
 * as jieba's finalseg does (same tables, same tie-breaking), over runs of
 * single characters the dictionary path left behind. */
#include "tokenizer/segmenter-private.h"

enum { B = ZHSEG_HMM_B, M = ZHSEG_HMM_M, E = ZHSEG_HMM_E, S = ZHSEG_HMM_S };

/* Each state can follow two states only: B after E or S, M after M or B,
 * E after B or M, S after S or E (viterbi() spells these out). jieba's max()
 * breaks ties by comparing (probability, state letter) tuples: B < E < M < S. */
static const int letter_rank[4] = {[B] = 0, [E] = 1, [M] = 2, [S] = 3};

/* jieba's finalseg hands only U+4E00..U+9FD5 to Viterbi (see CF_NOHMM). */
static inline gboolean in_hmm_range(const ZhsegSegmenter *seg, guint32 i)
{
  return !(seg->flag[i] & CF_NOHMM);
}

/* Our one departure from jieba's HMM: a character that is itself a very
 * frequent word (probability above 1/2000: 的 了 是 在 和 这 有 说 更 最 ...)
 * stands alone (state S). Unconstrained, the HMM glues such characters to
 * their neighbours (这是, 日讯, 更多地), the most common error of jieba's
 * HMM mode; names and new words rarely contain them. */
#define STANDALONE_LOGP (-7.6009024595) /* log(1/2000) */

static inline gboolean standalone(const ZhsegDict *d, guint32 cid)
{
  guint32 t = zhseg_trie_step(d->slots, d->n_slots, 0, cid);
  return t != 0 && d->slots[t].logp <= 0 && d->slots[t].logp > STANDALONE_LOGP;
}

void zhseg_hmm_init(ZhsegSegmenter *seg)
{
  for (guint32 id = 1; id <= seg->dict->n_chars; id++)
    if (standalone(seg->dict, id))
      seg->cid_class[id] |= CID_STANDALONE;
}

/* The emission log-probabilities of a character in states B, M, E, S. */
static inline void emission(const ZhsegSegmenter *seg, guint32 cid, double em[4])
{
  const double *row = seg->dict->emit + (gsize)cid * 4;
  em[0] = row[0];
  em[1] = row[1];
  em[2] = row[2];
  em[3] = row[3];
  if (!seg->jieba_hmm && (seg->cid_class[cid] & CID_STANDALONE))
    em[B] = em[M] = em[E] = ZHSEG_HMM_MIN;
}

static void push(ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  guint8 tag = 0, flags = ZHSEG_TOKEN_FLAG_HMM;
  if (b - a == 1) {
    flags = 0;
    tag = zhseg_slot_tag(seg, seg->word[a].slot);
  }
  zhseg_emit(seg, a, b, ZHSEG_TOKEN_WORD, flags, tag);
}

/* One state's best predecessor of the two it can follow;
 * q0 and q1 are their scores plus the transition, before the emission. */
static inline void step(double q0, int p0, double q1, int p1, double em, double *v, guint8 *back)
{
  q0 += em;
  q1 += em;
  gboolean second = q1 > q0 || (q1 == q0 && letter_rank[p1] > letter_rank[p0]);
  *v = second ? q1 : q0;
  *back = (guint8)(second ? p1 : p0);
}

static void viterbi(ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  const ZhsegDict *d = seg->dict;
  const ZhsegHmmHeader *h = d->hmm;
  guint32 n = b - a;
  if (seg->hmm_cap < n) {
    seg->hmm_cap = MAX(n, seg->hmm_cap * 2);
    seg->viterbi = g_renew(double, seg->viterbi, seg->hmm_cap * 4);
    seg->back = g_renew(guint8, seg->back, seg->hmm_cap * 4);
  }
  double *v = seg->viterbi;
  guint8 *back = seg->back;
  double em[4];
  emission(seg, seg->cid[a], em);
  for (int y = 0; y < 4; y++)
    v[y] = h->start[y] + em[y];
  /* The transitions that exist, read once. */
  const double eb = h->trans[E][B], sb = h->trans[S][B], mm = h->trans[M][M], bm = h->trans[B][M];
  const double be = h->trans[B][E], me = h->trans[M][E], ss = h->trans[S][S], es = h->trans[E][S];
  for (guint32 t = 1; t < n; t++) {
    emission(seg, seg->cid[a + t], em);
    const double *p = &v[(t - 1) * 4];
    double *q = &v[t * 4];
    guint8 *bk = &back[t * 4];
    step(p[E] + eb, E, p[S] + sb, S, em[B], &q[B], &bk[B]);
    step(p[M] + mm, M, p[B] + bm, B, em[M], &q[M], &bk[M]);
    step(p[B] + be, B, p[M] + me, M, em[E], &q[E], &bk[E]);
    step(p[S] + ss, S, p[E] + es, E, em[S], &q[S], &bk[S]);
  }
  /* The last character ends a word: E or S, S winning a tie. */
  int state = v[(n - 1) * 4 + S] >= v[(n - 1) * 4 + E] ? S : E;
  /* The state path overwrites column 0 of each row once the backward pass
   * has read that row. */
  guint8 *path = back;
  for (guint32 t = n - 1;; t--) {
    guint8 prev = t > 0 ? back[t * 4 + state] : 0;
    path[t * 4] = (guint8)state;
    if (t == 0)
      break;
    state = prev;
  }
  guint32 begin = 0, next = 0;
  for (guint32 t = 0; t < n; t++) {
    int st = path[t * 4];
    if (st == B) {
      begin = t;
    } else if (st == E) {
      push(seg, a + begin, a + t + 1);
      next = t + 1;
    } else if (st == S) {
      push(seg, a + t, a + t + 1);
      next = t + 1;
    }
  }
  if (next < n)
    push(seg, a + next, b);
}

void zhseg_hmm_cut(ZhsegSegmenter *seg, guint32 a, guint32 b)
{
  guint32 i = a;
  while (i < b) {
    guint32 j = i + 1;
    gboolean han = in_hmm_range(seg, i);
    while (j < b && in_hmm_range(seg, j) == han)
      j++;
    if (han)
      viterbi(seg, i, j);
    else
      /* Atoms never get here, so this is a stretch of Han-class characters
       * outside the range (extension A, 〇 ○, compatibility ideographs...).
       * jieba's block pattern leaves them out of the DAG and yields each
       * alone; so do we. (Its finalseg would yield the stretch whole, but
       * it never sees one.) */
      for (guint32 k = i; k < j; k++)
        push(seg, k, k + 1);
    i = j;
  }
}
