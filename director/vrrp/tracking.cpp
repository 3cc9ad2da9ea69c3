#include "director/vrrp/tracking.hpp"

#include <algorithm>

namespace lvsctl::director::vrrp {

Tracking::Tracking(const InstanceConfig& config) : base_priority_(config.priority) {
  interfaces_.push_back({config.interface, 0});
  for (const auto& t : config.track_interfaces) interfaces_.push_back({t.name, t.weight});
  for (const auto& s : config.track_scripts) {
    Script script{s};
    script.config.rise = std::max(1, s.rise);
    script.config.fall = std::max(1, s.fall);
    scripts_.push_back(script);
  }
}

void Tracking::retune(const InstanceConfig& config) {
  Tracking fresh(config);
  for (auto& i : fresh.interfaces_) {
    for (const auto& old : interfaces_) {
      if (old.name == i.name) i.up = old.up;
    }
  }
  for (auto& s : fresh.scripts_) {
    for (const auto& old : scripts_) {
      if (old.config.name != s.config.name) continue;
      s.known = old.known;
      s.counter = std::min(old.counter, s.config.rise + s.config.fall - 1);
      s.good = old.good;
    }
  }
  *this = std::move(fresh);
}

bool Tracking::set_interface(std::string_view name, bool up) {
  bool known = false;
  for (auto& i : interfaces_) {
    if (i.name == name) {
      i.up = up;
      known = true;
    }
  }
  return known;
}

bool Tracking::add_script_result(std::string_view name, bool success) {
  bool changed = false;
  for (auto& s : scripts_) {
    if (s.config.name != name) continue;
    const int top = s.config.rise + s.config.fall - 1;
    const bool was_good = s.good;
    const bool was_known = s.known;
    if (!s.known) {
      s.known = true;
      s.counter = success ? top : 0;
    } else if (success) {
      s.counter = s.counter < s.config.rise - 1 ? s.counter + 1 : top;
    } else {
      s.counter = s.counter > s.config.rise ? s.counter - 1 : 0;
    }
    s.good = s.counter >= s.config.rise;
    changed = changed || !was_known || was_good != s.good;
  }
  return changed;
}

bool Tracking::initialising() const {
  return std::any_of(scripts_.begin(), scripts_.end(), [](const Script& s) { return !s.known; });
}

bool Tracking::fault() const {
  for (const auto& i : interfaces_) {
    if (i.weight == 0 && !i.up) return true;
  }
  for (const auto& s : scripts_) {
    if (s.config.weight == 0 && s.known && !s.good) return true;
  }
  return false;
}

const std::string* Tracking::failed_interface() const {
  for (const auto& i : interfaces_) {
    if (i.weight == 0 && !i.up) return &i.name;
  }
  return nullptr;
}

const std::string* Tracking::failed_script() const {
  for (const auto& s : scripts_) {
    if (s.config.weight == 0 && s.known && !s.good) return &s.config.name;
  }
  return nullptr;
}

uint8_t Tracking::effective_priority() const {
  if (base_priority_ == 255) return 255;
  int p = base_priority_;
  for (const auto& i : interfaces_) {
    if (i.weight > 0 && i.up) p += i.weight;
    if (i.weight < 0 && !i.up) p += i.weight;
  }
  for (const auto& s : scripts_) {
    if (!s.known) continue;
    if (s.config.weight > 0 && s.good) p += s.config.weight;
    if (s.config.weight < 0 && !s.good) p += s.config.weight;
  }
  return static_cast<uint8_t>(std::clamp(p, 1, 254));
}

}  // namespace lvsctl::director::vrrp
