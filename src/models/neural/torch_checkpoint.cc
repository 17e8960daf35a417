#include "models/neural/torch_checkpoint.h"

#include <filesystem>

namespace tailor {

void SaveTorchCheckpoint(const std::string& path, int64_t version, uint64_t fingerprint,
                         torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                         const CheckpointFields& fields,
                         const std::vector<torch::Tensor>& best_parameters) {
  torch::serialize::OutputArchive archive;
  archive.write("version", torch::tensor(version));
  archive.write("fingerprint", torch::tensor(static_cast<int64_t>(fingerprint)));
  for (const auto& field : fields.ints_) archive.write(field.name, torch::tensor(field.get()));
  for (const auto& [name, value] : fields.doubles_) {
    archive.write(name, torch::tensor(*value, torch::kDouble));
  }
  archive.write("generator", torch::globalContext().defaultGenerator(torch::kCPU).get_state());
  torch::serialize::OutputArchive model_archive, optimizer_archive, best_archive;
  net.save(model_archive);
  optimizer.save(optimizer_archive);
  for (size_t idx = 0; idx < best_parameters.size(); ++idx) {
    best_archive.write(std::to_string(idx), best_parameters[idx]);
  }
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("best", best_archive);
  const std::string temp = path + ".tmp";
  archive.save_to(temp);
  std::filesystem::rename(temp, path);
}

bool LoadTorchCheckpoint(const std::string& path, int64_t version, uint64_t fingerprint,
                         torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                         const CheckpointFields& fields,
                         std::vector<torch::Tensor>* best_parameters) {
  if (!std::filesystem::exists(path)) return false;
  torch::serialize::InputArchive archive;
  archive.load_from(path);
  auto read = [&](const std::string& key) {
    torch::Tensor value;
    archive.read(key, value);
    return value;
  };
  if (read("version").item<int64_t>() != version ||
      static_cast<uint64_t>(read("fingerprint").item<int64_t>()) != fingerprint) {
    return false;
  }
  for (const auto& field : fields.ints_) field.set(read(field.name).item<int64_t>());
  for (const auto& [name, value] : fields.doubles_) *value = read(name).item<double>();
  at::Generator generator = torch::globalContext().defaultGenerator(torch::kCPU);
  generator.set_state(read("generator"));
  torch::serialize::InputArchive model_archive, optimizer_archive, best_archive;
  archive.read("model", model_archive);
  archive.read("optimizer", optimizer_archive);
  archive.read("best", best_archive);
  net.load(model_archive);
  optimizer.load(optimizer_archive);
  best_parameters->clear();
  for (size_t idx = 0; idx < net.parameters().size(); ++idx) {
    torch::Tensor parameter;
    if (!best_archive.try_read(std::to_string(idx), parameter)) break;
    best_parameters->push_back(parameter);
  }
  return true;
}

}  // namespace tailor
