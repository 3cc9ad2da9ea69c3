#include "shared/conf/diagnostic.hpp"

#include <algorithm>
#include <atomic>
#include <ostream>

#include <fmt/format.h>

namespace lvsctl::conf {

struct FileName::Rep {
  std::atomic<long> refs{1};
  std::string name;
};

FileName::FileName(std::string name) {
  if (!name.empty()) rep_ = new Rep{1, std::move(name)};
}

const std::string& FileName::str() const noexcept {
  static const std::string empty;
  return rep_ ? rep_->name : empty;
}

void FileName::acquire() noexcept {
  if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
}

void FileName::release() noexcept {
  if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete rep_;
  rep_ = nullptr;
}

std::ostream& operator<<(std::ostream& out, const FileName& name) { return out << name.str(); }

std::string format(const Diagnostic& d) {
  return fmt::format("{}:{}:{}: {}: {}", d.where.file, d.where.line, d.where.column,
                     d.severity == Severity::Error ? "error" : "warning", d.message);
}

bool has_errors(const Diagnostics& diags) {
  return std::any_of(diags.begin(), diags.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::vector<std::string> format_capped(const Diagnostics& diags, std::size_t limit) {
  std::vector<std::string> lines;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : diags) {
    if (lines.size() < limit) {
      lines.push_back(format(d));
    } else {
      (d.severity == Severity::Error ? errors : warnings)++;
    }
  }
  if (errors + warnings != 0) {
    lines.push_back(fmt::format("... and {} more ({} error{}, {} warning{} not shown)",
                                errors + warnings, errors, errors == 1 ? "" : "s", warnings,
                                warnings == 1 ? "" : "s"));
  }
  return lines;
}

}  // namespace lvsctl::conf
