#include "tools/cli.h"

#include <cstdio>
#include <filesystem>

#include <sys/resource.h>

namespace tailor::cli {

StatusOr<Config> ResolveConfig(const GlobalOptions& global) {
  Config config;
  std::string path = global.config_path;
  if (path.empty()) {
    std::string dir = global.data_dir.empty() ? config.data_dir : global.data_dir;
    std::string candidate = dir + "/tailor.json";
    if (std::filesystem::exists(candidate)) path = candidate;
  }
  if (!path.empty()) {
    ASSIGN_OR_RETURN(config, LoadConfig(path));
  }
  if (!global.data_dir.empty()) config.data_dir = global.data_dir;
  return config;
}

StatusOr<std::unique_ptr<Store>> OpenConfiguredStore(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return UnavailableError("cannot create data directory '" + config.data_dir + "': " +
                            ec.message());
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(config.StoreUri()));
  if (!config.event_types.empty()) {
    WriteBatch batch;
    batch.event_types = config.event_types;
    RETURN_IF_ERROR(store->Write(batch).status().WithContext("registering event types"));
  }
  if (!config.user_fields.empty()) {
    RETURN_IF_ERROR(store->SetUserFields(config.user_fields));
  }
  return store;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAborted:
    case StatusCode::kDataLoss:
    case StatusCode::kOutOfRange:
      return kExitBadInput;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kFailedPrecondition: return kExitNotReady;
    default: return kExitError;
  }
}

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return ExitCodeFor(status);
}

double PeakRssMb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

}  // namespace tailor::cli
