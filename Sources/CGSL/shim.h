#ifndef MANIFOLDLAB_CGSL_SHIM_H
#define MANIFOLDLAB_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_log.h>
#include <gsl/gsl_sf_exp.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_qrng.h>

/// GSL's generator types are C globals; Swift 6 refuses to read those directly, so read them here.
static inline const gsl_rng_type *manifoldlab_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_qrng_type *manifoldlab_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_integration_fixed_type *manifoldlab_fixed_hermite(void) { return gsl_integration_fixed_hermite; }

#endif
