/* zhseg analyze: the one path from an article's bytes to tokens:
 * normalize (decode, NFKC, t2s, join wrapped lines, drop doubled captions),
 * then segment the normalized text. */
#include "cli/analyze.h"

#include <string.h>

struct AnalyzeWorker {
  ZhsegSegmenter *seg;
  ZhsegNormalizer *norm; /* NULL with --raw */
  ZhsegNormalized *last; /* the text of the last article, kept until the next */
};

AnalyzeWorker *analyze_worker_new(ZhsegDict *dict, ZhsegMode mode, guint seg_flags,
                                  const CliNormOptions *norm_options, GError **error)
{
  AnalyzeWorker *w = g_new0(AnalyzeWorker, 1);
  if (norm_options != NULL && (w->norm = cli_norm_new(norm_options, error)) == NULL) {
    g_free(w);
    return NULL;
  }
  w->seg = zhseg_segmenter_new(dict, mode, seg_flags);
  return w;
}

void analyze_worker_free(AnalyzeWorker *w)
{
  if (w == NULL)
    return;
  zhseg_segmenter_free(w->seg);
  zhseg_normalized_free(w->last);
  zhseg_normalizer_free(w->norm);
  g_free(w);
}

gboolean analyze_text_to_tokens(AnalyzeWorker *w, const char *raw, gsize raw_len,
                                const char **text, gsize *len, GArray *tokens, GError **error)
{
  g_clear_pointer(&w->last, zhseg_normalized_free);
  if (w->norm == NULL) { /* --raw: UTF-8 as given, less a BOM */
    if (raw_len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
      raw += 3;
      raw_len -= 3;
    }
    *text = raw;
    *len = raw_len;
  } else {
    w->last = zhseg_normalizer_run(w->norm, raw, raw_len, error);
    if (w->last == NULL)
      return FALSE;
    *text = zhseg_normalized_text(w->last, len);
  }
  zhseg_segmenter_cut(w->seg, *text, *len, tokens);
  return TRUE;
}
