/* Numbers and dates, which a word-frequency path handles badly: a number is
 * rarely in the dictionary, so jieba splits 2000年 into 2000/年 and
 * 二○○○年 into single characters. These rules join a number with the date
 * or time unit that belongs to it. They run on the precise tokens of a
 * block, after the HMM, and only join whole tokens. */
#include "tokenizer/segmenter-private.h"

static gboolean is_time_unit(gint32 c)
{
  return c == 0x5E74 /* 年 */ || c == 0x6708 /* 月 */ || c == 0x65E5 /* 日 */ ||
         c == 0x65F6 /* 时 */ || c == 0x5206 /* 分 */ || c == 0x79D2 /* 秒 */;
}

void zhseg_rules_init(ZhsegSegmenter *seg)
{
  static const gint32 units[] = {0x5E74, 0x6708, 0x65E5, 0x65F6, 0x5206, 0x79D2};
  static const gint32 numerals[] = {0x3007, 0x25CB, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                    0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341 /* 十 */};
  guint8 *cls = seg->cid_class;
  cls[0] = CID_UNIT | CID_NUMERAL;
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
    cls[zhseg_dict_char_id(seg->dict, units[i])] |= CID_UNIT;
  for (gsize i = 0; i < G_N_ELEMENTS(numerals); i++)
    cls[zhseg_dict_char_id(seg->dict, numerals[i])] |= CID_NUMERAL;
  for (gint32 d = 0; d < 10; d++) {
    cls[zhseg_dict_char_id(seg->dict, '0' + d)] |= CID_NUMERAL;
    cls[zhseg_dict_char_id(seg->dict, 0xFF10 + d)] |= CID_NUMERAL;
  }
}

#define TEN 0x5341 /* 十 */

/* Value of the Han numeral string of block characters [a, a + n), n of 1-3,
 * written with 十 (一, 十, 十二, 二十, 三十一), or -1. */
static int han_value(const ZhsegSegmenter *seg, guint32 a, guint32 n)
{
  gint32 c0 = zhseg_block_cp(seg, a);
  int d0 = zhseg_numeral_digit(c0);
  if (n == 1)
    return c0 == TEN ? 10 : d0 >= 1 ? d0 : -1;
  gint32 c1 = zhseg_block_cp(seg, a + 1);
  if (n == 2 && c0 == TEN)
    return zhseg_numeral_digit(c1) >= 1 ? 10 + zhseg_numeral_digit(c1) : -1;
  if (n == 2 && c1 == TEN)
    return d0 >= 2 ? d0 * 10 : -1;
  if (n == 3 && c1 == TEN && d0 >= 2) {
    int d2 = zhseg_numeral_digit(zhseg_block_cp(seg, a + 2));
    return d2 >= 1 ? d0 * 10 + d2 : -1;
  }
  return -1;
}

/* Are block characters [a, a + n), followed by `unit`, a Han date: a year
 * written digit by digit (二○○一年, at least two digits), a month 1-12 or a
 * day 1-31? */
static gboolean is_han_date(const ZhsegSegmenter *seg, guint32 a, guint32 n, gint32 unit)
{
  if (unit == 0x5E74) { /* 年 */
    if (n < 2)
      return FALSE;
    for (guint32 i = a; i < a + n; i++) {
      gint32 c = zhseg_block_cp(seg, i);
      if (c >= 0x80 && zhseg_numeral_digit(c) < 0)
        return FALSE;
    }
    return TRUE;
  }
  if (n > 3)
    return FALSE;
  int v = han_value(seg, a, n);
  if (unit == 0x6708) /* 月 */
    return v >= 1 && v <= 12;
  if (unit == 0x65E5) /* 日 */
    return v >= 1 && v <= 31;
  return FALSE;
}

static gboolean is_han_numeral(gint32 c)
{
  return c == TEN || (c >= 0x80 && zhseg_numeral_digit(c) >= 0);
}

/* Block character i may be a numeral, by its id's mark (id 0, a character
 * the dictionary lacks, is marked "maybe"): the test that rules out most
 * characters without decoding them. */
