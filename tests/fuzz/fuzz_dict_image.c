/* libFuzzer target: opening an arbitrary file as a dictionary image must
 * fail cleanly or give a dictionary that can be used without crashing. The
 * input is spliced into a copy of the real image so the fuzzer gets past the
 * header checks: the first 4 bytes pick an offset, the rest overwrite the
 * image there, and the checksum is recomputed (open no longer checks it,
 * but the spliced file then looks intact to every check there is). */
#include "dict/private.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *image;
static gsize image_len;
static char *path;

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  if (image == NULL) {
    ZhsegDict *d = zhseg_dict_open(NULL, NULL);
    if (d == NULL || !g_file_get_contents(zhseg_dict_path(d), &image, &image_len, NULL))
      abort();
    zhseg_dict_unref(d);
    int fd = g_file_open_tmp("zhseg-fuzz-XXXXXX", &path, NULL);
    close(fd);
  }
  char *copy = g_memdup2(image, image_len);
  gsize len = image_len;
  if (size >= 5) {
    guint32 at;
    memcpy(&at, data, 4);
    at %= (guint32)image_len;
    gsize n = MIN(size - 4, image_len - at);
    memcpy(copy + at, data + 4, n);
    if (data[4] & 1)
      len = at + n; /* also truncate */
    if (len >= sizeof(ZhsegImageHeader)) {
      ZhsegImageHeader h;
      memcpy(&h, copy, sizeof h);
      /* The checksum covers a whole header at least (a spliced file_size
       * may say less, and open refuses that file anyway). */
      gsize covered = MAX(MIN(len, (gsize)h.file_size), sizeof h);
      h.checksum = zhseg_image_checksum((const guint8 *)copy, covered);
      memcpy(copy, &h, sizeof h);
    }
  }
  g_file_set_contents(path, copy, (gssize)len, NULL);
  g_free(copy);
  ZhsegDict *d = zhseg_dict_open(path, NULL);
  if (d != NULL) {
    ZhsegSegmenter *seg = zhseg_segmenter_new(d, ZHSEG_MODE_PRECISE, 0);
    GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
    const char *text = "社区网格员开展志愿服务，刘玉梅2018年APP";
    zhseg_segmenter_cut(seg, text, strlen(text), tokens);
    zhseg_dict_lookup(d, "社区", -1, NULL, NULL);
    g_array_free(tokens, TRUE);
    zhseg_segmenter_free(seg);
    zhseg_dict_unref(d);
  }
  return 0;
}
