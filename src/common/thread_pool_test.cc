#include "common/thread_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <vector>

namespace tailor {
namespace {

TEST(ThreadPoolTest, ZeroThreadsMeansAllCores) {
  EXPECT_GE(ResolveThreadCount(0), 1);
  EXPECT_EQ(ResolveThreadCount(3), 3);
  ThreadPool pool(0);
  EXPECT_EQ(pool.size(), ResolveThreadCount(0));
}

TEST(ThreadPoolTest, RunsEveryIndexExactlyOnce) {
  ThreadPool pool(4);
  for (int64_t grain : {1, 3, 1000}) {
    std::vector<std::atomic<int>> hits(1001);
    pool.ParallelFor(
        1001,
        [&](int64_t index, int worker) {
          ASSERT_GE(worker, 0);
          ASSERT_LT(worker, pool.size());
          hits[static_cast<size_t>(index)].fetch_add(1);
        },
        grain);
    for (size_t index = 0; index < hits.size(); ++index) {
      ASSERT_EQ(hits[index].load(), 1) << "index " << index << " grain " << grain;
    }
  }
}

TEST(ThreadPoolTest, ReusableAndEmptyLoops) {
  ThreadPool pool(3);
  std::atomic<int64_t> sum = 0;
  pool.ParallelFor(0, [&](int64_t, int) { sum += 1000; });
  for (int round = 0; round < 50; ++round) {
    pool.ParallelFor(100, [&](int64_t index, int) { sum += index; });
  }
  EXPECT_EQ(sum.load(), 50 * 4950);
}

TEST(ThreadPoolTest, OneShotHelperUsesDistinctWorkers) {
  std::vector<int64_t> per_worker(2, 0);
  ParallelFor(
      2, 10000, [&](int64_t index, int worker) { per_worker[worker] += index; }, 16);
  EXPECT_EQ(per_worker[0] + per_worker[1], 10000LL * 9999 / 2);
}

}  // namespace
}  // namespace tailor
