#include "director/daemon/ipvs_sync.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

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

void IpvsSync::apply(ipvs::Table desired, bool flush) {
  desired_ = std::move(desired);
  flush_ = flush;
  sync();
}

void IpvsSync::sync() {
  if (!client_) return;
  const auto started = std::chrono::steady_clock::now();
  auto actual = client_->table();
  if (!actual) {
    spdlog::error("IPVS: cannot read the table: {}", actual.error().message);
    schedule_retry();
    return;
  }
  ipvs::PlanOptions options;
  options.flush = flush_;
  options.owned = owned_;
  const auto ops = ipvs::plan(desired_, *actual, options);
  flush_ = false;  // lvs_flush applies once, at start
  owned_.clear();
  for (const auto& s : desired_) owned_.push_back(s.key);
  if (ops.empty()) {
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::info("IPVS: no change ({} services in sync, checked in {:.1f} ms)", desired_.size(),
                 static_cast<double>(took.count()) / 1000.0);
    return;
  }
  spdlog::info("IPVS: {}", ipvs::summarize(ops).to_string());
  auto report = client_->apply(ops);
  if (!report) {
    spdlog::error("IPVS: {}", report.error().message);
    schedule_retry();
    return;
  }
  if (report->ok()) return;
  for (const auto& e : report->errors) {
    std::string hint;
    if (e.code == EINVAL) hint = " (is lo down in this namespace? IPVS rejects destinations then)";
    spdlog::error("IPVS: {}{}; retrying in {} s", e.message, hint, kRetryAfter.count());
  }
  schedule_retry();
}

void IpvsSync::schedule_retry() {
  if (retry_ != 0) return;
  retry_ = loop_.after(kRetryAfter, [this] {
    retry_ = 0;
    sync();
  });
}

Result<ipvs::Table> IpvsSync::table() {
  if (!client_) return ipvs::Table{};
  return client_->table();
}

std::uint64_t IpvsSync::requests_sent() const { return client_ ? client_->requests_sent() : 0; }

}  // namespace lvsctl::director
