#ifndef MANIFOLDLAB_COPENBLAS_SHIM_H
#define MANIFOLDLAB_COPENBLAS_SHIM_H

/* The standard CBLAS ABI, declared by GSL's header (OpenBLAS's own cblas.h redefines CBLAS_ORDER
   next to GSL's). The modulemap links OpenBLAS, which then serves these symbols. */
#include <gsl/gsl_cblas.h>

/* OpenBLAS extensions (from its openblas_config.h / cblas.h). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);

#endif
