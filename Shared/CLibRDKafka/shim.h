#ifndef GBM_CLIBRDKAFKA_SHIM_H
#define GBM_CLIBRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#endif
