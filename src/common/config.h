// Config: the one configuration file format of tailor (JSON), read by every subcommand and
// the server. Every field has a default, so an absent file means "all defaults".
//
//   {
//     "data_dir": "tailor-data",            // store: <data_dir>/tailor.db, models: <data_dir>/models
//     "store": "",                          // optional store URI overriding <data_dir>/tailor.db
//     "event_types": [{"name": "wishlist", "weight": 2, "negative": false}],
//     "user_fields": [{"name": "email", "type": "string", "personal": true}],
//     "models": {"item-knn": {"neighbors": 100, "shrink": 10}},
//     "server": {"host": "127.0.0.1", "port": 8080, "history_limit": 200, "new_item_slots": 1,
//                "text_model": "enc",           // text model folder for /search (optional)
//                "sentiment_model": "sent"}     // review sentiment for /items (optional)
//   }
#ifndef TAILOR_COMMON_CONFIG_H_
#define TAILOR_COMMON_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
#include "tailor/types.h"

namespace tailor {

struct ServerConfig {
  std::string host = "127.0.0.1";  // loopback unless the shop opens it on purpose
  int port = 8080;
  int history_limit = 200;         // most recent events read per /recommend
  int new_item_slots = 1;          // places of a /recommend list open to items added since the
                                   // model was trained (rank/new_items.h), 0..1000
  std::string text_model;          // text model directory for /search's dense channel (a
                                   // relative path is under data_dir); empty = BM25 only
  std::string sentiment_model;     // SentimentModel directory for GET /items/{id}'s review
                                   // sentiment (relative = under data_dir); empty = counts only
};

struct Config {
  std::string data_dir = "tailor-data";
  std::string store;                             // empty = <data_dir>/tailor.db
  std::vector<EventTypeSpec> event_types;        // registered in addition to the built-ins
  std::vector<UserField> user_fields;            // empty = keep the store's schema
  std::map<std::string, nlohmann::json> models;  // model name -> params object
  ServerConfig server;

  std::string StoreUri() const;
  std::string ModelsDir() const;
  // server.text_model resolved against data_dir; "" when not set.
  std::string TextModelDir() const;
  // server.sentiment_model resolved the same way.
  std::string SentimentModelDir() const;
  // Params for a model: the config's object for it, or {}.
  nlohmann::json ModelParams(const std::string& model) const;
};

// Parses a config file. Errors: kNotFound (no file), kInvalidArgument naming the file and the
// field ("tailor.json: field 'server.port': expected an integer in 1..65535").
StatusOr<Config> LoadConfig(const std::string& path);
// Parses config JSON text; `source` names it in errors.
StatusOr<Config> ParseConfig(const std::string& text, const std::string& source);

}  // namespace tailor

#endif  // TAILOR_COMMON_CONFIG_H_
