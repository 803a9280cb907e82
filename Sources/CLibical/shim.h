#ifndef DRILLCAL_CLIBICAL_SHIM_H
#define DRILLCAL_CLIBICAL_SHIM_H

#include <libical/ical.h>

/* icalerrno is a macro over a per-thread location; Swift cannot import it. */
static inline icalerrorenum drillcal_icalerrno(void) { return icalerrno; }
static inline void drillcal_icalerrno_clear(void) { icalerrno = ICAL_NO_ERROR; }

#endif
