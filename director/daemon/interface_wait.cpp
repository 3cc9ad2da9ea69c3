#include "director/daemon/interface_wait.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>

#include "director/daemon/link_monitor.hpp"

namespace lvsctl::director {

InterfaceWait::InterfaceWait(EventLoop& loop, std::function<void()> retry)
    : loop_(loop), retry_(std::move(retry)) {}

InterfaceWait::~InterfaceWait() { loop_.cancel_timer(timer_); }

bool InterfaceWait::waits_for(const Error& error) {
  return error.code == ENODEV || error.code == EADDRNOTAVAIL;
}

void InterfaceWait::begin() { seen_.clear(); }

void InterfaceWait::add(const std::string& instance, const std::string& ifname,
                        const std::string& why) {
  seen_.insert(instance);
  const auto [it, fresh] = waiting_.insert_or_assign(instance, ifname);
  if (fresh) {
    spdlog::warn(
        "VRRP_Instance({}) Entering FAULT STATE: {}; waiting for interface {}",
        instance, why, ifname);
  }
  arm();
}

void InterfaceWait::end() {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (seen_.count(it->first)) {
      ++it;
    } else {
      it = waiting_.erase(it);
    }
  }
  if (waiting_.empty()) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
  }
}

void InterfaceWait::on_link(const std::string& ifname, bool up) {
  if (!up) return;
  for (const auto& [instance, name] : waiting_) {
    if (name == ifname) {
      spdlog::info("VRRP_Instance({}) interface {} is up; starting", instance, ifname);
      retry_();
      return;
    }
  }
}

void InterfaceWait::arm() {
  if (timer_ != 0) return;
  timer_ = loop_.after(std::chrono::seconds(1), [this] {
    timer_ = 0;
    check();
  });
}

// Once a second while anyone waits: an interface that is up now (its address may have come
// after the link event) gets another start.
void InterfaceWait::check() {
  if (waiting_.empty()) return;
  bool any_up = false;
  for (const auto& [instance, ifname] : waiting_) any_up = any_up || LinkMonitor::is_up(ifname);
  if (any_up) retry_();
  if (!waiting_.empty()) arm();
}

}  // namespace lvsctl::director
