/* libFuzzer target: arbitrary user-dictionary text is parsed into an
 * overlay or refused with an error, and the overlay segments safely. */
#include "include/zhseg.h"

#include <stdlib.h>
#include <string.h>

static ZhsegDict *base;

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  if (base == NULL && (base = zhseg_dict_open(NULL, NULL)) == NULL)
    abort();
  GError *error = NULL;
  ZhsegDict *d = zhseg_dict_new_overlay(base, (const char *)data, (gssize)size, "fuzz", &error);
  if (d == NULL) {
    if (error == NULL)
      abort();
    g_error_free(error);
    return 0;
  }
  ZhsegSegmenter *seg = zhseg_segmenter_new(d, ZHSEG_MODE_SEARCH, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  /* Segment the dictionary text itself: it holds the user words. */
  zhseg_segmenter_cut(seg, (const char *)data, size, tokens);
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
  zhseg_dict_unref(d);
  return 0;
}
