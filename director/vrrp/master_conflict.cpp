#include "director/vrrp/master_conflict.hpp"

#include <algorithm>

namespace lvsctl::director::vrrp {

std::optional<MasterConflict> MasterConflictDetector::observe(const Advert& a, TimePoint now) {
  if (!a.source) return std::nullopt;
  const IpAddress& source = *a.source;
  const Key key{source.family(), a.version, a.vrid};
  auto& group = speakers_[key];
  if (group.size() >= kMaxSources && !group.count(source)) {
    std::erase_if(group, [&](const auto& entry) {
      const Speaker& s = entry.second;
      return !s.advertising || now - s.last > s.window;
    });
    std::erase_if(reported_, [&](const auto& entry) {
      const auto& [k, x, y] = entry.first;
      return k == key && (!group.count(x) || !group.count(y));
    });
    if (group.size() >= kMaxSources) return std::nullopt;
  }
  Speaker& me = group[source];
  const Micros interval(a.interval_cs * 10'000LL);

  const bool silent_too_long = me.advertising && now - me.last > me.window;
  if (a.priority == 0 || silent_too_long) me.advertising = false;
  if (a.priority == 0) return std::nullopt;
  if (!me.advertising) {
    me.advertising = true;
    me.run_start = now;
  }
  me.last = now;
  me.priority = a.priority;
  me.interval = interval;
  me.window = master_down_interval(a.version, a.priority, interval);

  std::optional<MasterConflict> found;
  for (auto& [address, other] : group) {
    if (address == source) continue;
    const auto pair_key =
        std::make_tuple(key, std::min(address, source), std::max(address, source));
    const bool other_live = other.advertising && now - other.last <= other.window;
    if (!other_live) {
      other.advertising = false;
      reported_.erase(pair_key);
      continue;
    }
    // Both live. A conflict when we advertise although the other, no worse than us, has been
    // advertising long enough to be heard (half an interval allows for adverts crossing on the
    // wire), or when each kept advertising well after the other started.
    const bool other_is_no_worse = other.priority >= me.priority;
    const bool other_heard = now - other.run_start >= me.interval / 2;
    const bool both_kept_on = other.last - me.run_start >= other.interval / 2 &&
                              me.last - other.run_start >= me.interval / 2;
    if ((other_is_no_worse && other_heard) || both_kept_on) {
      if (!reported_[pair_key] && !found) {
        found = MasterConflict{a.vrid, a.version, address, other.priority, source, a.priority};
      }
      reported_[pair_key] = true;
    }
  }
  return found;
}

std::size_t MasterConflictDetector::tracked() const {
  std::size_t n = 0;
  for (const auto& [key, group] : speakers_) n += group.size();
  return n;
}

void SplitBrainMonitor::sent(const Advert& ours, TimePoint now) {
  own_ = ours.source;
  detector_.observe(ours, now);
}

SplitBrainMonitor::Change SplitBrainMonitor::end(TimePoint /*now*/) {
  Change change{Change::Kind::ended, *current_};
  current_.reset();
  return change;
}

SplitBrainMonitor::Change SplitBrainMonitor::heard(const Advert& theirs, bool master,
                                                   TimePoint now) {
  const auto conflict = detector_.observe(theirs, now);
  if (!theirs.source || theirs.source == own_) return {};
  if (current_ && current_->peer == *theirs.source) {
    if (theirs.priority == 0 || !master) return end(now);
    current_->priority = theirs.priority;
    current_->last_heard = now;
    current_->window = master_down_interval(theirs.version, theirs.priority,
                                            Micros(theirs.interval_cs * 10'000LL));
    return {};
  }
  if (current_ || !master || !conflict || !own_) return check(master, now);
  const bool ours = (conflict->first == *own_ && conflict->second == *theirs.source) ||
                    (conflict->second == *own_ && conflict->first == *theirs.source);
  if (!ours) return {};
  current_ = PeerMaster{*theirs.source, theirs.priority, now, now,
                        master_down_interval(theirs.version, theirs.priority,
                                             Micros(theirs.interval_cs * 10'000LL))};
  return Change{Change::Kind::started, *current_};
}

SplitBrainMonitor::Change SplitBrainMonitor::check(bool master, TimePoint now) {
  if (current_ && (!master || now - current_->last_heard > current_->window)) return end(now);
  return {};
}

}  // namespace lvsctl::director::vrrp
