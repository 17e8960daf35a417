// Test helpers for sentiment: a random tiny text model over a few words, synthetic reviews
// whose label is the side of their one sentiment word, and a small model fine-tuned on them
// (shared by the text and serve tests).
#ifndef TAILOR_TEXT_SENTIMENT_TEST_UTIL_H_
#define TAILOR_TEXT_SENTIMENT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "text/bert_test_util.h"
#include "text/sentiment_model.h"
#include "text/text_pretrain.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {

inline const std::vector<std::string> kPositive = {"good", "great", "love"};
inline const std::vector<std::string> kNegative = {"bad", "awful", "broken"};
inline const std::vector<std::string> kFiller = {"the", "shoe", "hat", "strap", "color", "size", "was", "is"};

inline std::string Vocab() {
  std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  for (const auto* words : {&kPositive, &kNegative, &kFiller}) {
    for (const std::string& word : *words) vocab += word + "\n";
  }
  return vocab;
}

// A text model with random weights over the words above.
inline std::unique_ptr<TextModel> RandomTextModel() {
  auto tokenizer = WordPieceTokenizer::FromVocab(Vocab(), /*lower_case=*/true);
  EXPECT_TRUE(tokenizer.ok());
  BertConfig config = TinyBertConfig();
  config.vocab_size = (*tokenizer)->vocab_size();
  config.hidden = 16;
  config.intermediate = 32;
  config.max_positions = 12;
  BertWeights weights = RandomBertWeights(config, 3);
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    if (!ref.name.ends_with("LayerNorm.weight")) {
      for (float& value : *ref.values) value *= 0.1f;  // BERT-like scale, trainable
    }
  }
  auto encoder = BertEncoder::Create(std::move(weights));
  EXPECT_TRUE(encoder.ok());
  auto model = TextModel::Create(std::move(*tokenizer), std::move(*encoder), BertPooling::kMean);
  EXPECT_TRUE(model.ok());
  return std::move(*model);
}

// Texts of filler words with one sentiment word somewhere; the label is that word's side.
inline void SentimentTexts(int count, uint64_t seed, std::vector<std::string>* texts, std::vector<int32_t>* labels) {
  std::mt19937_64 rng(seed);
  for (int idx = 0; idx < count; ++idx) {
    const int32_t label = static_cast<int32_t>(rng() % 2);
    const auto& side = label == 1 ? kPositive : kNegative;
    std::vector<std::string> words;
    for (int word = 0; word < 4; ++word) words.push_back(kFiller[rng() % kFiller.size()]);
    words.insert(words.begin() + static_cast<int64_t>(rng() % 5), side[rng() % side.size()]);
    std::string text;
    for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
    texts->push_back(text);
    labels->push_back(label);
  }
}

// A negative/positive model fine-tuned on 400 synthetic texts (about 0.4 s); null on failure.
inline std::unique_ptr<SentimentModel> TrainTinySentimentModel() {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  SentimentTexts(400, 1, &texts, &labels);
  SentimentTrainOptions options;
  options.epochs = 6;
  options.learning_rate = 2e-3;
  options.batch_texts = 16;
  options.threads = 1;
  auto model = FineTuneSentiment(*RandomTextModel(), texts, labels, {"negative", "positive"}, options);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? std::move(*model) : nullptr;
}

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTIMENT_TEST_UTIL_H_
