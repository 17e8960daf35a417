// tailor generate: write a synthetic shop (catalog, users, sessions of events, ratings,
// reviews) in tailor's own formats, ready for `tailor import`.
#include <cstdio>

#include "common/progress.h"
#include "data/synthetic/shop_generator.h"
#include "tools/cli.h"

namespace tailor::cli {
namespace {

struct GenerateArgs {
  std::string out = "shop";
  std::string preset = "small";
  int64_t seed = -1;
  int64_t items = -1;
  int64_t users = -1;
  int64_t events = -1;
};

Status RunGenerate(const GenerateArgs& args) {
  ASSIGN_OR_RETURN(ShopOptions options, ShopPreset(args.preset));
  if (args.seed >= 0) options.seed = static_cast<uint64_t>(args.seed);
  if (args.items > 0) options.num_items = static_cast<int32_t>(args.items);
  if (args.users > 0) options.num_users = static_cast<int32_t>(args.users);
  if (args.events > 0) options.num_events = args.events;
  ConsoleProgress progress;
  ASSIGN_OR_RETURN(ShopSummary summary, GenerateShop(options, args.out, progress.AsFn()));
  std::printf("generated shop '%s' (preset %s, seed %llu): %lld items, %lld users, %lld events\n",
              args.out.c_str(), args.preset.c_str(), static_cast<unsigned long long>(options.seed),
              static_cast<long long>(summary.items), static_cast<long long>(summary.users),
              static_cast<long long>(summary.events));
  for (const auto& [type, count] : summary.events_by_type) {
    std::printf("  %-16s %lld\n", type.c_str(), static_cast<long long>(count));
  }
  for (const auto& file : summary.files) std::printf("  wrote %s\n", file.c_str());
  return OkStatus();
}

}  // namespace

void RegisterGenerate(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static GenerateArgs args;
  auto* cmd = app.add_subcommand(
      "generate", "Generate a synthetic shop in tailor's formats (seedable)\n"
                  "  example: tailor generate --preset small --out shop --seed 7\n"
                  "Presets: tiny (tests), small (demo), medium, large (1M items, 10M events)");
  cmd->add_option("--out,-o", args.out, "Output folder")->default_val("shop");
  cmd->add_option("--preset", args.preset, "Size preset")->default_val("small");
  cmd->add_option("--seed", args.seed, "Random seed (default: the preset's)");
  cmd->add_option("--items", args.items, "Override the number of items");
  cmd->add_option("--users", args.users, "Override the number of users");
  cmd->add_option("--events", args.events, "Override the number of events");
  cmd->callback([&] {
    Status status = RunGenerate(args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
