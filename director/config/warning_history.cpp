#include "director/config/warning_history.hpp"

namespace lvsctl::director::config {

WarningHistory::Split WarningHistory::update(const conf::Diagnostics& diags) {
  Split split;
  std::map<std::pair<std::string, std::string>, std::size_t> now;
  for (const conf::Diagnostic& d : diags) {
    if (d.severity != conf::Severity::Warning) continue;
    auto key = std::make_pair(d.where.file.str(), d.message);
    const std::size_t seen = ++now[key];
    const auto before = last_.find(key);
    if (before != last_.end() && seen <= before->second) {
      ++split.repeated;
    } else {
      split.fresh.push_back(&d);
    }
  }
  last_ = std::move(now);
  return split;
}

}  // namespace lvsctl::director::config
