/* libFuzzer target: the segmenter over arbitrary bytes, in every mode, with
 * and without the HMM and a user overlay. Checks the invariants a caller
 * relies on: precise tokens tile the input, offsets stay in bounds. */
#include "include/zhseg.h"

#include <stdlib.h>

static ZhsegDict *dicts[2];

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  if (dicts[0] == NULL) {
    dicts[0] = zhseg_dict_open(NULL, NULL);
    if (dicts[0] == NULL)
      abort();
    dicts[1] = zhseg_dict_new_overlay(dicts[0], "网格化管理\nWi-Fi 6\t5\n社区 0\nC++ 3\n", -1, "fuzz", NULL);
  }
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  for (int d = 0; d < 2; d++)
    for (int mode = ZHSEG_MODE_PRECISE; mode <= ZHSEG_MODE_FULL; mode++)
      for (guint flags = 0; flags <= ZHSEG_SEGMENTER_NO_HMM; flags++) {
        ZhsegSegmenter *seg = zhseg_segmenter_new(dicts[d], (ZhsegMode)mode, flags);
        g_array_set_size(tokens, 0);
        zhseg_segmenter_cut(seg, (const char *)data, size, tokens);
        gsize pos = 0;
        for (guint i = 0; i < tokens->len; i++) {
          ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
          if (t->start >= t->end || t->end > size || t->cstart >= t->cend)
            abort();
          if (mode == ZHSEG_MODE_PRECISE) {
            if (t->start != pos)
              abort();
            pos = t->end;
          }
        }
        if (mode == ZHSEG_MODE_PRECISE && pos != size)
          abort();
        zhseg_segmenter_free(seg);
      }
  g_array_free(tokens, TRUE);
  return 0;
}