static inline gboolean numeral_id_at(const ZhsegSegmenter *seg, guint32 i)
{
  return seg->cid_class[seg->cid[i]] & CID_NUMERAL;
}

/* Block character i is a Han numeral. */
static inline gboolean numeral_at(const ZhsegSegmenter *seg, guint32 i)
{
  return numeral_id_at(seg, i) && is_han_numeral(zhseg_block_cp(seg, i));
}

static inline gboolean unit_at(const ZhsegSegmenter *seg, guint32 i)
{
  return (seg->cid_class[seg->cid[i]] & CID_UNIT) && is_time_unit(zhseg_block_cp(seg, i));
}

/* When token q of t is a word of Han digits only (〇 ○ 零 一 ... 九; not a
 * user's word), the value of its first digit, and *zero set when it holds
 * a 〇 or ○; -1 otherwise. */
static int han_digits(const ZhsegSegmenter *seg, const ZhsegToken *t, guint q, gboolean *zero)
{
  if (t[q].type != ZHSEG_TOKEN_WORD || (t[q].flags & ZHSEG_TOKEN_FLAG_USER))
    return -1;
  int first = -1;
  gboolean z = FALSE;
  for (guint32 i = zhseg_tok_a(seg, &t[q]), b = zhseg_tok_b(seg, &t[q]); i < b; i++) {
    if (!numeral_id_at(seg, i))
      return -1;
    gint32 c = zhseg_block_cp(seg, i);
    int d = c >= 0x80 ? zhseg_numeral_digit(c) : -1;
    if (d < 0)
      return -1;
    if (first < 0)
      first = d;
    z |= zhseg_is_circle_zero(c);
  }
  *zero |= z;
  return first;
}

/* 二○○○, 一○二: a number written digit by digit with a zero written 〇 or
 * ○, which only such numbers use. The default dictionary has no word with
 * them and the HMM leaves them alone (they are outside its range), so the
 * number arrives in pieces: single digits, or words of digits around them
 * (二○ | 一一 for 二○一一). Returns the last token of the run of such
 * tokens that starts at token k, when they make such a number: two or more
 * tokens, the first digit 一..九 (a ○ used as a bullet before 一 starts no
 * number), one a 〇 or ○. Otherwise returns k. */
static guint zero_number_end(const ZhsegSegmenter *seg, const ZhsegToken *t, guint k, guint n)
{
  gboolean zero = FALSE;
  if (han_digits(seg, t, k, &zero) < 1)
    return k;
  guint m = k;
  while (m + 1 < n && han_digits(seg, t, m + 1, &zero) >= 0)
    m++;
  return zero && m > k ? m : k;
}

/* A token made of tokens [k, m] of t. */
static ZhsegToken joined(const ZhsegToken *t, guint k, guint m, guint8 type, guint8 tag)
{
  return (ZhsegToken){t[k].start, t[m].end, t[k].cstart, t[m].cend, tag, type, 0};
}

/* Does token q of t start with a character that may be a numeral? Both
 * rules' joins start at a number token or at such a word, and most tokens
 * are neither: numeral_id_at passes them over without decoding anything. */
static inline gboolean starts_numeral_id(const ZhsegSegmenter *seg, const ZhsegToken *t, guint q)
{
  return numeral_id_at(seg, zhseg_tok_a(seg, &t[q]));
}

/* The first token from k on that may start a join of zhseg_rules_apply. */
static inline guint next_join_start(const ZhsegSegmenter *seg, const ZhsegToken *t, guint k, guint n)
{
  while (k < n && t[k].type != ZHSEG_TOKEN_NUMBER &&
         !(t[k].type == ZHSEG_TOKEN_WORD && starts_numeral_id(seg, t, k)))
    k++;
  return k;
}

