/* Smallest use of libzhseg: segment each line of stdin and print
 * word/tag pairs. Build: cc segment.c $(pkg-config --cflags --libs zhseg) */
#include <stdio.h>
#include <string.h>
#include <zhseg.h>

int main(void)
{
  GError *error = NULL;
  ZhsegDict *dict = zhseg_dict_open(NULL, &error); /* the default image */
  if (dict == NULL) {
    fprintf(stderr, "%s\n", error->message);
    g_error_free(error);
    return 1;
  }
  ZhsegSegmenter *seg = zhseg_segmenter_new(dict, ZHSEG_MODE_PRECISE, 0);
  GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
  char line[65536];
  while (fgets(line, sizeof line, stdin) != NULL) {
    g_array_set_size(tokens, 0);
    zhseg_segmenter_cut(seg, line, strlen(line), tokens);
    for (guint i = 0; i < tokens->len; i++) {
      const ZhsegToken *t = &g_array_index(tokens, ZhsegToken, i);
      if (t->type == ZHSEG_TOKEN_SPACE)
        continue;
      printf("%.*s/%s ", (int)(t->end - t->start), line + t->start, zhseg_dict_tag_name(dict, t->tag));
    }
    putchar('\n');
  }
  g_array_free(tokens, TRUE);
  zhseg_segmenter_free(seg);
  zhseg_dict_unref(dict);
  return 0;
}
