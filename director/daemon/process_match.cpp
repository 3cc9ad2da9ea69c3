#include "director/daemon/process_match.hpp"

#include <algorithm>

namespace lvsctl::director {

std::optional<ProcessStat> parse_process_stat(std::string_view stat) {
  const auto open = stat.find('(');
  const auto close = stat.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  ProcessStat out;
  out.comm = stat.substr(open + 1, close - open - 1);
  // ") S ..." : the state follows the name and one space.
  if (close + 2 >= stat.size()) return std::nullopt;
  const char state = stat[close + 2];
  out.gone = state == 'Z' || state == 'X' || state == 'x';
  return out;
}

namespace {

// The configured parameters as the kernel lays them out: each word NUL-terminated.
std::size_t params_length(const config::VrrpTrackProcess& spec) {
  std::size_t n = 0;
  for (const auto& p : spec.params) n += p.size() + 1;
  return n;
}

bool same_prefix(std::string_view have, const config::VrrpTrackProcess& spec, std::size_t n) {
  // Compares the first n bytes of `have` with the NUL-joined parameters.
  std::size_t at = 0;
  for (const auto& p : spec.params) {
    for (std::size_t i = 0; i <= p.size(); ++i, ++at) {
      if (at >= n) return true;
      const char want = i < p.size() ? p[i] : '\0';
      if (at >= have.size() || have[at] != want) return false;
    }
  }
  return true;
}

bool params_match(const config::VrrpTrackProcess& spec, std::string_view params) {
  const std::size_t want = params_length(spec);
  if (spec.param_match == config::ParamMatch::Exact && spec.params.empty()) return params.empty();
  if (params.size() < want) return false;
  switch (spec.param_match) {
    case config::ParamMatch::Exact: return params.size() == want && same_prefix(params, spec, want);
    case config::ParamMatch::Partial: return same_prefix(params, spec, want);
    case config::ParamMatch::Initial:
      // The last word's NUL is not compared: the process's last word may be longer.
      return spec.params.empty() || same_prefix(params, spec, want - 1);
    case config::ParamMatch::None: break;
  }
  return true;
}

}  // namespace

bool process_matches(const config::VrrpTrackProcess& spec, std::string_view comm,
                     std::string_view cmdline) {
  if (!spec.full_command) return comm == spec.process;
  const auto nul = cmdline.find('\0');
  const std::string_view argv0 = cmdline.substr(0, nul);
  if (argv0 != spec.process) return false;
  if (spec.param_match == config::ParamMatch::None) return true;
  const std::string_view params =
      nul == std::string_view::npos ? std::string_view() : cmdline.substr(nul + 1);
  return params_match(spec, params);
}

std::size_t cmdline_bytes_needed(const config::VrrpTrackProcess& spec) {
  return spec.process.size() + 1 + params_length(spec) + 1;
}

ProcessQuorum::ProcessQuorum(unsigned quorum, unsigned quorum_max,
                             std::chrono::microseconds fork_delay,
                             std::chrono::microseconds terminate_delay)
    : quorum_(quorum),
      quorum_max_(quorum_max),
      fork_delay_(fork_delay),
      terminate_delay_(terminate_delay) {}

std::optional<bool> ProcessQuorum::count(unsigned processes, Clock::time_point now) {
  processes_ = processes;
  const bool want = processes >= quorum_ && processes <= quorum_max_;
  if (!verdict_ || (*verdict_ != want && (want ? fork_delay_ : terminate_delay_).count() == 0)) {
    due_.reset();
    const bool changed = verdict_ != want;
    verdict_ = want;
    return changed ? std::optional<bool>(want) : std::nullopt;
  }
  if (*verdict_ == want) {
    due_.reset();  // back before the delay ran out: nothing happened
  } else if (!due_) {
    due_ = now + (want ? fork_delay_ : terminate_delay_);
  }
  return tick(now);
}

std::optional<bool> ProcessQuorum::tick(Clock::time_point now) {
  if (!due_ || now < *due_) return std::nullopt;
  due_.reset();
  verdict_ = !*verdict_;
  return verdict_;
}

std::optional<ProcessQuorum::Clock::time_point> ProcessQuorum::due() const { return due_; }

}  // namespace lvsctl::director
