#include "director/datapath/nft_datapath.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "director/datapath/nft_lb_plan.hpp"
#include "director/datapath/nft_lb_writer.hpp"

namespace lvsctl::director::datapath {
namespace {
constexpr auto kRetryAfter = std::chrono::seconds(5);
}

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
  if (!socket_) return;
  if (auto st = nftlb::delete_table(*socket_); !st) {
    spdlog::error("nftables: removing table ip {}: {}", nftlb::kTableName, st.error().message);
  } else {
    spdlog::info("nftables: table ip {} removed", nftlb::kTableName);
  }
}

std::string NftDatapath::apply(const ipvs::Table& desired, const HeldVips& held, bool) {
  desired_ = desired;
  held_ = held;
  return sync();
}

std::string NftDatapath::sync() {
  if (!socket_) return "nftables off";
  const auto t0 = std::chrono::steady_clock::now();
  auto wanted = nftlb::build_table(desired_, held_, applied_);
  const auto changes = nftlb::plan(wanted, applied_, table_exists_);
  const std::chrono::duration<double> plan_time = std::chrono::steady_clock::now() - t0;
  return write(changes, plan_time, wanted.services.size(),
               [this, &wanted] { applied_ = std::move(wanted); });
}

std::optional<std::string> NftDatapath::apply_changed(const std::vector<ipvs::Service>& changed,
                                                      const HeldVips& held) {
  bool patchable = held.all == held_.all && held.vips == held_.vips;
  for (const auto& service : changed) {
    auto at = std::find_if(desired_.begin(), desired_.end(),
                           [&service](const ipvs::Service& s) { return s.key == service.key; });
    if (at == desired_.end()) {
      patchable = false;  // not a health change of the applied table: build it all
      desired_.push_back(service);
    } else {
      *at = service;
    }
  }
  held_ = held;
  if (!socket_) return "nftables off";
  // Before the table exists, or while a failed transaction waits for its retry, only a whole
  // sync knows what the kernel holds.
  if (!patchable || !table_exists_ || retry_ != 0) return sync();
  const auto t0 = std::chrono::steady_clock::now();
  auto wanted = nftlb::build_table(changed, held_, applied_);
  nftlb::Table before;
  for (const auto& service : wanted.services) {
    const nftlb::Service* now = applied_.find(service.key);
    if (now == nullptr) return sync();  // cannot happen for the same keys and held VIPs
    before.services.push_back(*now);
  }
  const auto changes = nftlb::plan(wanted, before, true);
  const std::chrono::duration<double> plan_time = std::chrono::steady_clock::now() - t0;
  return write(changes, plan_time, wanted.services.size(), [this, &wanted] {
    for (auto& service : wanted.services) {
      auto at = std::lower_bound(
          applied_.services.begin(), applied_.services.end(), service.key,
          [](const nftlb::Service& s, const nftlb::ServiceKey& k) { return s.key < k; });
      *at = std::move(service);  // present: found above, and applied_ did not change since
    }
  });
}

std::string NftDatapath::write(const nftlb::Changes& changes,
                               std::chrono::duration<double> plan_time, std::size_t services,
                               const std::function<void()>& commit) {
  if (changes.empty()) {
    return fmt::format("nftables: no change ({} services, planned in {:.1f} ms)", services,
                       plan_time.count() * 1e3);
  }
  const auto t1 = std::chrono::steady_clock::now();
  ++applies_;
  auto sent = nftlb::write_changes(*socket_, changes);
  const std::chrono::duration<double> apply_time = std::chrono::steady_clock::now() - t1;
  if (!sent) {
    spdlog::error("nftables: {}; nothing changed (one transaction); rebuilding the table in {} s",
                  sent.error().message, kRetryAfter.count());
    ++apply_errors_;
    table_exists_ = false;
    applied_ = {};
    schedule_retry();
    return fmt::format("nftables: transaction failed ({})", sent.error().message);
  }
  messages_ += *sent;
  table_exists_ = true;
  commit();
  const std::string line = fmt::format(
      "nftables: {} in 1 transaction (transaction #{}, {} messages), plan {:.3f} s, apply {:.3f} s",
      changes.to_string(), socket_->batches_sent(), *sent, plan_time.count(), apply_time.count());
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

DatapathStatus NftDatapath::status() const {
  DatapathStatus s;
  s.backend = Backend::Nftables;
  s.available = socket_.has_value();
  s.unavailable_reason = unavailable_reason_;
  s.requests_sent = messages_;
  s.transactions = socket_ ? socket_->batches_sent() : 0;
  s.applies = applies_;
  s.apply_errors = apply_errors_;
  return s;
}

}  // namespace lvsctl::director::datapath
