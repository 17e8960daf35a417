#include "models/blas_kernels.h"

#include <cblas.h>

#include <cstdlib>
#include <set>


namespace tailor {
namespace {

bool CpuHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}

// OpenBLAS's x86-64 kernel sets with AVX-512 (names as openblas_get_corename prints them).
bool UsesAvx512(const std::string& kernels) {
  static const std::set<std::string> kAvx512 = {"SkylakeX", "Cooperlake", "SapphireRapids"};
  return kAvx512.count(kernels) > 0;
}

}  // namespace

nlohmann::json BlasKernelsJson() {
  const char* env = std::getenv("OPENBLAS_CORETYPE");
  return {{"library", "OpenBLAS"},
          {"kernels", openblas_get_corename()},
          {"coretype_env", env == nullptr ? nlohmann::json() : nlohmann::json(env)},
          {"cpu_avx512", CpuHasAvx512()}};
}

std::string BlasKernelsWarning() {
  return BlasKernelsWarningFor(std::getenv("OPENBLAS_CORETYPE"), openblas_get_corename(),
                               CpuHasAvx512());
}

std::string BlasKernelsWarningFor(const char* coretype_env, const std::string& kernels,
                                  bool cpu_avx512) {
  if (coretype_env == nullptr || UsesAvx512(kernels) || !cpu_avx512) return "";
  return "warning: OPENBLAS_CORETYPE=" + std::string(coretype_env) + " holds OpenBLAS to its " + kernels +
         " kernels on a CPU with AVX-512: model training runs its matrix products at about "
         "half speed. Unset it (or set OPENBLAS_CORETYPE=SkylakeX) to use the CPU's vector "
         "width.";
}

ScopedBlasThreads::ScopedBlasThreads(int threads) : saved_(openblas_get_num_threads()) {
  openblas_set_num_threads(threads);
}

ScopedBlasThreads::~ScopedBlasThreads() { openblas_set_num_threads(saved_); }

}  // namespace tailor
