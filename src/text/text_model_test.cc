#include "text/text_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "status_matchers.h"
#include "text/bert_test_util.h"
#include "text/safetensors.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kVocab[] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nred\nshoe\nblue\nhat\n##s\nthe\na\n";

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

nlohmann::json HfConfig(const BertConfig& config) {
  return {{"architectures", {"BertForMaskedLM"}}, {"model_type", "bert"},
          {"hidden_act", "gelu"}, {"vocab_size", config.vocab_size},
          {"hidden_size", config.hidden}, {"num_hidden_layers", config.layers},
          {"num_attention_heads", config.heads}, {"intermediate_size", config.intermediate},
          {"max_position_embeddings", config.max_positions},
          {"type_vocab_size", config.type_vocab_size}, {"layer_norm_eps", 1e-12}};
}

class TextModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tailor_text_model_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    weights_ = RandomBertWeights(TinyBertConfig(), 11);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The layout of a BertForMaskedLM checkpoint: "bert." names, the embedding LayerNorm under
  // its TensorFlow names gamma/beta, plus tensors tailor ignores (pooler, MLM head).
  void WriteHfModel(const fs::path& dir, bool cls_pooling) {
    WriteFile(dir / "config.json", HfConfig(weights_.config).dump());
    WriteFile(dir / "vocab.txt", kVocab);
    if (cls_pooling) WriteFile(dir / "1_Pooling/config.json", R"({"pooling_mode_cls_token": true})");
    std::vector<NamedTensor> named;
    for (const BertTensorRef& ref : BertTensorRefs(&weights_)) {
      std::string name = "bert." + ref.name;
      if (name == "bert.embeddings.LayerNorm.weight") name = "bert.embeddings.LayerNorm.gamma";
      if (name == "bert.embeddings.LayerNorm.bias") name = "bert.embeddings.LayerNorm.beta";
      named.push_back({name, ref.shape, *ref.values});
    }
    extra_ = std::vector<float>(weights_.config.vocab_size, 0.5f);
    named.push_back({"cls.predictions.bias", {weights_.config.vocab_size}, extra_});
    ASSERT_TRUE(WriteSafeTensors((dir / "model.safetensors").string(), named).ok());
  }

  // The reference: the same weights and vocabulary used directly.
  std::vector<float> DirectEmbedding(const std::string& text, BertPooling pooling) {
    auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, true);
    auto encoder = BertEncoder::Create(weights_);
    std::vector<float> out(weights_.config.hidden);
    EXPECT_TRUE(encoder->Embed(EncodeForEncoder(**tokenizer, text, weights_.config.max_positions),
                               pooling, true, out)
                    .ok());
    return out;
  }

  fs::path dir_;
  BertWeights weights_;
  std::vector<float> extra_;
};

TEST_F(TextModelTest, LoadsAHuggingFaceDirectory) {
  WriteHfModel(dir_, /*cls_pooling=*/true);
  auto model = TextModel::Load(dir_.string());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->tokenizer().kind(), "wordpiece");
  EXPECT_EQ((*model)->pooling(), BertPooling::kCls);
  EXPECT_EQ((*model)->dim(), 8);
  std::vector<float> embedding(8);
  ASSERT_TRUE((*model)->Embed("Red SHOES", embedding).ok());
  EXPECT_THAT(embedding, ::testing::Pointwise(::testing::FloatNear(1e-6),
                                              DirectEmbedding("red shoes", BertPooling::kCls)));
  double norm = 0.0;
  for (float value : embedding) norm += value * value;
  EXPECT_NEAR(norm, 1.0, 1e-5);
}

TEST_F(TextModelTest, SaveThenLoadKeepsEveryBit) {
  WriteHfModel(dir_ / "source", /*cls_pooling=*/false);
  auto model = TextModel::Load((dir_ / "source").string());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->pooling(), BertPooling::kMean);
  ASSERT_TRUE((*model)->Save((dir_ / "copy").string()).ok());
  ASSERT_TRUE((*model)->Save((dir_ / "copy").string()).ok());  // replaces the first copy
  auto copy = TextModel::Load((dir_ / "copy").string());
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  auto all = (*model)->EmbedAll({"blue hat", "", "the red shoe"}, 2);
  auto all_copy = (*copy)->EmbedAll({"blue hat", "", "the red shoe"}, 1);
  ASSERT_TRUE(all.ok() && all_copy.ok());
  ASSERT_EQ(all->rows(), 3);
  for (int32_t row = 0; row < 3; ++row) {
    for (int32_t col = 0; col < 8; ++col) EXPECT_EQ(all->row(row)[col], all_copy->row(row)[col]);
  }
  EXPECT_THAT(std::vector<float>(all->row(0), all->row(0) + 8),
              ::testing::Pointwise(::testing::FloatNear(1e-6),
                                   DirectEmbedding("blue hat", BertPooling::kMean)));
  EXPECT_FALSE(fs::exists(dir_ / ("copy.tmp-" + std::to_string(::getpid()))));
}

TEST_F(TextModelTest, BadDirectoriesNameTheFileAndField) {
  EXPECT_THAT(TextModel::Load((dir_ / "missing").string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("not a model directory")));
  WriteHfModel(dir_, false);

  nlohmann::json roberta = HfConfig(weights_.config);
  roberta["model_type"] = "roberta";
  WriteFile(dir_ / "config.json", roberta.dump());
  EXPECT_THAT(TextModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("model_type 'roberta'")));

  nlohmann::json wide = HfConfig(weights_.config);
  wide["hidden_size"] = 16;
  WriteFile(dir_ / "config.json", wide.dump());
  EXPECT_THAT(TextModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("bert.embeddings.word_embeddings.weight")));

  nlohmann::json no_heads = HfConfig(weights_.config);
  no_heads.erase("num_attention_heads");
  WriteFile(dir_ / "config.json", no_heads.dump());
  EXPECT_THAT(TextModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("config.json: missing field 'num_attention_heads'")));

  nlohmann::json shallow = HfConfig(weights_.config);
  shallow["num_hidden_layers"] = 3;
  WriteFile(dir_ / "config.json", shallow.dump());
  EXPECT_THAT(TextModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("encoder.layer.2.")));

  WriteFile(dir_ / "config.json", HfConfig(weights_.config).dump());
  fs::remove(dir_ / "vocab.txt");
  EXPECT_THAT(TextModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("no tokenizer")));
}

}  // namespace
}  // namespace tailor
