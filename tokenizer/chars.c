/* The slow path of character classification (see chars.h). */
#include "tokenizer/chars.h"

CharClass zhseg_char_class_slow(gunichar c)
{
  if (c == 0x3007 || c == 0x25CB) /* 〇 and ○, written as zero in dates */
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
  if (g_unichar_ispunct(c))
    return CC_PUNCT;
  return CC_SYMBOL;
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
