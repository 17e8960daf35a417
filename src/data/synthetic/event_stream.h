// The event stream of the synthetic shop: schedules every user's sessions over the time
// window and streams their events to events.csv, never holding more than one session.
//
// Each user returns at a Poisson rate proportional to their activity, scaled so the expected
// number of sessions yields `num_events` (the mean events per session is measured first on a
// pilot run with its own random stream). Sessions are simulated in order of start time (a
// heap of users' next visits), so the file is nearly chronological and each user's events are
// strictly ordered; the stream stops at exactly `num_events` rows. Not thread-safe.
#ifndef TAILOR_DATA_SYNTHETIC_EVENT_STREAM_H_
#define TAILOR_DATA_SYNTHETIC_EVENT_STREAM_H_

#include <array>
#include <cstdint>
#include <string>

#include "data/synthetic/session_simulator.h"

namespace tailor::synthetic {

struct EventStreamStats {
  int64_t events = 0;
  int64_t sessions = 0;
  std::array<int64_t, kNumEventKinds> by_kind{};
  int64_t first_timestamp = 0;
  int64_t last_timestamp = 0;
  int64_t bytes = 0;
};

// Writes events.csv (header user_id,item_id,type,timestamp,value,text,session_id,event_id;
// ids u<n>, i<n>, s<n>, e<n> counting from 1). Reports progress as stage "events".
// Errors: kUnavailable naming the file.
StatusOr<EventStreamStats> WriteEventsCsv(const ShopOptions& options, const ShopCatalog& catalog,
                                          const ShopPopulation& population, const std::string& path,
                                          const ProgressFn& progress);

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_EVENT_STREAM_H_
