// libFuzzer target: track_process's readers of what a process shows in /proc (its stat line and
// its command line, which the process itself controls) must never crash, and the scanner's
// bounded read of a command line (cmdline_bytes_needed) must never change a verdict: a block
// matches the first bytes exactly when it matches the whole command line.
// Input: byte 0 picks param_match and full_command, then NUL-separated words: the stat text, the
// block's process and parameters; what follows a "\xff" byte is the command line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "director/daemon/process_match.hpp"

using lvsctl::director::cmdline_bytes_needed;
using lvsctl::director::parse_process_stat;
using lvsctl::director::process_matches;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto split = all.find('\xff');
  const std::string_view head = all.substr(0, split);
  const std::string_view cmdline =
      split == std::string_view::npos ? std::string_view() : all.substr(split + 1);

  lvsctl::director::config::VrrpTrackProcess spec;
  spec.param_match = static_cast<lvsctl::director::config::ParamMatch>(data[0] % 4);
  spec.full_command = (data[0] & 4) != 0 || spec.param_match != lvsctl::director::config::ParamMatch::None;
  std::string_view stat;
  std::size_t word = 0;
  for (std::size_t at = 0; at <= head.size();) {
    const auto end = std::min(head.find('\0', at), head.size());
    const std::string_view w = head.substr(at, end - at);
    if (word == 0) {
      stat = w;
    } else if (word == 1) {
      spec.process = std::string(w);
    } else {
      spec.params.emplace_back(w);
    }
    ++word;
    at = end + 1;
  }

  const auto parsed = parse_process_stat(stat);
  const std::string_view comm = parsed ? parsed->comm : std::string_view();
  if (parsed && (comm.data() < stat.data() || comm.data() + comm.size() > stat.data() + stat.size())) {
    std::abort();
  }
  const bool whole = process_matches(spec, comm, cmdline);
  const bool bounded = process_matches(spec, comm, cmdline.substr(0, cmdline_bytes_needed(spec)));
  if (whole != bounded) std::abort();
  return 0;
}
