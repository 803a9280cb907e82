#ifndef DRILLCAL_CQRENCODE_SHIM_H
#define DRILLCAL_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
