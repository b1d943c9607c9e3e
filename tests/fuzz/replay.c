/* Runs a fuzz target over every file of its regression corpus, so the
 * targets are plain CTest tests without libFuzzer. */
#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  GDir *dir = g_dir_open(argv[1], 0, NULL);
  if (dir == NULL) {
    fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 1;
  }
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name(dir)) != NULL) {
    char *path = g_build_filename(argv[1], name, NULL);
    char *data;
    gsize len;
    if (g_file_get_contents(path, &data, &len, NULL)) {
      LLVMFuzzerTestOneInput((const guint8 *)data, len);
      g_free(data);
      n++;
    }
    g_free(path);
  }
  g_dir_close(dir);
  printf("replayed %u inputs from %s\n", n, argv[1]);
  return n > 0 ? 0 : 1;
}
