#include "director/vrrp/tracking.hpp"

#include <algorithm>

namespace lvsctl::director::vrrp {

int track_file_status(std::int64_t value, int weight, bool reverse) {
  if (weight == 0) return (value != 0) != reverse ? kTrackFileFault : 0;
  // |value| is capped first: value x weight never overflows.
  const std::int64_t capped = std::clamp<std::int64_t>(value, -1'000'000, 1'000'000);
  const std::int64_t v = capped * weight * (reverse ? -1 : 1);
  return static_cast<int>(std::clamp<std::int64_t>(v, kTrackFileFault, 253));
}

Tracking::Tracking(const InstanceConfig& config) : base_priority_(config.priority) {
  for (const auto& f : config.track_files) {
    files_.push_back({f, 0, track_file_status(0, f.weight, f.reverse)});
  }
  for (const auto& p : config.track_processes) processes_.push_back({p});
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
  for (auto& f : fresh.files_) {
    for (const auto& old : files_) {
      // The value is kept; the status follows the new weight.
      if (old.config.name != f.config.name) continue;
      f.value = old.value;
      f.status = track_file_status(f.value, f.config.weight, f.config.reverse);
    }
  }
  for (auto& p : fresh.processes_) {
    for (const auto& old : processes_) {
      if (old.config.name != p.config.name) continue;
      p.known = old.known;
      p.have_quorum = old.have_quorum;
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

bool Tracking::set_file_value(std::string_view name, std::int64_t value) {
  bool changed = false;
  for (auto& f : files_) {
    if (f.config.name != name) continue;
    const int status = track_file_status(value, f.config.weight, f.config.reverse);
    changed = changed || status != f.status;
    f.value = value;
    f.status = status;
  }
  return changed;
}

int Tracking::Process::status() const {
  if (!known || config.weight == 0) return 0;
  const int signed_weight = config.weight * (config.reverse ? -1 : 1);
  if (have_quorum) return config.weight > 0 ? signed_weight : 0;
  return config.weight < 0 ? signed_weight : 0;
}

bool Tracking::set_process_quorum(std::string_view name, bool have_quorum) {
  bool changed = false;
  for (auto& p : processes_) {
    if (p.config.name != name) continue;
    changed = changed || !p.known || p.have_quorum != have_quorum;
    p.known = true;
    p.have_quorum = have_quorum;
  }
  return changed;
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
  return std::any_of(scripts_.begin(), scripts_.end(), [](const Script& s) { return !s.known; }) ||
         std::any_of(processes_.begin(), processes_.end(),
                     [](const Process& p) { return !p.known; });
}

bool Tracking::fault() const {
  for (const auto& i : interfaces_) {
    if (i.weight == 0 && !i.up) return true;
  }
  for (const auto& s : scripts_) {
    if (s.config.weight == 0 && s.known && !s.good) return true;
  }
  for (const auto& f : files_) {
    if (f.status <= kTrackFileFault) return true;
  }
  return failed_process() != nullptr;
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

const std::string* Tracking::failed_process() const {
  for (const auto& p : processes_) {
    if (p.faults()) return &p.config.name;
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
  for (const auto& f : files_) {
    if (f.status > kTrackFileFault) p += f.status;
  }
  for (const auto& t : processes_) p += t.status();
  return static_cast<uint8_t>(std::clamp(p, 1, 254));
}

}  // namespace lvsctl::director::vrrp
