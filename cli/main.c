/* zhseg: the command-line front end. Dispatches to one sub-command per file. */
#include "cli/cli.h"

#include <locale.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  {"cut", cli_cmd_cut, "segment text into words (files, folders or stdin)"},
  {"analyze", cli_cmd_analyze, "rank terms and governance concepts across articles"},
  {"normalize", cli_cmd_normalize, "decode and clean text, keeping a map to the original bytes"},
  {"eval", cli_cmd_eval, "score a segmentation against a gold standard (SIGHAN bakeoff)"},
  {"dict", cli_cmd_dict, "build, inspect and query dictionary images"},
};

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: zhseg COMMAND [OPTION...] [FILE...]\n\n"
          "Chinese word segmentation and term statistics.\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nRun 'zhseg COMMAND --help' for a command's options.\n"
          "Data files (dictionary image, IDF table, stop words, lexicons) are found by\n"
          "one rule: the explicit option (e.g. --dict FILE), then the environment\n"
          "variable (ZHSEG_DICT for the dictionary), then the build tree's\n"
          "share/zhseg/, then the installed share/zhseg/.\n\n"
          "Examples:\n"
          "  echo '我们在社区开展志愿服务' | zhseg cut\n"
          "  zhseg cut --format tsv examples/bulletins/000_52021f6d9e622ea6.txt\n"
          "  zhseg analyze --lexicon governance examples/bulletins/\n");
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("zhseg %s\n", zhseg_version());
    return 0;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "zhseg: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
