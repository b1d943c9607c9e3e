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
  seg->unit_cid = g_new0(guint8, seg->dict->n_chars + 1);
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
    guint32 id = zhseg_dict_char_id(seg->dict, units[i]);
    if (id != 0)
      seg->unit_cid[id] = 1;
  }
  /* Units the dictionary lacks get id 0, shared with every unknown
   * character: then any block with an unknown character runs the rules. */
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
    if (zhseg_dict_char_id(seg->dict, units[i]) == 0)
      seg->unit_cid[0] = 1;
}

#define TEN 0x5341 /* 十 */

/* Value of a Han numeral string of 1-3 characters written with 十 (一, 十,
 * 十二, 二十, 三十一), or -1. */
static int han_value(const gint32 *cp, guint32 n)
{
  int d0 = n > 0 ? zhseg_numeral_digit(cp[0]) : -1;
  if (n == 1)
    return cp[0] == TEN ? 10 : d0 >= 1 ? d0 : -1;
  if (n == 2 && cp[0] == TEN)
    return zhseg_numeral_digit(cp[1]) >= 1 ? 10 + zhseg_numeral_digit(cp[1]) : -1;
  if (n == 2 && cp[1] == TEN)
    return d0 >= 2 ? d0 * 10 : -1;
  if (n == 3 && cp[1] == TEN && d0 >= 2 && zhseg_numeral_digit(cp[2]) >= 1)
    return d0 * 10 + zhseg_numeral_digit(cp[2]);
  return -1;
}

/* Is cp[0..n) followed by `unit` a Han date: a year written digit by digit
 * (二○○一年, at least two digits), a month 1-12 or a day 1-31? */
static gboolean is_han_date(const gint32 *cp, guint32 n, gint32 unit)
{
  if (unit == 0x5E74) { /* 年 */
    if (n < 2)
      return FALSE;
    for (guint32 i = 0; i < n; i++)
      if (cp[i] >= 0x80 && zhseg_numeral_digit(cp[i]) < 0)
        return FALSE;
    return TRUE;
  }
  int v = han_value(cp, n);
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

void zhseg_rules_apply(ZhsegSegmenter *seg)
{
  BlockToken *t = seg->bt;
  guint n = seg->n_bt, w = 0;
  for (guint k = 0; k < n;) {
    BlockToken cur = t[k];
    /* 2018年, 12月, 1日, 10时: a number token and a one-character unit token. */
    if (cur.type == ZHSEG_TOKEN_NUMBER && k + 1 < n && t[k + 1].b - t[k + 1].a == 1 &&
        t[k + 1].type == ZHSEG_TOKEN_WORD && is_time_unit(seg->cp[t[k + 1].a]) &&
        seg->cp[cur.b - 1] < 0x80 && g_ascii_isdigit(seg->cp[cur.b - 1])) {
      cur.b = t[k + 1].b;
      cur.flags = 0;
      t[w++] = cur;
      k += 2;
      continue;
    }
    /* 二○○一年, 十二月, 三十一日: Han numerals then 年/月/日, ending a token. */
    if (cur.type == ZHSEG_TOKEN_WORD && is_han_numeral(seg->cp[cur.a])) {
      guint32 r = cur.a;
      guint32 limit = t[n - 1].b;
      while (r < limit && is_han_numeral(seg->cp[r]))
        r++;
      guint m = k;
      while (m < n && t[m].b < r + 1)
        m++;
      if (r < limit && r > cur.a && m < n && t[m].b == r + 1 && m > k - 0 &&
          (m > k || cur.b == r + 1) && is_han_date(&seg->cp[cur.a], r - cur.a, seg->cp[r])) {
        gboolean all_words = TRUE;
        for (guint q = k; q <= m; q++)
          all_words &= t[q].type == ZHSEG_TOKEN_WORD && !(t[q].flags & ZHSEG_TOKEN_FLAG_USER);
        if (all_words && !(m == k && t[k].flags == 0 && t[k].b - t[k].a > 1)) {
          BlockToken joined = {cur.a, r + 1, ZHSEG_TOKEN_NUMBER, 0, (guint8)seg->tag_m};
          t[w++] = joined;
          k = m + 1;
          continue;
        }
      }
    }
    t[w++] = cur;
    k++;
  }
  seg->n_bt = w;
}
