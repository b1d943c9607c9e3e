/* Character classes as the segmenter sees them. ASCII and the CJK Unified
 * Ideographs block are decided by a table or a range check; everything else
 * asks GLib's Unicode tables, which is slower but rare in Chinese text. */
#ifndef ZHSEG_TOKENIZER_CHARS_H
#define ZHSEG_TOKENIZER_CHARS_H

#include <glib.h>

typedef enum {
  CC_HAN,    /* CJK ideographs (and 〇, ○ used as a numeral zero) */
  CC_LATIN,  /* letters of alphabetic scripts, ASCII and full-width included */
  CC_DIGIT,  /* 0-9 and full-width ０-９ */
  CC_SPACE,  /* white space other than line breaks */
  CC_NEWLINE,/* \n and \r */
  CC_PUNCT,  /* punctuation */
  CC_SYMBOL, /* anything else */
} CharClass;

CharClass zhseg_char_class_slow(gunichar c);

/* 〇 or ○, a zero in numbers written digit by digit (二○○一). Both are
 * classed Han, though they lie outside the CJK Unified Ideographs block. */
static inline gboolean zhseg_is_circle_zero(gint32 c)
{
  return c == 0x3007 || c == 0x25CB;
}

/* Classes of U+3000..U+303F (CJK punctuation) and U+FF00..U+FFEF (full-width
 * forms), filled once by zhseg_char_class_init() from the slow path. */
extern guint8 zhseg_cjk_class[0x40];
extern guint8 zhseg_general_punct_class[0x70]; /* U+2000..U+206F: — “ ” … */
extern guint8 zhseg_fullwidth_class[0xF0];
void zhseg_char_class_init(void);

static inline CharClass zhseg_char_class(gint32 c)
{
  if (c >= 0x4E00 && c <= 0x9FFF)
    return CC_HAN;
  if (c < 0x80) {
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
      return CC_LATIN;
    if (c >= '0' && c <= '9')
      return CC_DIGIT;
    if (c == '\n' || c == '\r')
      return CC_NEWLINE;
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v')
      return CC_SPACE;
    if (c < 0x20 || c == 0x7F)
      return CC_SYMBOL;
    /* ASCII punctuation and symbols: $+<=>^`|~ are symbols in Unicode. */
    return (c == '$' || c == '+' || c == '<' || c == '=' || c == '>' || c == '^' || c == '`' ||
            c == '|' || c == '~')
               ? CC_SYMBOL
               : CC_PUNCT;
  }
  if (c >= 0x2000 && c < 0x2070)
    return (CharClass)zhseg_general_punct_class[c - 0x2000];
  if (c >= 0x3000 && c < 0x3040)
    return (CharClass)zhseg_cjk_class[c - 0x3000];
  if (c >= 0xFF00 && c < 0xFFF0)
    return (CharClass)zhseg_fullwidth_class[c - 0xFF00];
  return zhseg_char_class_slow((gunichar)c);
}

/* Numeric value of a Han or ASCII digit used in dates, or -1. */
int zhseg_numeral_digit(gint32 c);

#endif
