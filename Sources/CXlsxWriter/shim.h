#ifndef DRILLCAL_CXLSXWRITER_SHIM_H
#define DRILLCAL_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
