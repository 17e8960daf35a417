// ModelHolder: the model generation the server answers with, swapped whole when a newer
// artifact appears in the models directory.
//
// Artifacts are files named `<model>-<YYYYmmddTHHMMSS>.tmodel` (UTC) written by `tailor train`
// through SaveModel (temp file + rename, so a half-written artifact never matches). The newest
// artifact is the one with the latest modification time, ties broken by the greater name.
// The server calls Reload() from its poll thread and on POST /admin/reload.
// A generation is immutable: readers keep their shared_ptr for the whole request while a reload
// swaps in the next one. A failed load keeps the previous generation and is logged once per
// artifact version.
#ifndef TAILOR_SERVE_MODEL_HOLDER_H_
#define TAILOR_SERVE_MODEL_HOLDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

// Receives one log line (no trailing newline). Must be thread-safe.
using LogFn = std::function<void(std::string_view line)>;
// A LogFn that writes "tailor serve: <line>" to stderr.
LogFn StderrLog();

// A fresh artifact path for `model_name` in `models_dir`, stamped with the current UTC time:
// "<models_dir>/<model_name>-<YYYYmmddTHHMMSS>.tmodel". When that file already exists (two
// trainings within one second) a "-2", "-3", ... suffix is added before the extension. The
// directory is not created.
std::string NewArtifactPath(const std::string& models_dir, const std::string& model_name);

// The path of the newest artifact in `models_dir` (latest mtime, ties by greater name).
// Errors: kNotFound when the directory is missing or holds no *.tmodel file (the message says
// to run `tailor train`), kUnavailable when the directory cannot be read.
StatusOr<std::string> NewestArtifact(const std::string& models_dir);

// One loaded model and where it came from.
struct ModelGeneration {
  std::shared_ptr<const Recommender> model;  // never null
  std::string file;                          // artifact path
  int64_t file_mtime_ns = 0;                 // artifact modification time when loaded
  int64_t generation = 0;                    // 1 for the first model loaded, then 2, 3, ...
};

// Thread-safety: every method may be called from any thread.
class ModelHolder {
 public:
  // `log` receives load failures and swaps; empty = StderrLog().
  explicit ModelHolder(std::string models_dir, LogFn log = {});
  ModelHolder(const ModelHolder&) = delete;
  ModelHolder& operator=(const ModelHolder&) = delete;

  // The generation in service, or nullptr before any model was loaded. Cheap (a short lock
  // and a shared_ptr copy); the caller keeps the generation alive as long as it holds it.
  std::shared_ptr<const ModelGeneration> Current() const;

  // Loads the newest artifact when it differs (path or mtime) from the one in service and
  // swaps it in. Returns true when a new generation was swapped in, false when the newest
  // artifact is already in service. Errors: kNotFound when there is no artifact; the load
  // error (kDataLoss, kFailedPrecondition, ...) naming the file when the newest artifact cannot
  // be loaded; the previous generation stays in service then. Each distinct error is logged
  // once; a broken artifact is not loaded again until its mtime changes.
  StatusOr<bool> Reload();

  // The error of the last Reload() (OK when it succeeded or none ran yet), e.g. for telling a
  // client why no model is in service.
  Status LastError() const;

  const std::string& models_dir() const { return models_dir_; }

 private:
  StatusOr<bool> ReloadLocked();

  const std::string models_dir_;
  const LogFn log_;

  mutable std::mutex mu_;  // guards current_ and last_status_
  std::shared_ptr<const ModelGeneration> current_;
  Status last_status_;

  std::mutex reload_mu_;    // serializes Reload(); guards the fields below
  std::string failed_key_;  // "<path>@<mtime_ns>" of the last artifact that failed to load
  Status failed_status_;    // and its error
  std::string last_error_;  // the last error logged
};

}  // namespace tailor

#endif  // TAILOR_SERVE_MODEL_HOLDER_H_
