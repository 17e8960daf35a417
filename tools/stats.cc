// tailor stats: what the store holds.
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "tools/cli.h"

namespace tailor::cli {
namespace {

std::string FormatTime(int64_t ts) {
  std::time_t t = static_cast<std::time_t>(ts);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", std::gmtime(&t));
  return buf;
}

Status RunStats(const GlobalOptions& global) {
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  ASSIGN_OR_RETURN(StoreStats stats, store->Stats());
  ASSIGN_OR_RETURN(auto types, store->EventTypes());
  ASSIGN_OR_RETURN(auto fields, store->UserFields());
  std::printf("store   %s\n", config.StoreUri().c_str());
  std::printf("users   %lld\n", static_cast<long long>(stats.users));
  std::printf("items   %lld (%lld in stock)\n", static_cast<long long>(stats.items),
              static_cast<long long>(stats.in_stock_items));
  std::printf("events  %lld\n", static_cast<long long>(stats.events));
  if (stats.events > 0) {
    std::printf("time    %s .. %s UTC (unix %lld .. %lld)\n", FormatTime(stats.first_timestamp).c_str(),
                FormatTime(stats.last_timestamp).c_str(),
                static_cast<long long>(stats.first_timestamp),
                static_cast<long long>(stats.last_timestamp));
  }
  std::printf("\nevent type        weight  negative  events\n");
  for (size_t type_idx = 0; type_idx < types.size(); ++type_idx) {
    std::printf("%-16s %7.2f  %-8s  %lld\n", types[type_idx].name.c_str(), types[type_idx].weight,
                types[type_idx].negative ? "yes" : "no",
                static_cast<long long>(stats.events_by_type[type_idx].second));
  }
  std::printf("\nuser field        type     personal data\n");
  for (const auto& field : fields) {
    std::printf("%-16s  %-7s  %s\n", field.name.c_str(), field.type.c_str(),
                field.personal ? "yes" : "no");
  }
  std::error_code ec;
  if (std::filesystem::is_directory(config.ModelsDir(), ec)) {
    std::printf("\nmodels in %s:\n", config.ModelsDir().c_str());
    for (const auto& entry : std::filesystem::directory_iterator(config.ModelsDir(), ec)) {
      if (entry.path().extension() == ".tmodel") {
        std::printf("  %s  (%.1f MiB)\n", entry.path().filename().c_str(),
                    static_cast<double>(entry.file_size()) / (1024.0 * 1024.0));
      }
    }
  }
  return OkStatus();
}

}  // namespace

void RegisterStats(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("stats", "Show what the store holds: counts, event types, user schema, models");
  cmd->callback([&] {
    Status status = RunStats(global);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
