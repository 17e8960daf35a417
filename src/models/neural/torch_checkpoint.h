// Per-epoch training checkpoints of the libtorch trainers (sequence_trainer_torch.cc,
// text/text_pretrain_torch.cc): the module, the optimizer, the global CPU generator, the best
// epoch's parameters and named scalars, in one torch archive written atomically (temp file +
// rename). Includes <torch/...>: include it from *torch*.cc files only.
#ifndef TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_
#define TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace tailor {

struct CheckpointScalars {
  std::map<std::string, int64_t> ints;     // stored as int64 scalar tensors under their names
  std::map<std::string, double> doubles;   // stored as double scalar tensors
};

// Writes `path` (ints "version" and "fingerprint" should be among the scalars).
void SaveTorchCheckpoint(const std::string& path, torch::nn::Module& net,
                         torch::optim::Optimizer& optimizer, const CheckpointScalars& scalars,
                         const std::vector<torch::Tensor>& best_parameters);

// Loads `path` into net, optimizer, the CPU generator, *best_parameters and the scalars whose
// names `scalars` already holds (their values are replaced). Returns false, touching nothing,
// when there is no file or its "version" / "fingerprint" differ from the expected ones.
// Throws what libtorch throws for a corrupt file.
bool LoadTorchCheckpoint(const std::string& path, int64_t version, uint64_t fingerprint,
                         torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                         CheckpointScalars* scalars, std::vector<torch::Tensor>* best_parameters);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_
