#include "cicu_shim.h"
#include <unicode/uversion.h>

int32_t hl_icu_version_major(void) { return U_ICU_VERSION_MAJOR_NUM; }
