#include "common/flat_string_set.h"

#include <cstring>

namespace tailor {
namespace {

constexpr size_t kInitialSlots = 64;

}  // namespace

FlatStringSet::FlatStringSet() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

uint64_t FlatStringSet::Hash(std::string_view text) {
  // FNV-1a over 8-byte words, then a murmur3 finalizer so low bits (the slot) mix well.
  uint64_t hash = 0xcbf29ce484222325ULL ^ text.size();
  size_t pos = 0;
  for (; pos + 8 <= text.size(); pos += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    hash = (hash ^ word) * 0x100000001b3ULL;
  }
  uint64_t tail = 0;
  if (pos < text.size()) std::memcpy(&tail, text.data() + pos, text.size() - pos);
  hash = (hash ^ tail) * 0x100000001b3ULL;
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash;
}

size_t FlatStringSet::FindSlot(std::string_view text, uint64_t hash) const {
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t slot = hash & mask_;
  while (true) {
    const Slot& candidate = slots_[slot];
    if (candidate.index_plus_one == 0) return slot;
    if (candidate.tag == tag && strings_[candidate.index_plus_one - 1] == text) return slot;
    slot = (slot + 1) & mask_;
  }
}

bool FlatStringSet::contains(std::string_view text) const {
  return slots_[FindSlot(text, Hash(text))].index_plus_one != 0;
}

bool FlatStringSet::insert(std::string_view text) {
  const uint64_t hash = Hash(text);
  size_t slot = FindSlot(text, hash);
  if (slots_[slot].index_plus_one != 0) return false;
  // Keep the load factor under 1/2 so probe runs stay short.
  if ((strings_.size() + 1) * 2 > slots_.size()) {
    Grow();
    slot = FindSlot(text, hash);
  }
  strings_.emplace_back(text);
  slots_[slot] = Slot{static_cast<uint32_t>(hash >> 32), static_cast<uint32_t>(strings_.size())};
  return true;
}

void FlatStringSet::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.index_plus_one == 0) continue;
    size_t target = Hash(strings_[slot.index_plus_one - 1]) & mask_;
    while (slots_[target].index_plus_one != 0) target = (target + 1) & mask_;
    slots_[target] = slot;
  }
}

}  // namespace tailor
