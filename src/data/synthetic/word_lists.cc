#include "data/synthetic/word_lists.h"

namespace tailor::synthetic {
namespace {

// Hand-aligned data tables: one category per block.
// clang-format off
constexpr TopCategoryWords kTopCategories[] = {
    {"Home", 35.0, 45.0, 0.2,
     {{{"Kitchen", {{{"Knives", "Knife", "knife"},
                     {"Pans", "Frying Pan", "pan"},
                     {"Cutting Boards", "Cutting Board", "cutting board"}}}},
       {"Bedding", {{{"Duvets", "Duvet", "duvet"},
                     {"Pillows", "Pillow", "pillow"},
                     {"Bed Sheets", "Sheet Set", "sheet set"}}}},
       {"Decor", {{{"Vases", "Vase", "vase"},
                   {"Candles", "Scented Candle", "candle"},
                   {"Mirrors", "Wall Mirror", "mirror"}}}},
       {"Bath", {{{"Towels", "Towel Set", "towel set"},
                  {"Bath Mats", "Bath Mat", "bath mat"},
                  {"Soap Dispensers", "Soap Dispenser", "soap dispenser"}}}}}},
     {"oak", "stainless steel", "linen", "ceramic", "bamboo", "cast iron"},
     {"a lifetime warranty", "dishwasher-safe parts", "a hand-finished surface",
      "easy-care materials", "a space-saving design", "sustainably sourced materials"}},
    {"Fashion", 45.0, 30.0, 0.5,
     {{{"Tops", {{{"T-Shirts", "T-Shirt", "t-shirt"},
                  {"Sweaters", "Sweater", "sweater"},
                  {"Blouses", "Blouse", "blouse"}}}},
       {"Bottoms", {{{"Jeans", "Jeans", "pair of jeans"},
                     {"Skirts", "Skirt", "skirt"},
                     {"Chinos", "Chinos", "pair of chinos"}}}},
       {"Shoes", {{{"Sneakers", "Sneakers", "pair of sneakers"},
                   {"Boots", "Ankle Boots", "pair of boots"},
                   {"Sandals", "Sandals", "pair of sandals"}}}},
       {"Accessories", {{{"Belts", "Belt", "belt"},
                         {"Scarves", "Scarf", "scarf"},
                         {"Hats", "Hat", "hat"}}}}}},
     {"cotton", "merino wool", "leather", "linen", "denim", "cashmere"},
     {"a relaxed fit", "reinforced seams", "a soft brushed lining", "free returns within 30 days",
      "a tailored cut", "fabric from certified mills"}},
    {"Electronics", 120.0, 32.0, -0.5,
     {{{"Audio", {{{"Headphones", "Headphones", "pair of headphones"},
                   {"Speakers", "Bluetooth Speaker", "speaker"},
                   {"Earbuds", "Earbuds", "set of earbuds"}}}},
       {"Computing", {{{"Laptops", "Laptop", "laptop"},
                       {"Keyboards", "Keyboard", "keyboard"},
                       {"Monitors", "Monitor", "monitor"}}}},
       {"Phones", {{{"Smartphones", "Smartphone", "phone"},
                    {"Phone Cases", "Phone Case", "phone case"},
                    {"Chargers", "Fast Charger", "charger"}}}},
       {"Photo", {{{"Cameras", "Camera", "camera"},
                   {"Lenses", "Lens", "lens"},
                   {"Tripods", "Tripod", "tripod"}}}}}},
     {"aluminium", "matte plastic", "glass", "recycled plastic", "carbon fibre", "silicone"},
     {"a two-year warranty", "USB-C charging", "a 20-hour battery", "low-latency Bluetooth 5.3",
      "a companion app", "firmware updates over the air"}},
    {"Beauty", 18.0, 30.0, 0.8,
     {{{"Skin", {{{"Face Masks", "Face Mask", "face mask"},
                  {"Moisturisers", "Moisturiser", "moisturiser"},
                  {"Serums", "Serum", "serum"}}}},
       {"Hair", {{{"Shampoos", "Shampoo", "shampoo"},
                  {"Conditioners", "Conditioner", "conditioner"},
                  {"Hair Oils", "Hair Oil", "hair oil"}}}},
       {"Makeup", {{{"Lipsticks", "Lipstick", "lipstick"},
                    {"Mascaras", "Mascara", "mascara"},
                    {"Foundations", "Foundation", "foundation"}}}},
       {"Fragrance", {{{"Perfumes", "Eau de Parfum", "perfume"},
                       {"Body Mists", "Body Mist", "body mist"},
                       {"Deodorants", "Deodorant", "deodorant"}}}}}},
     {"aloe vera", "shea butter", "argan oil", "vitamin C", "hyaluronic acid", "rose water"},
     {"a dermatologist-tested formula", "a fragrance-free option", "recyclable packaging",
      "vegan ingredients", "a travel-size bottle", "no parabens"}},
    {"Sports", 40.0, 33.0, -0.2,
     {{{"Fitness", {{{"Yoga Mats", "Yoga Mat", "yoga mat"},
                     {"Dumbbells", "Dumbbell Set", "dumbbell set"},
                     {"Resistance Bands", "Resistance Band", "resistance band"}}}},
       {"Cycling", {{{"Bike Helmets", "Bike Helmet", "helmet"},
                     {"Bike Lights", "Bike Light", "bike light"},
                     {"Cycling Gloves", "Cycling Gloves", "pair of gloves"}}}},
       {"Running", {{{"Running Shoes", "Running Shoes", "pair of running shoes"},
                     {"Running Jackets", "Running Jacket", "jacket"},
                     {"Water Bottles", "Water Bottle", "water bottle"}}}},
       {"Outdoor", {{{"Tents", "Tent", "tent"},
                     {"Backpacks", "Backpack", "backpack"},
                     {"Sleeping Bags", "Sleeping Bag", "sleeping bag"}}}}}},
     {"neoprene", "nylon", "ripstop", "steel", "recycled polyester", "cork"},
     {"reflective details", "a breathable mesh", "a non-slip grip", "a carry strap",
      "a water-repellent finish", "an ergonomic shape"}},
    {"Toys", 25.0, 38.0, 0.1,
     {{{"Building", {{{"Building Sets", "Building Set", "building set"},
                      {"Marble Runs", "Marble Run", "marble run"},
                      {"Magnetic Tiles", "Magnetic Tiles", "set of magnetic tiles"}}}},
       {"Games", {{{"Board Games", "Board Game", "board game"},
                   {"Puzzles", "Puzzle", "puzzle"},
                   {"Card Games", "Card Game", "card game"}}}},
       {"Plush", {{{"Teddy Bears", "Teddy Bear", "teddy bear"},
                   {"Plush Animals", "Plush Animal", "plush animal"},
                   {"Puppets", "Hand Puppet", "puppet"}}}},
       {"Outdoor Play", {{{"Scooters", "Kick Scooter", "scooter"},
                          {"Kites", "Kite", "kite"},
                          {"Sandpit Toys", "Sandpit Set", "sandpit set"}}}}}},
     {"beech wood", "recycled plastic", "felt", "cardboard", "organic cotton", "maple"},
     {"rounded safe edges", "non-toxic paints", "a storage bag", "parts for ages 3 and up",
      "an illustrated guide", "replacement parts on request"}},
    {"Garden", 30.0, 55.0, 0.0,
     {{{"Tools", {{{"Pruning Shears", "Pruning Shears", "pair of pruning shears"},
                   {"Spades", "Spade", "spade"},
                   {"Rakes", "Rake", "rake"}}}},
       {"Plants", {{{"Seeds", "Seed Collection", "seed collection"},
                    {"Bulbs", "Flower Bulbs", "bag of bulbs"},
                    {"Herb Kits", "Herb Kit", "herb kit"}}}},
       {"Furniture", {{{"Garden Chairs", "Garden Chair", "garden chair"},
                       {"Parasols", "Parasol", "parasol"},
                       {"Loungers", "Sun Lounger", "lounger"}}}},
       {"Watering", {{{"Hoses", "Garden Hose", "hose"},
                      {"Watering Cans", "Watering Can", "watering can"},
                      {"Sprinklers", "Sprinkler", "sprinkler"}}}}}},
     {"teak", "galvanised steel", "rattan", "terracotta", "aluminium", "acacia"},
     {"weather-resistant coating", "a rust-proof frame", "a soft-grip handle",
      "a fold-flat design", "UV-stable colours", "a ten-year guarantee"}},
    {"Books", 15.0, 50.0, 0.3,
     {{{"Fiction", {{{"Novels", "Novel", "novel"},
                     {"Thrillers", "Thriller", "thriller"},
                     {"Fantasy", "Fantasy Novel", "fantasy novel"}}}},
       {"Non-Fiction", {{{"Biographies", "Biography", "biography"},
                         {"History", "History Book", "history book"},
                         {"Science", "Science Book", "science book"}}}},
       {"Children", {{{"Picture Books", "Picture Book", "picture book"},
                      {"Early Readers", "Early Reader", "early reader"},
                      {"Activity Books", "Activity Book", "activity book"}}}},
       {"Cooking", {{{"Cookbooks", "Cookbook", "cookbook"},
                     {"Baking", "Baking Book", "baking book"},
                     {"Vegetarian", "Vegetarian Cookbook", "vegetarian cookbook"}}}}}},
     {"hardcover", "paperback", "illustrated", "large print", "first edition", "pocket"},
     {"a ribbon bookmark", "an author interview", "full-colour photographs", "an index",
      "a foreword by the editor", "FSC-certified paper"}},
    {"Grocery", 8.0, 40.0, 0.1,
     {{{"Coffee & Tea", {{{"Coffee Beans", "Coffee Beans", "bag of coffee"},
                          {"Green Teas", "Green Tea", "green tea"},
                          {"Espresso Pods", "Espresso Pods", "box of pods"}}}},
       {"Pantry", {{{"Olive Oils", "Olive Oil", "olive oil"},
                    {"Pasta", "Pasta", "pasta"},
                    {"Spices", "Spice Blend", "spice blend"}}}},
       {"Snacks", {{{"Chocolate", "Chocolate Bar", "chocolate bar"},
                    {"Crisps", "Crisps", "bag of crisps"},
                    {"Nut Mixes", "Nut Mix", "nut mix"}}}},
       {"Drinks", {{{"Juices", "Juice", "juice"},
                    {"Sparkling Water", "Sparkling Water", "sparkling water"},
                    {"Craft Sodas", "Craft Soda", "soda"}}}}}},
     {"organic", "fair-trade", "single-origin", "Italian", "roasted", "artisanal"},
     {"a resealable pack", "no added sugar", "a best-before date a year out",
      "ingredients from small farms", "a gluten-free recipe", "a recyclable tin"}},
    {"Pets", 20.0, 42.0, 0.2,
     {{{"Dogs", {{{"Dog Beds", "Dog Bed", "dog bed"},
                  {"Leashes", "Dog Leash", "leash"},
                  {"Dog Food", "Dog Food", "bag of dog food"}}}},
       {"Cats", {{{"Cat Trees", "Cat Tree", "cat tree"},
                  {"Cat Toys", "Cat Toy", "cat toy"},
                  {"Cat Litter", "Cat Litter", "bag of litter"}}}},
       {"Fish", {{{"Aquariums", "Aquarium", "aquarium"},
                  {"Fish Food", "Fish Food", "tub of fish food"},
                  {"Filters", "Aquarium Filter", "filter"}}}},
       {"Birds", {{{"Bird Feeders", "Bird Feeder", "bird feeder"},
                   {"Bird Seed", "Bird Seed", "bag of seed"},
                   {"Bird Cages", "Bird Cage", "cage"}}}}}},
     {"organic", "washable fabric", "natural rubber", "grain-free", "stainless steel", "sisal"},
     {"a machine-washable cover", "vet-approved ingredients", "a non-slip base",
      "a chew-resistant build", "easy cleaning", "a resealable bag"}},
};

constexpr std::string_view kAdjectives[] = {
    "Classic", "Compact", "Premium", "Essential", "Everyday", "Deluxe", "Modern", "Elegant",
    "Rustic", "Nordic", "Soft", "Pro", "Lightweight", "Durable", "Vintage", "Smart", "Urban",
    "Natural"};
constexpr std::string_view kColours[] = {
    "black", "white", "grey", "navy", "olive", "sand", "crème", "bordeaux", "sage",
    "terracotta", "ivory", "charcoal", "rosé", "cobalt"};
constexpr std::string_view kBrandStarts[] = {
    "Vel", "Nor", "Lum", "Kas", "Bri", "Ald", "Mon", "Tor", "Fen", "Sol", "Ros", "Hal",
    "Dun", "Mar", "Zel", "Ost", "Ery", "Pal", "Quin", "Wes", "Ami", "Bel", "Cor", "Dal",
    "Fal", "Gal", "Hel", "Ivo", "Jan", "Kel"};
constexpr std::string_view kBrandMiddles[] = {"ri", "ba", "lo", "ne", "ta", "vi", "mo", "sa",
                                              "ke", "du"};
constexpr std::string_view kBrandEnds[] = {
    "ora", "heim", "ex", "ia", "ano", "ström", "à", "ette", "ix", "wood", "berg", "ly", "ique",
    "en", "aro", "ell", "ona", "ika", "us", "ère"};
constexpr std::string_view kRegions[] = {
    "Bayern", "Île-de-France", "Lombardia", "Cataluña", "Noord-Holland", "Wien", "Zürich",
    "Skåne", "Dublin", "Mazowieckie", "Lisboa", "Berlin"};
constexpr std::string_view kDescriptionClosings[] = {
    "Designed for everyday use.", "Ships within two working days.",
    "A thoughtful gift for friends and family.", "Made to last for years.",
    "Part of our bestselling range.", "Crafted in small batches."};

constexpr std::string_view kPositiveOpenings[] = {
    "Absolutely love this {noun}!", "Excellent {noun}, exactly as described.",
    "Great {noun} for the price.", "Perfect {noun}, I would buy it again.",
    "This {noun} is a great find."};
constexpr std::string_view kPositiveDetails[] = {
    "The quality is excellent and it arrived quickly.", "Works perfectly and looks great.",
    "I recommend it to anyone looking for a {noun}.", "My family loves it too.",
    "Great value and perfect quality."};
constexpr std::string_view kNeutralOpenings[] = {
    "The {noun} is okay.", "Decent {noun}, nothing special.", "An average {noun} overall.",
    "It is an okay {noun} for the money."};
constexpr std::string_view kNeutralDetails[] = {
    "It does the job but the finish could be better.",
    "Delivery took a while and the quality is as expected.", "Fine for everyday use.",
    "Average quality, decent price."};
constexpr std::string_view kNegativeOpenings[] = {
    "Disappointed with this {noun}.", "Poor quality {noun}.",
    "Terrible {noun}, I would not buy it again.", "Very disappointed, the {noun} is not as shown."};
constexpr std::string_view kNegativeDetails[] = {
    "It broke after a week.", "It looks nothing like the pictures, poor finish.",
    "I sent it back and asked for a refund.", "Terrible customer service as well."};
constexpr std::string_view kReviewCaveats[] = {
    "Only wish it came in more colours.", "Shipping was a little slow.",
    "The packaging could be smaller.", "It runs a bit small."};
// clang-format on

}  // namespace

std::span<const TopCategoryWords> TopCategories() { return kTopCategories; }
std::span<const std::string_view> Adjectives() { return kAdjectives; }
std::span<const std::string_view> Colours() { return kColours; }
std::span<const std::string_view> BrandStarts() { return kBrandStarts; }
std::span<const std::string_view> BrandMiddles() { return kBrandMiddles; }
std::span<const std::string_view> BrandEnds() { return kBrandEnds; }
std::span<const std::string_view> Regions() { return kRegions; }
std::span<const std::string_view> DescriptionClosings() { return kDescriptionClosings; }
std::span<const std::string_view> ReviewCaveats() { return kReviewCaveats; }

std::span<const std::string_view> ReviewOpenings(ReviewTone tone) {
  switch (tone) {
    case ReviewTone::kNegative:
      return kNegativeOpenings;
    case ReviewTone::kNeutral:
      return kNeutralOpenings;
    case ReviewTone::kPositive:
      break;
  }
  return kPositiveOpenings;
}

std::span<const std::string_view> ReviewDetails(ReviewTone tone) {
  switch (tone) {
    case ReviewTone::kNegative:
      return kNegativeDetails;
    case ReviewTone::kNeutral:
      return kNeutralDetails;
    case ReviewTone::kPositive:
      break;
  }
  return kPositiveDetails;
}

}  // namespace tailor::synthetic
