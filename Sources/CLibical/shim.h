#ifndef DRILLCAL_CLIBICAL_SHIM_H
#define DRILLCAL_CLIBICAL_SHIM_H

#include <stdlib.h>
#include <libical/ical.h>

/* icalerrno is a macro over a per-thread location; Swift cannot import it. */
static inline icalerrorenum drillcal_icalerrno(void) { return icalerrno; }
static inline void drillcal_icalerrno_clear(void) { icalerrno = ICAL_NO_ERROR; }

/* BY* lists are fixed C arrays (tuples in Swift); scanning them is simpler here.
   True when any BYDAY entry carries an ordinal such as 2MO or -1SU. */
static inline int drillcal_recur_has_ordinal_byday(const struct icalrecurrencetype *rule) {
    for (int i = 0; i < ICAL_BY_DAY_SIZE && rule->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
        if (icalrecurrencetype_day_position(rule->by_day[i]) != 0) {
            return 1;
        }
    }
    return 0;
}

/* icalrecurrencetype_from_string mallocs rscale and never frees it (valgrind shows the leak). */
static inline void drillcal_recur_free_rscale(struct icalrecurrencetype *rule) {
    free(rule->rscale);
    rule->rscale = NULL;
}

#endif
