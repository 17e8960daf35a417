#include "data/synthetic/event_stream.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "data/synthetic/text_file_writer.h"

namespace tailor::synthetic {
namespace {

constexpr uint64_t kEventStream = 3;
constexpr uint64_t kPilotStream = 4;
constexpr int64_t kDay = 86400;
constexpr int64_t kMinSessionGap = 1800;  // a new session starts at least 30 minutes later
constexpr int32_t kPilotUsers = 400;
constexpr int32_t kPilotSessionsPerUser = 5;
constexpr int64_t kProgressEvery = 1 << 16;

// Mean events per session, measured by simulating a few sessions on a separate stream
// (includes the feedback events that follow purchases).
double MeasureEventsPerSession(const ShopOptions& options, const SessionSimulator& simulator) {
  ShopRandom rng(DeriveSeed(options.seed, kPilotStream));
  const int32_t pilot_users = std::min(kPilotUsers, options.num_users);
  SessionEvents session;
  int64_t events = 0;
  int64_t sessions = 0;
  for (int32_t user_idx = 0; user_idx < pilot_users; ++user_idx) {
    UserState state;
    int64_t now = options.start_time;
    for (int32_t session_idx = 0; session_idx < kPilotSessionsPerUser; ++session_idx) {
      now = simulator.Run(user_idx, now, state, rng, &session) + kDay;
      events += static_cast<int64_t>(session.events.size());
      ++sessions;
    }
  }
  return std::max(1.0, static_cast<double>(events) / static_cast<double>(sessions));
}

void WriteEvent(const ShopCatalog& catalog, const SessionEvents& session, const SimEvent& event,
                int32_t user_idx, int64_t session_number, int64_t event_number,
                TextFileWriter& out) {
  out.AppendId("u", user_idx + 1);
  out.AppendId(",i", catalog.items[event.item].number);
  out.Append(',');
  out.Append(EventKindName(event.kind));
  out.Append(',');
  out.AppendInt(event.timestamp);
  out.Append(',');
  if (event.value != 0) out.AppendInt(event.value);
  out.Append(',');
  if (event.text_end > event.text_begin) out.AppendCsvField(session.Text(event));
  out.AppendId(",s", session_number);
  out.AppendId(",e", event_number);
  out.Append('\n');
}

}  // namespace

StatusOr<EventStreamStats> WriteEventsCsv(const ShopOptions& options, const ShopCatalog& catalog,
                                          const ShopPopulation& population, const std::string& path,
                                          const ProgressFn& progress) {
  ASSIGN_OR_RETURN(std::unique_ptr<TextFileWriter> out, TextFileWriter::Create(path));
  out->Append("user_id,item_id,type,timestamp,value,text,session_id,event_id\n");
  const SessionSimulator simulator(options, catalog, population);
  EventStreamStats stats;
  const int32_t num_users = static_cast<int32_t>(population.users.size());
  if (options.num_events > 0) {
    const double events_per_session = MeasureEventsPerSession(options, simulator);
    double total_activity = 0.0;
    for (const ShopUser& user : population.users) total_activity += user.activity;
    // Sessions per second for activity 1 so that the window holds about num_events events.
    const double sessions_wanted = static_cast<double>(options.num_events) / events_per_session;
    const double window = static_cast<double>(options.days) * kDay;
    const double base_rate = sessions_wanted / total_activity / window;

    ShopRandom rng(DeriveSeed(options.seed, kEventStream));
    using Visit = std::pair<int64_t, int32_t>;  // (session start, user); ties go to lower user
    std::vector<Visit> initial;
    initial.reserve(num_users);
    for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
      const ShopUser& user = population.users[user_idx];
      const double mean_gap = 1.0 / (base_rate * user.activity);
      initial.emplace_back(std::max(options.start_time, user.signup_at + 60) +
                               static_cast<int64_t>(rng.Exponential(mean_gap)),
                           user_idx);
    }
    std::priority_queue<Visit, std::vector<Visit>, std::greater<Visit>> visits(
        std::greater<Visit>(), std::move(initial));
    std::vector<UserState> states(num_users);
    SessionEvents session;
    stats.first_timestamp = visits.top().first;
    while (stats.events < options.num_events) {
      const auto [start, user_idx] = visits.top();
      visits.pop();
      const int64_t end = simulator.Run(user_idx, start, states[user_idx], rng, &session);
      ++stats.sessions;
      for (const SimEvent& event : session.events) {
        if (stats.events == options.num_events) break;
        ++stats.events;
        ++stats.by_kind[static_cast<int>(event.kind)];
        stats.last_timestamp = std::max(stats.last_timestamp, event.timestamp);
        WriteEvent(catalog, session, event, user_idx, stats.sessions, stats.events, *out);
        if (progress &&
            (stats.events % kProgressEvery == 0 || stats.events == options.num_events)) {
          progress({"events", stats.events, options.num_events, ""});
        }
      }
      const double mean_gap = 1.0 / (base_rate * population.users[user_idx].activity);
      visits.emplace(end + kMinSessionGap + static_cast<int64_t>(rng.Exponential(mean_gap)),
                     user_idx);
    }
  }
  stats.bytes = out->bytes();
  RETURN_IF_ERROR(out->Finish());
  return stats;
}

}  // namespace tailor::synthetic
