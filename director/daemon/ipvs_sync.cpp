#include "director/daemon/ipvs_sync.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace lvsctl::director {
namespace {
constexpr auto kRetryAfter = std::chrono::seconds(5);
}

IpvsSync::IpvsSync(EventLoop& loop) : loop_(loop) {
  auto client = ipvs::IpvsClient::open();
  if (client) {
    client_.emplace(std::move(*client));
  } else {
    unavailable_reason_ = client.error().message;
    spdlog::warn("IPVS is off: {}; VRRP and health checks keep running", unavailable_reason_);
  }
}

IpvsSync::~IpvsSync() { loop_.cancel_timer(retry_); }

IpvsSync::Outcome IpvsSync::apply(ipvs::Table desired, bool flush) {
  desired_ = std::move(desired);
  flush_ = flush;
  const std::uint64_t before = requests_sent();
  Outcome out = sync();
  out.requests = requests_sent() - before;
  return out;
}

std::string IpvsSync::Outcome::to_string() const {
  if (!available) return "IPVS off";
  std::string out = "IPVS ";
  if (kernel_read) out += fmt::format("table read {:.3f} s, ", read.count());
  return out + fmt::format("plan {:.3f} s, {} ops applied in {:.3f} s{}, {} netlink requests",
                           plan.count(), ops, apply.count(), ok ? "" : " (some failed)", requests);
}

IpvsSync::Outcome IpvsSync::sync() {
  Outcome out;
  out.available = client_.has_value();
  if (!client_) return out;
  using Clock = std::chrono::steady_clock;
  auto mark = Clock::now();
  auto lap = [&mark] {
    const auto now = Clock::now();
    return std::chrono::duration<double>(now - std::exchange(mark, now));
  };
  if (!known_) {
    auto actual = client_->table();
    out.read = lap();
    out.kernel_read = true;
    if (!actual) {
      spdlog::error("IPVS: cannot read the table: {}", actual.error().message);
      out.ok = false;
      schedule_retry();
      return out;
    }
    known_ = std::move(*actual);
  }
  ipvs::PlanOptions options;
  options.flush = flush_;
  options.owned = owned_;
  const auto ops = ipvs::plan(desired_, *known_, options);
  out.ops = ops.size();
  out.plan = lap();
  flush_ = false;  // lvs_flush applies once, at start
  owned_.clear();
  for (const auto& s : desired_) owned_.push_back(s.key);
  if (ops.empty()) {
    spdlog::info("IPVS: no change ({} services in sync, {}planned in {:.1f} ms)", desired_.size(),
                 out.kernel_read ? "kernel read and " : "", (out.read + out.plan).count() * 1e3);
    return out;
  }
  if (send(ops, out)) known_ = ipvs::table_after(desired_, *known_, options);
  return out;
}

bool IpvsSync::send(const std::vector<ipvs::Op>& ops, Outcome& out, std::string_view what) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  spdlog::info("IPVS: {}{}", what, ipvs::summarize(ops).to_string());
  auto report = client_->apply(ops);
  out.apply = Clock::now() - start;
  out.ok = report && report->ok();
  if (out.ok && report->recovered == 0) return true;
  // Some ops failed (or only succeeded through a fallback): the kernel's table is not what we
  // believed; read it again and re-plan.
  known_.reset();
  if (out.ok) {
    spdlog::warn("IPVS: the kernel's table differed from the last applied one ({} ops needed a "
                 "fallback); reading it again in {} s",
                 report->recovered, kRetryAfter.count());
  } else if (!report) {
    spdlog::error("IPVS: {}", report.error().message);
  } else {
    for (const auto& e : report->errors) {
      std::string hint;
      if (e.code == EINVAL)
        hint = " (is lo down in this namespace? IPVS rejects destinations then)";
      spdlog::error("IPVS: {}{}; retrying in {} s", e.message, hint, kRetryAfter.count());
    }
  }
  schedule_retry();
  return false;
}

