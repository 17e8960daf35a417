#include "tailor/types.h"

namespace tailor {

std::vector<EventTypeSpec> BuiltinEventTypes() {
  return {
      {"view", 1.0f, false},     {"click", 2.0f, false},   {"add_to_cart", 3.0f, false},
      {"remove_from_cart", 0.0f, false}, {"purchase", 5.0f, false}, {"rating", 1.0f, false},
      {"review", 1.0f, false},   {"return", 0.0f, true},
  };
}

std::vector<UserField> DefaultUserFields() {
  return {{"age", "number", true}, {"gender", "string", true}, {"region", "string", true}};
}

}  // namespace tailor
