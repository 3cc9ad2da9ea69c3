#include "director/datapath/nft_datapath.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "director/datapath/nft_dr_host.hpp"
#include "director/datapath/nft_lb_counters.hpp"
#include "director/datapath/nft_lb_plan.hpp"
#include "director/datapath/nft_lb_status.hpp"
#include "director/datapath/nft_lb_writer.hpp"

namespace lvsctl::director::datapath {
namespace {
constexpr auto kRetryAfter = std::chrono::seconds(5);
constexpr auto kResolveEvery = std::chrono::seconds(1);
constexpr auto kNeighboursEvery = std::chrono::seconds(10);

bool any_dr(const ipvs::Table& desired) {
  return std::any_of(desired.begin(), desired.end(),
                     [](const ipvs::Service& s) { return nftlb::dr_service(s); });
}
}  // namespace

NftDatapath::NftDatapath(EventLoop& loop) : loop_(loop) {
  auto socket = NftSocket::open();
  if (socket) {
    socket_.emplace(std::move(*socket));
  } else {
    unavailable_reason_ = socket.error().message;
    spdlog::warn("nftables datapath is off: {}; VRRP and health checks keep running",
                 unavailable_reason_);
  }
}

NftDatapath::~NftDatapath() {
  loop_.cancel_timer(retry_);
  loop_.cancel_timer(neighbours_);
  if (!socket_) return;
  if (keep_on_exit_) {
    spdlog::info("nftables: table ip {} left in the kernel (--dont-release-ipvs)",
                 nftlb::kTableName);
    return;
  }
  if (auto st = nftlb::delete_table(*socket_); !st) {
    spdlog::error("nftables: removing table ip {}: {}", nftlb::kTableName, st.error().message);
  } else {
    spdlog::info("nftables: table ip {} removed", nftlb::kTableName);
  }
  if (!dr_table_exists_) return;
  if (auto st = nftlb::delete_table(*socket_, true); !st) {
    spdlog::error("nftables: removing table netdev {}: {}", nftlb::kTableName,
                  st.error().message);
  } else {
    spdlog::info("nftables: table netdev {} removed", nftlb::kTableName);
  }
}

std::string NftDatapath::apply(const ipvs::Table& desired, const HeldVips& held, bool) {
  desired_ = desired;
  held_ = held;
  return sync();
}

std::optional<std::string> NftDatapath::apply_changed(const std::vector<ipvs::Service>& changed,
                                                      const HeldVips& held) {
  bool patchable = held == held_;
  for (const auto& service : changed) {
    if (nftlb::dr_service(service)) patchable = false;
    auto at = std::find_if(desired_.begin(), desired_.end(),
                           [&service](const ipvs::Service& s) { return s.key == service.key; });
    if (at == desired_.end()) {
      patchable = false;  // not a health change of the applied table: build it all
      desired_.push_back(service);
    } else {
      if (nftlb::dr_service(*at)) patchable = false;
      *at = service;
    }
  }
  held_ = held;
  if (!socket_) return "nftables off";
  // Before the table exists, or while a failed transaction waits for its retry, only a whole
  // sync knows what the kernel holds.
  if (!patchable || !table_exists_ || retry_ != 0) return sync();
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto wanted = nftlb::build_table(changed, held_, applied_);
  nftlb::Table before;
  for (const auto& service : wanted.services) {
    const nftlb::Service* now = applied_.find(service.key);
    if (now == nullptr) return sync();  // e.g. a VIP not held: nothing of it is applied
    before.services.push_back(*now);
  }
  const auto changes = nftlb::plan(wanted, before, true);
  const auto t1 = Clock::now();
  const std::chrono::duration<double> plan_time = t1 - t0;
  if (changes.empty()) {
    return fmt::format("nftables: no change ({} services, planned in {:.1f} ms)",
                       wanted.services.size(), plan_time.count() * 1e3);
  }
  ++applies_;
  auto sent = nftlb::write_changes(*socket_, changes);
  const std::chrono::duration<double> apply_time = Clock::now() - t1;
  if (!sent) return refused(sent.error());
  failure_.clear();
  messages_ += *sent;
  for (auto& service : wanted.services) {
    auto at = std::lower_bound(
        applied_.services.begin(), applied_.services.end(), service.key,
        [](const nftlb::Service& s, const nftlb::ServiceKey& k) { return s.key < k; });
    *at = std::move(service);  // present: found above, and applied_ did not change since
  }
  // A health change says how many services it planned (the rest of the table was not looked at).
  const std::string line = fmt::format(
      "nftables: health change of {} service{}: {} in 1 transaction (transaction #{}, {} messages), "
      "plan {:.3f} s, apply {:.3f} s",
      wanted.services.size(), wanted.services.size() == 1 ? "" : "s", changes.to_string(),
      socket_->batches_sent(), *sent, plan_time.count(), apply_time.count());
  spdlog::info("{}", line);
  return line;
}

// The DR table for the held DR services, with the host's facts (interfaces, neighbours); asks
// the kernel to resolve the MACs it lacks.
nftlb::Table NftDatapath::build_dr(std::vector<std::string>& notes) {
  nftlb::DrFacts facts;
  std::set<std::string> interfaces;
  bool held_dr = false;
  for (const auto& s : desired_) {
    if (!nftlb::dr_service(s) || !held_.holds(s.key.address)) continue;
    held_dr = true;
    if (auto it = held_.interface_of.find(s.key.address); it != held_.interface_of.end()) {
      interfaces.insert(it->second);
    }
  }
  for (const auto& name : interfaces) {
    bool found = false;
    auto f = nftlb::interface_facts(name, found);
    if (found) facts.interfaces[name] = f;
  }
  if (held_dr) {
    if (auto n = nftlb::read_neighbours(); n) {
      facts.neighbours = std::move(*n);
    } else {
      notes.push_back("DR: reading the neighbour table: " + n.error().message);
    }
  }
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  auto table = nftlb::build_dr_table(desired_, held_, applied_dr_, facts, notes, unresolved);
  for (const auto& [address, ifname] : unresolved) {
    if (auto st = nftlb::resolve_neighbour(address, ifname); !st) {
      notes.push_back("DR: " + st.error().message);
    }
  }
  if (held_dr) schedule_neighbours(!unresolved.empty());
  return table;
}

// A refused transaction changed nothing, but what we hold as applied may no longer be what the
// kernel has: forget it and rebuild both tables after kRetryAfter.
std::string NftDatapath::refused(const Error& error) {
  spdlog::error("nftables: {}; nothing changed (one transaction); rebuilding the tables in {} s",
                error.message, kRetryAfter.count());
  failure_ = error.message;
  ++apply_errors_;
  table_exists_ = false;
  applied_ = {};
  dr_table_exists_ = false;
  applied_dr_ = {};
  schedule_retry();
  return fmt::format("nftables: transaction failed ({})", error.message);
}

std::string NftDatapath::sync() {
  if (!socket_) return "nftables off";
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  std::vector<std::string> notes = nftlb::not_held_notes(desired_, held_);
  auto wanted = nftlb::build_table(desired_, held_, applied_);
  const auto changes = nftlb::plan(wanted, applied_, table_exists_);
  const bool need_dr = any_dr(desired_);
  nftlb::Table wanted_dr;
  nftlb::Changes dr_changes;
  dr_changes.dr = true;
  if (need_dr) {
    wanted_dr = build_dr(notes);
    dr_changes = nftlb::plan(wanted_dr, applied_dr_, dr_table_exists_, true);
  } else if (dr_table_exists_) {  // the last DR service left the configuration
    if (auto st = nftlb::delete_table(*socket_, true); st) {
      dr_table_exists_ = false;
      applied_dr_ = {};
    }
  }
  notes_ = std::move(notes);
  const auto t1 = Clock::now();
  const std::chrono::duration<double> plan_time = t1 - t0;
  if (changes.empty() && dr_changes.empty()) {
    return fmt::format("nftables: no change ({} services, planned in {:.1f} ms)",
                       wanted.services.size() + wanted_dr.services.size(),
                       plan_time.count() * 1e3);
  }
  ++applies_;
  auto sent = nftlb::write_changes(*socket_, std::vector<const nftlb::Changes*>{&changes, &dr_changes});
  const std::chrono::duration<double> apply_time = Clock::now() - t1;
  if (!sent) return refused(sent.error());
  failure_.clear();
  messages_ += *sent;
  table_exists_ = true;
  applied_ = std::move(wanted);
  if (need_dr) {
    dr_table_exists_ = true;
    applied_dr_ = std::move(wanted_dr);
  }
  std::string what = changes.to_string();
  if (!dr_changes.empty()) what += "; " + dr_changes.to_string();
  const std::string line = fmt::format(
      "nftables: {} in 1 transaction (transaction #{}, {} messages), plan {:.3f} s, apply {:.3f} s",
      what, socket_->batches_sent(), *sent, plan_time.count(), apply_time.count());
  spdlog::info("{}", line);
  return line;
}

void NftDatapath::schedule_retry() {
  if (retry_ != 0) return;
  retry_ = loop_.after(kRetryAfter, [this] {
    retry_ = 0;
    sync();
  });
}

void NftDatapath::schedule_neighbours(bool soon) {
  if (neighbours_ != 0) {
    if (!soon) return;
    loop_.cancel_timer(neighbours_);
  }
  neighbours_ = loop_.after(soon ? kResolveEvery : kNeighboursEvery, [this] {
    neighbours_ = 0;
    sync();
  });
}

void NftDatapath::set_timeouts(const ipvs::Timeouts& configured) {
  if (!configured.any()) return;
  spdlog::warn(
      "lvs_timeouts: IPVS timeouts do not apply to the nftables datapath; connections "
      "keep conntrack's timeouts (net.netfilter.nf_conntrack_tcp_timeout_established, "
      "..._udp_timeout_stream), which lvsctl does not change");
}

DatapathStatus NftDatapath::status() const {
  DatapathStatus s;
  s.backend = Backend::Nftables;
  s.available = socket_.has_value();
  s.unavailable_reason = unavailable_reason_;
  s.requests_sent = messages_;
  s.transactions = socket_ ? socket_->batches_sent() : 0;
  s.table = fmt::format("ip {}", nftlb::kTableName);
  if (dr_table_exists_) s.table += fmt::format(", netdev {}", nftlb::kTableName);
  s.notes = notes_;
  if (!failure_.empty()) {
    s.notes.push_back("the last transaction failed (" + failure_ + "); retrying");
  }
  s.applies = applies_;
  s.apply_errors = apply_errors_;
  return s;
}

ListingSource NftDatapath::listing() const {
  if (!socket_) return {};
  return [desired = desired_, nat = applied_, dr = applied_dr_, nat_exists = table_exists_,
          dr_exists = dr_table_exists_]() -> Result<ipvs::Table> {
    auto socket = NftSocket::open();
    if (!socket) return socket.error();
    std::vector<nftlb::SlotCounter> nat_counts;
    std::vector<nftlb::SlotCounter> dr_counts;
    if (nat_exists) {
      auto c = nftlb::read_slot_counters(*socket, false, nat);
      if (!c) return c.error();
      nat_counts = std::move(*c);
    }
    if (dr_exists) {
      auto c = nftlb::read_slot_counters(*socket, true, dr);
      if (!c) return c.error();
      dr_counts = std::move(*c);
    }
    return nftlb::listing(desired, nat, dr, nat_counts, dr_counts);
  };
}

}  // namespace lvsctl::director::datapath
