// Per-epoch training checkpoints of the libtorch trainers (sequence_trainer_torch.cc,
// text/text_pretrain_torch.cc): the module, the optimizer, the global CPU generator, the best
// epoch's parameters and the trainer's named scalars, in one torch archive written atomically
// (temp file + rename). Includes <torch/...>: include it from *torch*.cc files only.
#ifndef TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_
#define TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace tailor {

// The scalars of a trainer's state, each named once: Save reads them, Load writes them. The
// pointers borrow the caller's state, which must outlive the fields.
class CheckpointFields {
 public:
  CheckpointFields& Int(std::string name, int* value) { return Add(std::move(name), value); }
  CheckpointFields& Int(std::string name, int64_t* value) { return Add(std::move(name), value); }
  CheckpointFields& Double(std::string name, double* value) {
    doubles_.emplace_back(std::move(name), value);
    return *this;
  }

 private:
  friend void SaveTorchCheckpoint(const std::string&, int64_t, uint64_t, torch::nn::Module&,
                                  torch::optim::Optimizer&, const CheckpointFields&,
                                  const std::vector<torch::Tensor>&);
  friend bool LoadTorchCheckpoint(const std::string&, int64_t, uint64_t, torch::nn::Module&,
                                  torch::optim::Optimizer&, const CheckpointFields&,
                                  std::vector<torch::Tensor>*);
  template <typename T>
  CheckpointFields& Add(std::string name, T* value) {
    ints_.push_back({std::move(name), [value] { return static_cast<int64_t>(*value); },
                     [value](int64_t read) { *value = static_cast<T>(read); }});
    return *this;
  }
  struct IntField {
    std::string name;
    std::function<int64_t()> get;
    std::function<void(int64_t)> set;
  };
  std::vector<IntField> ints_;
  std::vector<std::pair<std::string, double*>> doubles_;
};

// Writes `path`: `version` and `fingerprint` (what identifies the run), then the fields.
void SaveTorchCheckpoint(const std::string& path, int64_t version, uint64_t fingerprint,
                         torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                         const CheckpointFields& fields,
                         const std::vector<torch::Tensor>& best_parameters);

// Loads `path` into net, optimizer, the CPU generator, the fields and *best_parameters.
// Returns false, touching nothing, when there is no file or its version / fingerprint differ
// from the expected ones. Throws what libtorch throws for a corrupt file.
bool LoadTorchCheckpoint(const std::string& path, int64_t version, uint64_t fingerprint,
                         torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                         const CheckpointFields& fields,
                         std::vector<torch::Tensor>* best_parameters);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_TORCH_CHECKPOINT_H_
