// ThreadPool / ParallelFor: the one way tailor spreads a loop over cores (model fitting,
// evaluation). Work is handed out in chunks from a shared counter, so uneven items (a popular
// item with many co-occurrences) do not leave threads idle. Each call gets a worker number in
// [0, size()) so callers can keep per-thread scratch space (accumulators, RNG) without locks.
// Thread-safety: ParallelFor may be called from one thread at a time per pool.
#ifndef TAILOR_COMMON_THREAD_POOL_H_
#define TAILOR_COMMON_THREAD_POOL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tailor {

// The number of workers for a `threads` setting: 0 (or negative) = all cores
// (std::thread::hardware_concurrency(), at least 1).
int ResolveThreadCount(int threads);

// fn(index, worker) for one index; worker is in [0, pool size).
using ParallelFn = std::function<void(int64_t index, int worker)>;

class ThreadPool {
 public:
  // Starts ResolveThreadCount(threads) - 1 background threads; the calling thread of
  // ParallelFor is worker 0.
  explicit ThreadPool(int threads = 0);
  // Joins the background threads.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }

  // Runs fn(index, worker) once for every index in [0, count), in chunks of `grain` indexes,
  // and returns when all have run. Which worker runs which index is not deterministic, so
  // results must not depend on it. fn must not throw.
  void ParallelFor(int64_t count, const ParallelFn& fn, int64_t grain = 1);

 private:
  void WorkerLoop(int worker);
  void RunChunks(int worker);

  int size_ = 1;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  uint64_t generation_ = 0;  // bumped for each ParallelFor call
  int busy_ = 0;             // background workers still running the current call
  bool stop_ = false;
  // The current call (valid while busy_ > 0 or the caller runs chunks).
  const ParallelFn* fn_ = nullptr;
  int64_t count_ = 0;
  int64_t grain_ = 1;
  int64_t next_ = 0;  // guarded by mu_
};

// One-shot helper: a pool of `threads` (0 = all cores) for a single loop.
void ParallelFor(int threads, int64_t count, const ParallelFn& fn, int64_t grain = 1);

}  // namespace tailor

#endif  // TAILOR_COMMON_THREAD_POOL_H_
