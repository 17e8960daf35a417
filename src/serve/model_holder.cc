#include "serve/model_holder.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

namespace tailor {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kArtifactExtension = ".tmodel";

struct Candidate {
  std::string path;
  std::string name;
  int64_t mtime_ns = 0;
};

int64_t MtimeNs(const fs::file_time_type& time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

bool NewerThan(const Candidate& a, const Candidate& b) {
  if (a.mtime_ns != b.mtime_ns) return a.mtime_ns > b.mtime_ns;
  return a.name > b.name;
}

StatusOr<Candidate> NewestCandidate(const std::string& models_dir) {
  const std::string no_model = "no trained model in '" + models_dir + "'; run `tailor train` first";
  std::error_code ec;
  if (!fs::is_directory(models_dir, ec)) return NotFoundError(no_model);
  fs::directory_iterator it(models_dir, ec);
  if (ec)
    return UnavailableError("cannot read models directory '" + models_dir + "': " + ec.message());
  std::optional<Candidate> best;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      return UnavailableError("cannot read models directory '" + models_dir + "': " + ec.message());
    }
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    if (name.size() <= kArtifactExtension.size() || !name.ends_with(kArtifactExtension)) continue;
    std::error_code entry_ec;
    if (!entry.is_regular_file(entry_ec)) continue;
    auto mtime = entry.last_write_time(entry_ec);
    if (entry_ec) continue;  // removed between listing and stat
    Candidate candidate{entry.path().string(), std::move(name), MtimeNs(mtime)};
    if (!best || NewerThan(candidate, *best)) best = std::move(candidate);
  }
  if (!best) return NotFoundError(no_model);
  return *best;
}

std::string UtcStamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%S", &utc);
  return buf;
}

}  // namespace

LogFn StderrLog() {
  return [](std::string_view line) {
    std::fprintf(stderr, "tailor serve: %.*s\n", static_cast<int>(line.size()), line.data());
  };
}

std::string NewArtifactPath(const std::string& models_dir, const std::string& model_name) {
  const fs::path base = fs::path(models_dir) / (model_name + "-" + UtcStamp());
  std::string path = base.string() + std::string(kArtifactExtension);
  std::error_code ec;
  for (int attempt = 2; fs::exists(path, ec); ++attempt) {
    path = base.string() + "-" + std::to_string(attempt) + std::string(kArtifactExtension);
  }
  return path;
}

StatusOr<std::string> NewestArtifact(const std::string& models_dir) {
  ASSIGN_OR_RETURN(Candidate newest, NewestCandidate(models_dir));
  return newest.path;
}

ModelHolder::ModelHolder(std::string models_dir, LogFn log)
    : models_dir_(std::move(models_dir)), log_(log ? std::move(log) : StderrLog()) {}

std::shared_ptr<const ModelGeneration> ModelHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Status ModelHolder::LastError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_status_;
}

StatusOr<bool> ModelHolder::Reload() {
  std::lock_guard<std::mutex> reload_lock(reload_mu_);
  auto swapped = ReloadLocked();
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_status_ = swapped.status();
  }
  if (swapped.ok()) {
    last_error_.clear();
  } else if (std::string error = swapped.status().ToString(); error != last_error_) {
    // Logged once per distinct failure so that polling a broken directory does not flood.
    last_error_ = error;
    log_(error);
  }
  return swapped;
}

StatusOr<bool> ModelHolder::ReloadLocked() {
  ASSIGN_OR_RETURN(Candidate newest, NewestCandidate(models_dir_));
  std::shared_ptr<const ModelGeneration> current = Current();
  if (current && current->file == newest.path && current->file_mtime_ns == newest.mtime_ns) {
    return false;
  }
  // A broken artifact is loaded once per version (path + mtime), not at every poll.
  const std::string key = newest.path + "@" + std::to_string(newest.mtime_ns);
  if (key == failed_key_) return failed_status_;
  auto loaded = LoadModel(newest.path);
  if (!loaded.ok()) {
    failed_key_ = key;
    failed_status_ =
        loaded.status().WithContext("cannot load model '" + newest.path + "'" +
                                    (current ? " (still serving '" + current->file + "')" : ""));
    return failed_status_;
  }
  auto next = std::make_shared<ModelGeneration>();
  next->model = std::shared_ptr<const Recommender>(std::move(loaded).value());
  next->file = newest.path;
  next->file_mtime_ns = newest.mtime_ns;
  next->generation = current ? current->generation + 1 : 1;
  log_("serving model " + next->model->name() + " from '" + next->file + "' (generation " +
       std::to_string(next->generation) + ")");
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(next);
  }
  return true;
}

}  // namespace tailor
