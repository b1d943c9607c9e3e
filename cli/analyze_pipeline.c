/* zhseg analyze: the one path from an article's bytes to tokens. */
#include "cli/analyze.h"

#include <string.h>

struct AnalyzeWorker {
  ZhsegSegmenter *seg;
};

AnalyzeWorker *analyze_worker_new(ZhsegDict *dict, ZhsegMode mode, guint seg_flags)
{
  AnalyzeWorker *w = g_new0(AnalyzeWorker, 1);
  w->seg = zhseg_segmenter_new(dict, mode, seg_flags);
  return w;
}

void analyze_worker_free(AnalyzeWorker *w)
{
  if (w == NULL)
    return;
  zhseg_segmenter_free(w->seg);
  g_free(w);
}

void analyze_text_to_tokens(AnalyzeWorker *w, const char *raw, gsize raw_len, const char **text,
                            gsize *len, GArray *tokens)
{
  /* TODO(normalizer): decode and clean here (any encoding, hard line breaks,
   * doubled captions), then segment the clean text. Until then: UTF-8 as is. */
  if (raw_len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
    raw += 3;
    raw_len -= 3;
  }
  *text = raw;
  *len = raw_len;
  zhseg_segmenter_cut(w->seg, raw, raw_len, tokens);
}
