/* zhseg normalize: placeholder until its issue lands. */
#include "cli/cli.h"

int cli_cmd_normalize(int argc, char **argv)
{
  fprintf(stderr, "zhseg normalize: not built yet\n");
  return 2;
}
