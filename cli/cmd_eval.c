#include "cli/cli.h"
int cli_cmd_eval(int argc, char **argv) { fprintf(stderr, "zhseg eval: not built yet\n"); return 2; }
