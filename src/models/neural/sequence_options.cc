#include "models/neural/sequence_options.h"

namespace tailor {

StatusOr<SequenceModelOptions> SequenceModelOptions::FromJson(const nlohmann::json& params,
                                                              const SequenceModelOptions& defaults,
                                                              const std::string& model) {
  SequenceModelOptions options = defaults;
  const SequenceArch arch = defaults.arch;
  ParamReader reader(model, params);
  RETURN_IF_ERROR(reader.Int("dim", &options.dim, 8, 1024));
  RETURN_IF_ERROR(reader.Int("layers", &options.layers, 1, 16));
  RETURN_IF_ERROR(reader.Int("heads", &options.heads, 1, 64));
  RETURN_IF_ERROR(reader.Int("ffn_dim", &options.ffn_dim, 1, 16384));
  RETURN_IF_ERROR(reader.Int("max_len", &options.max_len, 2, 1024));
  RETURN_IF_ERROR(reader.Double("dropout", &options.dropout, 0.0, 0.9));
  RETURN_IF_ERROR(reader.Int("epochs", &options.epochs, 1, 10000));
  RETURN_IF_ERROR(reader.Int("patience", &options.patience, 0, 10000));
  RETURN_IF_ERROR(reader.Int("lr_patience", &options.lr_patience, 0, 10000));
  RETURN_IF_ERROR(reader.Int("batch_tokens", &options.batch_tokens, 64, 1000000));
  RETURN_IF_ERROR(reader.Double("learning_rate", &options.learning_rate, 1e-9, 10.0));
  RETURN_IF_ERROR(reader.Double("weight_decay", &options.weight_decay, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Int("warmup_steps", &options.warmup_steps, 0, 1000000));
  RETURN_IF_ERROR(reader.Bool("item_features", &options.item_features));
  RETURN_IF_ERROR(reader.Bool("item_vectors", &options.item_vectors));
  RETURN_IF_ERROR(reader.Double("id_dropout", &options.id_dropout, 0.0, 1.0));
  RETURN_IF_ERROR(reader.Int("negatives", &options.negatives, 0, 1000000));
  RETURN_IF_ERROR(reader.Int("validation_users", &options.validation_users, 0, 100000000));
  RETURN_IF_ERROR(reader.Int("threads", &options.threads, 0, 1024));
  RETURN_IF_ERROR(reader.Finish());
  if (arch == SequenceArch::kTransformer && options.dim % options.heads != 0) {
    return InvalidArgumentError(model + ": param 'heads': must divide dim (" +
                                std::to_string(options.dim) + "), got " +
                                std::to_string(options.heads));
  }
  return options;
}

nlohmann::json SequenceModelOptions::ToJson() const {
  nlohmann::json out = {{"dim", dim},
                        {"layers", layers},
                        {"max_len", max_len},
                        {"dropout", dropout},
                        {"epochs", epochs},
                        {"patience", patience},
                        {"lr_patience", lr_patience},
                        {"batch_tokens", batch_tokens},
                        {"learning_rate", learning_rate},
                        {"weight_decay", weight_decay},
                        {"warmup_steps", warmup_steps},
                        {"item_features", item_features},
                        {"item_vectors", item_vectors},
                        {"id_dropout", id_dropout},
                        {"negatives", negatives},
                        {"validation_users", validation_users},
                        {"threads", threads}};
  if (arch == SequenceArch::kTransformer) {
    out["heads"] = heads;
    out["ffn_dim"] = ffn_dim;
  }
  return out;
}

}  // namespace tailor
