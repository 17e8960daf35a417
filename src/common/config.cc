#include "common/config.h"

#include <fstream>
#include <sstream>

namespace tailor {
namespace {

Status FieldError(const std::string& source, const std::string& field, const std::string& why) {
  return InvalidArgumentError(source + ": field '" + field + "': " + why);
}

}  // namespace

std::string Config::StoreUri() const { return store.empty() ? data_dir + "/tailor.db" : store; }

std::string Config::ModelsDir() const { return data_dir + "/models"; }

namespace {
// A path of the config: absolute or empty as given, otherwise under data_dir.
std::string UnderDataDir(const std::string& data_dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return data_dir + "/" + path;
}
}  // namespace

std::string Config::TextModelDir() const { return UnderDataDir(data_dir, server.text_model); }

std::string Config::SentimentModelDir() const { return UnderDataDir(data_dir, server.sentiment_model); }

nlohmann::json Config::ModelParams(const std::string& model) const {
  auto it = models.find(model);
  return it == models.end() ? nlohmann::json::object() : it->second;
}

StatusOr<Config> ParseConfig(const std::string& text, const std::string& source) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    return InvalidArgumentError(source + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) return InvalidArgumentError(source + ": expected a JSON object");
  Config config;
  try {
    for (const auto& [key, value] : root.items()) {
      if (key == "data_dir" || key == "store") {
        if (!value.is_string()) return FieldError(source, key, "expected a string");
        (key == "data_dir" ? config.data_dir : config.store) = value.get<std::string>();
      } else if (key == "event_types") {
        if (!value.is_array()) return FieldError(source, key, "expected an array");
        for (size_t pos = 0; pos < value.size(); ++pos) {
          const auto& t = value[pos];
          std::string field = key + "[" + std::to_string(pos) + "]";
          if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) {
            return FieldError(source, field, "expected {\"name\": ..., \"weight\": ...}");
          }
          EventTypeSpec spec;
          spec.name = t["name"].get<std::string>();
          if (t.contains("weight")) {
            if (!t["weight"].is_number()) return FieldError(source, field + ".weight", "expected a number");
            spec.weight = t["weight"].get<float>();
          }
          if (t.contains("negative")) {
            if (!t["negative"].is_boolean()) return FieldError(source, field + ".negative", "expected true or false");
            spec.negative = t["negative"].get<bool>();
          }
          config.event_types.push_back(spec);
        }
      } else if (key == "user_fields") {
        if (!value.is_array()) return FieldError(source, key, "expected an array");
        for (size_t pos = 0; pos < value.size(); ++pos) {
          const auto& f = value[pos];
          std::string field = key + "[" + std::to_string(pos) + "]";
          if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) {
            return FieldError(source, field, "expected {\"name\": ..., \"personal\": ...}");
          }
          UserField uf;
          uf.name = f["name"].get<std::string>();
          uf.type = f.value("type", std::string("string"));
          if (uf.type != "string" && uf.type != "number" && uf.type != "bool") {
            return FieldError(source, field + ".type", "expected string, number or bool");
          }
          uf.personal = f.value("personal", false);
          config.user_fields.push_back(uf);
        }
      } else if (key == "models") {
        if (!value.is_object()) return FieldError(source, key, "expected an object");
        for (const auto& [model, params] : value.items()) {
          if (!params.is_object()) return FieldError(source, key + "." + model, "expected an object");
          config.models[model] = params;
        }
      } else if (key == "server") {
        if (!value.is_object()) return FieldError(source, key, "expected an object");
        for (const auto& [skey, svalue] : value.items()) {
          if (skey == "host" || skey == "text_model" || skey == "sentiment_model") {
            if (!svalue.is_string()) {
              return FieldError(source, "server." + skey, "expected a string");
            }
            (skey == "host"         ? config.server.host
             : skey == "text_model" ? config.server.text_model
                                    : config.server.sentiment_model) = svalue.get<std::string>();
          } else if (skey == "port" || skey == "history_limit") {
            int hi = skey == "port" ? 65535 : 100000;
            if (!svalue.is_number_integer() || svalue.get<int>() < 1 || svalue.get<int>() > hi) {
              return FieldError(source, "server." + skey,
                                "expected an integer in 1.." + std::to_string(hi));
            }
            (skey == "port" ? config.server.port : config.server.history_limit) = svalue.get<int>();
          } else if (skey == "new_item_slots") {
            if (!svalue.is_number_integer() || svalue.get<int64_t>() < 0 ||
                svalue.get<int64_t>() > 1000) {
              return FieldError(source, "server." + skey, "expected an integer in 0..1000");
            }
            config.server.new_item_slots = svalue.get<int>();
          } else {
            return FieldError(source, "server." + skey, "unknown field");
          }
        }
      } else {
        return FieldError(source, key, "unknown field (known: data_dir, store, event_types, "
                                       "user_fields, models, server)");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(source + ": " + e.what());
  }
  return config;
}

StatusOr<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError("cannot open config file '" + path + "'");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), path);
}

}  // namespace tailor
