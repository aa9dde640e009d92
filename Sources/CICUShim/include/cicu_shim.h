#ifndef CICU_SHIM_H
#define CICU_SHIM_H
/* ICU behind an ICU-free header: only <stdint.h> types cross this line,
   so Swift code that also imports Foundation never sees ICU's headers. */
#include <stdint.h>

/* The major version of the ICU library linked at build time. */
int32_t hl_icu_version_major(void);

#endif
