#include "director/datapath/nft_datapath.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

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
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto wanted = nftlb::build_table(desired_, held_, applied_);
  const auto changes = nftlb::plan(wanted, applied_, table_exists_);
  const auto t1 = Clock::now();
  const std::chrono::duration<double> plan_time = t1 - t0;
  if (changes.empty()) {
    return fmt::format("nftables: no change ({} services, planned in {:.1f} ms)",
                       wanted.services.size(), plan_time.count() * 1e3);
  }
  ++applies_;
  auto sent = nftlb::write_changes(*socket_, changes);
  const std::chrono::duration<double> apply_time = Clock::now() - t1;
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
  applied_ = std::move(wanted);
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
