#include "common/thread_pool.h"

#include <algorithm>

namespace tailor {

int ResolveThreadCount(int threads) {
  if (threads > 0) return threads;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

ThreadPool::ThreadPool(int threads) : size_(ResolveThreadCount(threads)) {
  threads_.reserve(static_cast<size_t>(size_ - 1));
  for (int worker = 1; worker < size_; ++worker) {
    threads_.emplace_back([this, worker] { WorkerLoop(worker); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void ThreadPool::RunChunks(int worker) {
  for (;;) {
    int64_t begin;
    {
      // A mutex rather than an atomic keeps the bookkeeping simple; chunks are coarse enough
      // that the lock is never the bottleneck.
      std::lock_guard<std::mutex> lock(mu_);
      begin = next_;
      if (begin >= count_) return;
      next_ = std::min(count_, begin + grain_);
    }
    int64_t end = std::min(count_, begin + grain_);
    for (int64_t index = begin; index < end; ++index) (*fn_)(index, worker);
  }
}

void ThreadPool::WorkerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    RunChunks(worker);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    done_cv_.notify_all();
  }
}

void ThreadPool::ParallelFor(int64_t count, const ParallelFn& fn, int64_t grain) {
  if (count <= 0) return;
  if (grain < 1) grain = 1;
  if (size_ == 1 || count <= grain) {
    for (int64_t index = 0; index < count; ++index) fn(index, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = &fn;
    count_ = count;
    grain_ = grain;
    next_ = 0;
    busy_ = size_ - 1;
    ++generation_;
  }
  work_cv_.notify_all();
  RunChunks(0);
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return busy_ == 0; });
  fn_ = nullptr;
}

void ParallelFor(int threads, int64_t count, const ParallelFn& fn, int64_t grain) {
  if (ResolveThreadCount(threads) == 1 || count <= grain) {
    for (int64_t index = 0; index < count; ++index) fn(index, 0);
    return;
  }
  ThreadPool pool(threads);
  pool.ParallelFor(count, fn, grain);
}

}  // namespace tailor
