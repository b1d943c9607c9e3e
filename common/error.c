/* The ZHSEG_ERROR domain, the version call, and the one ICU-to-GError bridge. */
#include "common/private.h"

#include <unicode/utypes.h>

G_DEFINE_QUARK(zhseg-error-quark, zhseg_error)

const char *zhseg_version(void)
{
  return ZHSEG_VERSION_STRING;
}

gboolean zhseg_icu_failed(UErrorCode status, GError **error, const char *what)
{
  if (U_SUCCESS(status))
    return FALSE;
  g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_ICU, "%s: ICU error %s", what, u_errorName(status));
  return TRUE;
}
