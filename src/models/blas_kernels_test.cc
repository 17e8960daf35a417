#include "models/blas_kernels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::HasSubstr;

TEST(BlasKernelsTest, WarnsWhenTheVariableHoldsAvx2KernelsOnAnAvx512Cpu) {
  const std::string warning = BlasKernelsWarningFor("Haswell", "Haswell", true);
  EXPECT_THAT(warning, HasSubstr("OPENBLAS_CORETYPE=Haswell"));
  EXPECT_THAT(warning, HasSubstr("Unset it"));
}

TEST(BlasKernelsTest, SilentWhenOpenBlasChoseOrTheCpuCannotDoBetter) {
  EXPECT_EQ(BlasKernelsWarningFor(nullptr, "Haswell", true), "");     // OpenBLAS's own choice
  EXPECT_EQ(BlasKernelsWarningFor("Haswell", "Haswell", false), "");  // an AVX2-only CPU
  EXPECT_EQ(BlasKernelsWarningFor("SkylakeX", "SkylakeX", true), "");
  EXPECT_EQ(BlasKernelsWarningFor("Cooperlake", "Cooperlake", true), "");
}

TEST(BlasKernelsTest, ReportNamesTheKernelsInUse) {
  const nlohmann::json report = BlasKernelsJson();
  EXPECT_EQ(report["library"], "OpenBLAS");
  EXPECT_FALSE(report["kernels"].get<std::string>().empty());
  EXPECT_TRUE(report["cpu_avx512"].is_boolean());
}

}  // namespace
}  // namespace tailor
