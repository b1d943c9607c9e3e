/* Shared pieces of the zhseg program: one function per sub-command, and the
 * helpers several commands use (opening the dictionary, reading inputs). */
#ifndef ZHSEG_CLI_H
#define ZHSEG_CLI_H

#include "include/zhseg.h"

#include <stdio.h>

/* Each sub-command takes its own argv (argv[0] is the command name) and
 * returns the process exit status: 0 success, 1 failure, 2 usage error. */
int cli_cmd_dict(int argc, char **argv);
int cli_cmd_cut(int argc, char **argv);
int cli_cmd_eval(int argc, char **argv);
int cli_cmd_normalize(int argc, char **argv);
int cli_cmd_analyze(int argc, char **argv);

/* Opens the dictionary every segmenting command uses: `dict_path` (--dict) or
 * the default by the search rule, with `user_dicts` (--user-dict, may be NULL)
 * overlaid. Prints nothing; errors come back in `error`. */
ZhsegDict *cli_open_dict(const char *dict_path, char **user_dicts, GError **error);

/* Prints "zhseg: MESSAGE" on stderr and frees the error. Returns 1. */
int cli_fail(GError *error);

/* Parses `argv` with `context`, printing a usage error. Returns FALSE on error. */
gboolean cli_parse(GOptionContext *context, int *argc, char ***argv);

#endif
