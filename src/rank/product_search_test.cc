#include "rank/product_search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "status_matchers.h"
#include "text/bert_test_util.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Prefers items by a fixed score, whoever asks.
class FixedModel final : public Recommender {
 public:
  explicit FixedModel(std::vector<float> scores) : scores_(std::move(scores)) {}
  std::string name() const override { return "fixed"; }
  nlohmann::json params() const override { return nlohmann::json::object(); }
  Status Fit(const UserHistories&, const FitOptions&) override { return OkStatus(); }
  int32_t num_items() const override { return static_cast<int32_t>(scores_.size()); }
  void Score(const Query&, std::span<float> scores) const override {
    for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) scores[item_idx] = scores_[item_idx];
  }
  void SimilarItems(int32_t, std::span<float> scores) const override { Score(Query{}, scores); }
  std::string Explain(const Query&, int32_t) const override { return ""; }
  Status SavePayload(BinaryWriter&) const override { return OkStatus(); }
  Status LoadPayload(BinaryReader&) override { return OkStatus(); }

 private:
  std::vector<float> scores_;
};

// 0 Acme red running shoe 30, 1 Zenith red running shoe 80, 2 Acme blue hat 15,
// 3 Zenith wool hat (no price), 4 Acme red shoe laces 5 (out of stock).
std::shared_ptr<const Catalog> Shop() {
  auto catalog = std::make_shared<Catalog>();
  catalog->item_ids = {"s1", "s2", "h1", "h2", "l1"};
  catalog->titles = {"Red running shoe", "Red running shoe", "Blue hat", "Wool hat",
                     "Red shoe laces"};
  catalog->brands = {"Acme", "Zenith", "Acme", "Zenith", "Acme"};
  catalog->prices = {30.0, 80.0, 15.0, std::nullopt, 5.0};
  catalog->in_stock = {1, 1, 1, 1, 0};
  catalog->category_names = {"Shoes", "Hats", "Accessories"};
  catalog->categories = {{0}, {0}, {1}, {1}, {2}};
  for (int32_t item_idx = 0; item_idx < catalog->size(); ++item_idx) {
    catalog->item_index[catalog->item_ids[item_idx]] = item_idx;
  }
  for (int32_t category = 0; category < 3; ++category) {
    catalog->category_index[catalog->category_names[category]] = category;
  }
  return catalog;
}

const std::vector<std::string> kTexts = {"Light shoe for road running", "Cushioned shoe",
                                         "Cotton cap", "Warm winter hat", "Spare laces"};

std::vector<int32_t> Items(const std::vector<SearchResult>& results) {
  std::vector<int32_t> items;
  for (const SearchResult& result : results) items.push_back(result.item);
  return items;
}

class ProductSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto search = ProductSearch::Create(Shop(), kTexts, nullptr, FactorMatrix(), {});
    ASSERT_TRUE(search.ok()) << search.status().ToString();
    search_ = std::move(search).value();
  }
  StatusOr<std::vector<SearchResult>> Run(std::string_view query, int n = 10,
                                          const Recommender* model = nullptr,
                                          Filters filters = {}) {
    static const std::vector<Interaction> kHistory = {Interaction{.item = 0}};
    SearchRequest request;
    request.query = query;
    request.model = model;
    request.user = Query{-1, kHistory};
    request.filters = std::move(filters);
    request.n = n;
    return search_->Search(request);
  }
  std::unique_ptr<ProductSearch> search_;
};

TEST_F(ProductSearchTest, LexicalMatchesWithReasons) {
  ASSERT_OK_AND_ASSIGN(auto results, Run("running shoes"));
  // Items 0 and 1 match both terms (ties by index), laces match "shoe" only.
  EXPECT_THAT(Items(results), ElementsAre(0, 1, 4));
  EXPECT_EQ(results[0].reason, "matches 'running', 'shoe'; in Shoes");
  EXPECT_GT(results[0].lexical, results[2].lexical);
  EXPECT_THAT(results[2].reason, HasSubstr("matches 'shoe'"));
}