/* The first token from k on that may start a number of zhseg_rules_join_zero_numbers. */
static inline guint next_zero_start(const ZhsegSegmenter *seg, const ZhsegToken *t, guint k, guint n)
{
  while (k < n && !(t[k].type == ZHSEG_TOKEN_WORD && starts_numeral_id(seg, t, k)))
    k++;
  return k;
}

/* Moves tokens [k, q) of t, which no join touches, to w (w <= k) in one
 * piece; returns w + (q - k). Until a join makes room, w == k and nothing
 * moves. */
static inline guint keep_tokens(ZhsegToken *t, guint w, guint k, guint q)
{
  if (w != k && q > k)
    memmove(t + w, t + k, (q - k) * sizeof *t);
  return w + (q - k);
}

void zhseg_rules_apply(ZhsegSegmenter *seg, gsize first)
{
  ZhsegToken *t = seg->ob + first;
  guint n = (guint)(seg->n_ob - first), w = 0;
  for (guint k = 0; k < n;) {
    /* Long blocks (text with little punctuation) have thousands of tokens
     * and a join or two: the tokens between are passed over and moved in
     * runs, not one by one. */
    guint q = next_join_start(seg, t, k, n);
    w = keep_tokens(t, w, k, q);
    k = q;
    if (k == n)
      break;
    const ZhsegToken *cur = &t[k];
    guint32 ca = zhseg_tok_a(seg, cur), cb = zhseg_tok_b(seg, cur);
    /* 2018年, 12月, 1日, 10时: a number token and a one-character unit token. */
    if (cur->type == ZHSEG_TOKEN_NUMBER && k + 1 < n && t[k + 1].cend - t[k + 1].cstart == 1 &&
        t[k + 1].type == ZHSEG_TOKEN_WORD && unit_at(seg, zhseg_tok_a(seg, &t[k + 1])) &&
        g_ascii_isdigit(seg->text[cur->end - 1])) {
      t[w++] = joined(t, k, k + 1, cur->type, (guint8)cur->tag);
      k += 2;
      continue;
    }
    /* 二○○一年, 十二月, 三十一日: Han numerals then 年/月/日, ending a token. */
    if (cur->type == ZHSEG_TOKEN_WORD && numeral_at(seg, ca)) {
      guint32 r = ca;
      guint32 limit = zhseg_tok_b(seg, &t[n - 1]);
      while (r < limit && numeral_at(seg, r))
        r++;
      guint m = k;
      while (m < n && zhseg_tok_b(seg, &t[m]) < r + 1)
        m++;
      if (r < limit && r > ca && m < n && zhseg_tok_b(seg, &t[m]) == r + 1 &&
          (m > k || cb == r + 1) && is_han_date(seg, ca, r - ca, zhseg_block_cp(seg, r))) {
        gboolean all_words = TRUE;
        for (guint q = k; q <= m; q++)
          all_words &= t[q].type == ZHSEG_TOKEN_WORD && !(t[q].flags & ZHSEG_TOKEN_FLAG_USER);
        if (all_words && !(m == k && t[k].flags == 0 && cb - ca > 1)) {
          t[w++] = joined(t, k, m, ZHSEG_TOKEN_NUMBER, (guint8)seg->tag_m);
          k = m + 1;
          continue;
        }
      }
    }
    if (w != k)
      t[w] = *cur;
    w++;
    k++;
  }
  seg->n_ob = first + w;
}

void zhseg_rules_join_zero_numbers(ZhsegSegmenter *seg, gsize first)
{
  ZhsegToken *t = seg->ob + first;
  guint n = (guint)(seg->n_ob - first), w = 0;
  for (guint k = 0; k < n;) {
    guint q = next_zero_start(seg, t, k, n);
    w = keep_tokens(t, w, k, q);
    k = q;
    if (k == n)
      break;
    guint m = zero_number_end(seg, t, k, n);
    if (m > k)
      t[w] = joined(t, k, m, ZHSEG_TOKEN_NUMBER, (guint8)seg->tag_m);
    else if (w != k)
      t[w] = t[k];
    w++;
    k = m + 1;
  }
  seg->n_ob = first + w;
}
