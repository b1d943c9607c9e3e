/* The slow path of character classification (see chars.h). */
#include "tokenizer/chars.h"

guint8 zhseg_cjk_class[0x40];
guint8 zhseg_general_punct_class[0x70];
guint8 zhseg_fullwidth_class[0xF0];

void zhseg_char_class_init(void)
{
  static gsize done = 0;
  if (g_once_init_enter(&done)) {
    for (gunichar c = 0; c < 0x70; c++)
      zhseg_general_punct_class[c] = (guint8)zhseg_char_class_slow(0x2000 + c);
    for (gunichar c = 0; c < 0x40; c++)
      zhseg_cjk_class[c] = (guint8)zhseg_char_class_slow(0x3000 + c);
    for (gunichar c = 0; c < 0xF0; c++)
      zhseg_fullwidth_class[c] = (guint8)zhseg_char_class_slow(0xFF00 + c);
    g_once_init_leave(&done, 1);
  }
}

CharClass zhseg_char_class_slow(gunichar c)
{
  if (zhseg_is_circle_zero((gint32)c))
    return CC_HAN;
  if (c >= 0xFF10 && c <= 0xFF19)
    return CC_DIGIT;
  switch (g_unichar_get_script(c)) {
  case G_UNICODE_SCRIPT_HAN:
    return g_unichar_isalpha(c) ? CC_HAN : CC_PUNCT;
  default:
    break;
  }
  if (c == 0x2028 || c == 0x2029 || c == 0x85)
    return CC_NEWLINE;
  if (g_unichar_isspace(c))
    return CC_SPACE;
  if (g_unichar_isalpha(c) || g_unichar_ismark(c))
    return CC_LATIN;
  if (g_unichar_isdigit(c))
    return CC_DIGIT;
  switch (g_unichar_type(c)) {
  case G_UNICODE_CONNECT_PUNCTUATION:
  case G_UNICODE_DASH_PUNCTUATION:
  case G_UNICODE_OPEN_PUNCTUATION:
  case G_UNICODE_CLOSE_PUNCTUATION:
  case G_UNICODE_INITIAL_PUNCTUATION:
  case G_UNICODE_FINAL_PUNCTUATION:
  case G_UNICODE_OTHER_PUNCTUATION:
    return CC_PUNCT;
  default:
    return CC_SYMBOL; /* g_unichar_ispunct() would count symbols as punctuation */
  }
}

int zhseg_numeral_digit(gint32 c)
{
  switch (c) {
  case 0x3007: case 0x25CB: case 0x96F6: return 0; /* 〇 ○ 零 */
  case 0x4E00: return 1; /* 一 */
  case 0x4E8C: return 2; /* 二 */
  case 0x4E09: return 3; /* 三 */
  case 0x56DB: return 4; /* 四 */
  case 0x4E94: return 5; /* 五 */
  case 0x516D: return 6; /* 六 */
  case 0x4E03: return 7; /* 七 */
  case 0x516B: return 8; /* 八 */
  case 0x4E5D: return 9; /* 九 */
  default:
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 0xFF10 && c <= 0xFF19)
      return c - 0xFF10;
    return -1;
  }
}