TEST_F(ProductSearchTest, PriceBoundsAreHardFilters) {
  ASSERT_OK_AND_ASSIGN(auto under, Run("red shoe under $50"));
  EXPECT_THAT(Items(under), ElementsAre(0, 4));
  EXPECT_THAT(under[0].reason, HasSubstr("price 30, under 50"));
  // An item without a price never satisfies a bound.
  ASSERT_OK_AND_ASSIGN(auto hats, Run("hat over 10"));
  EXPECT_THAT(Items(hats), ElementsAre(2));
  // A bound alone lists everything within it.
  ASSERT_OK_AND_ASSIGN(auto cheap, Run("under 20"));
  EXPECT_THAT(Items(cheap), ElementsAre(2, 4));
  EXPECT_EQ(cheap[0].reason, "price 15, under 20");
}

TEST_F(ProductSearchTest, NamedBrandLiftsExplicitBrandFilters) {
  ASSERT_OK_AND_ASSIGN(auto named, Run("zenith running shoe"));
  EXPECT_EQ(named[0].item, 1);
  EXPECT_THAT(named[0].reason, HasSubstr("brand Zenith"));
  ASSERT_OK_AND_ASSIGN(auto required, Run("hat by acme"));
  EXPECT_THAT(Items(required), ElementsAre(2));
}

TEST_F(ProductSearchTest, BehaviourModelBreaksTextTies) {
  const FixedModel prefers_zenith({0.0f, 5.0f, 0.0f, 0.0f, 0.0f});
  ASSERT_OK_AND_ASSIGN(auto results, Run("red running shoe", 2, &prefers_zenith));
  EXPECT_THAT(Items(results), ElementsAre(1, 0));
  EXPECT_THAT(results[0].reason, HasSubstr("fits your history"));
  EXPECT_FLOAT_EQ(results[0].personal, 1.0f);
}

TEST_F(ProductSearchTest, BusinessFiltersApply) {
  Filters filters;
  filters.in_stock_only = true;
  filters.exclude_seen = true;  // the history holds item 0
  ASSERT_OK_AND_ASSIGN(auto results, Run("red shoe", 10, nullptr, filters));
  EXPECT_THAT(Items(results), ElementsAre(1));
  Filters unknown;
  unknown.categories = {"Boats"};
  EXPECT_THAT(Run("shoe", 10, nullptr, unknown),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown category 'Boats'")));
}

TEST_F(ProductSearchTest, NoMatchAndBadQueries) {
  ASSERT_OK_AND_ASSIGN(auto none, Run("submarine"));
  EXPECT_THAT(none, IsEmpty());
  EXPECT_THAT(Run("  "), StatusIs(StatusCode::kInvalidArgument, HasSubstr("no word")));
  EXPECT_THAT(search_->LexicalOnly("running", 10).size(), 2u);
}

TEST(ProductSearchDenseTest, DenseChannelScoresAreTheTextModelCosines) {
  constexpr char kVocab[] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nred\nshoe\nblue\nhat\n##s\nthe\na\n";
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, true);
  ASSERT_TRUE(tokenizer.ok());
  auto encoder = BertEncoder::Create(RandomBertWeights(TinyBertConfig(), 7));
  ASSERT_TRUE(encoder.ok());
  auto model = TextModel::Create(std::move(tokenizer).value(), std::move(encoder).value(),
                                 BertPooling::kMean);
  ASSERT_TRUE(model.ok());
  const std::vector<std::string> texts = {"red shoe", "blue hat", "the hat", "a shoe", "red"};
  ASSERT_OK_AND_ASSIGN(FactorMatrix embeddings, (*model)->EmbedAll(texts, 1));
  EXPECT_THAT(ProductSearch::Create(Shop(), texts, model->get(), FactorMatrix(2, 8), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected 5 x 8")));
  ASSERT_OK_AND_ASSIGN(auto search,
                       ProductSearch::Create(Shop(), texts, model->get(), embeddings, {}));
  SearchRequest request;
  request.query = "blue";
  request.n = 5;
  ASSERT_OK_AND_ASSIGN(auto results, search->Search(request));
  // Every item is a dense candidate (5 <= candidates); "blue" is in item 1's text and item 2's
  // title, so those two lead.
  ASSERT_EQ(results.size(), 5u);
  std::vector<float> query(8);
  ASSERT_TRUE((*model)->Embed("blue", query).ok());
  for (const SearchResult& result : results) {
    EXPECT_NEAR(result.dense, Dot(embeddings.row(result.item), query.data(), 8), 1e-5)
        << result.item;
  }
  EXPECT_THAT((std::vector<int32_t>{results[0].item, results[1].item}),
              ::testing::UnorderedElementsAre(1, 2));
  EXPECT_EQ(results[2].lexical, 0.0f);
}

}  // namespace
}  // namespace tailor