IpvsSync::Outcome IpvsSync::apply_changed(const std::vector<ipvs::Service>& changed) {
  const std::uint64_t before = requests_sent();
  auto find = [](ipvs::Table& table, const ipvs::ServiceKey& key) {
    return std::find_if(table.begin(), table.end(),
                        [&key](const ipvs::Service& s) { return s.key == key; });
  };
  bool known_services = true;
  for (const auto& service : changed) {
    auto at = find(desired_, service.key);
    if (at == desired_.end()) {
      known_services = false;  // not a health change of the applied table: plan it all
      desired_.push_back(service);
    } else {
      *at = service;
    }
  }
  // Without a trusted view of the kernel (first sync, or a failure pending its retry), or
  // with lvs_flush still to do, the whole table is planned as before.
  if (!client_ || !known_ || retry_ != 0 || flush_ || !known_services) {
    Outcome out = sync();
    out.requests = requests_sent() - before;
    return out;
  }
  Outcome out;
  const auto start = std::chrono::steady_clock::now();
  ipvs::Table actual;
  for (const auto& service : changed) {
    auto at = find(*known_, service.key);
    if (at != known_->end()) actual.push_back(*at);
  }
  const auto ops = ipvs::plan(changed, actual);
  out.ops = ops.size();
  out.plan = std::chrono::steady_clock::now() - start;
  const std::string what = fmt::format("health change of {} service{}: ", changed.size(),
                                       changed.size() == 1 ? "" : "s");
  if (!ops.empty() && send(ops, out, what)) {
    for (auto& service : ipvs::table_after(changed, actual)) {
      auto at = find(*known_, service.key);
      if (at == known_->end()) {
        known_->push_back(std::move(service));
      } else {
        *at = std::move(service);
      }
    }
  }
  out.requests = requests_sent() - before;
  return out;
}

void IpvsSync::release() {
  loop_.cancel_timer(retry_);
  retry_ = 0;
  if (!client_ || (desired_.empty() && owned_.empty())) return;
  // Services of the desired table are ours even when an apply failed before they got in.
  for (const auto& s : desired_) owned_.push_back(s.key);
  spdlog::info("IPVS: removing the {} virtual server{} of this director on stop",
               desired_.size(), desired_.size() == 1 ? "" : "s");
  desired_.clear();
  flush_ = false;
  sync();
  loop_.cancel_timer(retry_);  // a failure is logged; nobody retries after stop
  retry_ = 0;
}

void IpvsSync::set_timeouts(const ipvs::Timeouts& configured) {
  if (!client_) return;
  if (!configured.any()) {
    restore_timeouts();
    return;
  }
  if (!original_timeouts_) {
    auto read = client_->timeouts();
    if (!read) {
      // As keepalived: go on; the values not configured are then left as they are.
      spdlog::warn(
          "IPVS: cannot read the kernel's timeouts ({}); those lvs_timeouts leaves out "
          "stay as they are",
          read.error().message);
    }
    original_timeouts_ = read ? *read : ipvs::Timeouts{};
  }
  const auto send = ipvs::timeouts_to_set(configured, *original_timeouts_);
  if (auto st = client_->set_timeouts(send); !st) {
    spdlog::error("IPVS: lvs_timeouts: {}", st.error().message);
    return;
  }
  spdlog::info("IPVS: timeouts set to tcp {} tcpfin {} udp {} (lvs_timeouts)", send.tcp,
               send.tcp_fin, send.udp);
}

void IpvsSync::restore_timeouts() {
  if (!client_ || !original_timeouts_ || !original_timeouts_->any()) return;
  const auto original = *original_timeouts_;
  if (auto st = client_->set_timeouts(original); !st) {
    spdlog::error("IPVS: restoring the kernel's timeouts: {}", st.error().message);
    return;
  }
  spdlog::info("IPVS: timeouts back to the kernel's tcp {} tcpfin {} udp {}", original.tcp,
               original.tcp_fin, original.udp);
}

void IpvsSync::schedule_retry() {
  if (retry_ != 0) return;
  retry_ = loop_.after(kRetryAfter, [this] {
    retry_ = 0;
    sync();
  });
}

std::uint64_t IpvsSync::requests_sent() const {
  return client_ ? client_->requests_sent() : 0;
}

}  // namespace lvsctl::director
