/* zhseg analyze: placeholder until its issue lands. */
#include "cli/cli.h"

int cli_cmd_analyze(int argc, char **argv)
{
  fprintf(stderr, "zhseg analyze: not built yet\n");
  return 2;
}
