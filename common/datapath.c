/* The one rule by which every data file is found (see zhseg_find_data_file). */
#include "common/private.h"

char *zhseg_find_data_file(const char *explicit_path, const char *env_var, const char *name,
                           GError **error)
{
  if (explicit_path != NULL) {
    if (g_file_test(explicit_path, G_FILE_TEST_IS_REGULAR))
      return g_strdup(explicit_path);
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND, "%s: no such file", explicit_path);
    return NULL;
  }
  const char *env = env_var != NULL ? g_getenv(env_var) : NULL;
  if (env != NULL && *env != '\0') {
    if (g_file_test(env, G_FILE_TEST_IS_REGULAR))
      return g_strdup(env);
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND, "%s (from $%s): no such file", env,
                env_var);
    return NULL;
  }
  g_return_val_if_fail(name != NULL, NULL);
  /* An absolute or explicitly relative name is a path, not a data-file name. */
  if (g_path_is_absolute(name) || g_str_has_prefix(name, "./") || g_str_has_prefix(name, "../")) {
    if (g_file_test(name, G_FILE_TEST_IS_REGULAR))
      return g_strdup(name);
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND, "%s: no such file", name);
    return NULL;
  }
  const char *dirs[] = {ZHSEG_BUILD_DATADIR, ZHSEG_INSTALL_DATADIR};
  for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
    char *path = g_build_filename(dirs[i], name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free(path);
  }
  g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_NOT_FOUND,
              "%s not found: looked in %s%s%s, %s, %s", name, env_var ? "$" : "",
              env_var ? env_var : "", env_var ? " (unset)" : "", ZHSEG_BUILD_DATADIR,
              ZHSEG_INSTALL_DATADIR);
  return NULL;
}
