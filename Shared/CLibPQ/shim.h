#ifndef GBM_CLIBPQ_SHIM_H
#define GBM_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
