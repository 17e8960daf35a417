// FlatStringSet: a set of strings looked up by std::string_view, for hot loops (the importers
// check every event's item id against it). Open addressing with linear probing over a
// power-of-two table of 8-byte slots (a 32-bit hash tag and an index into the string array),
// so a lookup touches the slot array and usually one string; no division, no node chasing.
// Strings are never removed. Not thread-safe.
#ifndef TAILOR_COMMON_FLAT_STRING_SET_H_
#define TAILOR_COMMON_FLAT_STRING_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tailor {

class FlatStringSet {
 public:
  FlatStringSet();

  // True when `text` is in the set.
  bool contains(std::string_view text) const;
  // Adds `text`; returns false when it was already there.
  bool insert(std::string_view text);
  size_t size() const { return strings_.size(); }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t index_plus_one = 0;  // 0 = empty
  };
  static uint64_t Hash(std::string_view text);
  // The slot holding `text`, or the empty slot where it would go.
  size_t FindSlot(std::string_view text, uint64_t hash) const;
  void Grow();

  std::vector<Slot> slots_;
  std::vector<std::string> strings_;
  size_t mask_;
};

}  // namespace tailor

#endif  // TAILOR_COMMON_FLAT_STRING_SET_H_
