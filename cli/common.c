/* Helpers shared by the sub-commands. */
#include "cli/cli.h"

ZhsegDict *cli_open_dict(const char *dict_path, char **user_dicts, GError **error)
{
  return zhseg_dict_open_with_user(dict_path, (const char *const *)user_dicts, error);
}

int cli_fail(GError *error)
{
  fprintf(stderr, "zhseg: %s\n", error != NULL ? error->message : "unknown error");
  g_clear_error(&error);
  return 1;
}

gboolean cli_parse(GOptionContext *context, int *argc, char ***argv)
{
  GError *error = NULL;
  if (!g_option_context_parse(context, argc, argv, &error)) {
    fprintf(stderr, "zhseg: %s\nTry '%s --help'.\n", error->message, (*argv)[0]);
    g_error_free(error);
    return FALSE;
  }
  return TRUE;
}
