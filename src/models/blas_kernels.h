// Which OpenBLAS kernels this process runs its matrix products with. OpenBLAS (Debian's
// build carries every x86-64 kernel set) picks one when it loads, from the CPU or from the
// OPENBLAS_CORETYPE environment variable; an AVX2 set on a CPU with AVX-512 runs the
// sequential models' output layer at a little over half speed (measured on an AVX-512 EPYC,
// a [512 x 64] x [64 x 18,357] product: 80 GFLOP/s with Haswell's kernels, 135 with
// Cooperlake's, one thread). tailor leaves the choice to OpenBLAS and to the user; it reports
// it, and warns when an environment setting holds the kernels below what the CPU supports.
#ifndef TAILOR_MODELS_BLAS_KERNELS_H_
#define TAILOR_MODELS_BLAS_KERNELS_H_

#include <nlohmann/json.hpp>
#include <string>

namespace tailor {

// {"library": "OpenBLAS", "kernels": e.g. "Cooperlake", "coretype_env": the
// OPENBLAS_CORETYPE value or null, "cpu_avx512": bool}, for benchmark reports.
nlohmann::json BlasKernelsJson();

// A one-line warning when OPENBLAS_CORETYPE names an AVX2-only (or older) kernel set on a CPU
// with AVX-512 (F, BW, VL, DQ), else "". Thread-safe.
std::string BlasKernelsWarning();

// The rule of BlasKernelsWarning: `coretype_env` (null = unset) and the kernels OpenBLAS
// chose, as openblas_get_corename names them.
std::string BlasKernelsWarningFor(const char* coretype_env, const std::string& kernels,
                                  bool cpu_avx512);

// Sets OpenBLAS's (process-wide) thread count for one scope and restores it after. Not
// thread-safe: one scope at a time per process.
class ScopedBlasThreads {
 public:
  explicit ScopedBlasThreads(int threads);
  ~ScopedBlasThreads();
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

 private:
  int saved_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_BLAS_KERNELS_H_
