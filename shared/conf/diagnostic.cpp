#include "shared/conf/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace lvsctl::conf {

std::string format(const Diagnostic& d) {
  return fmt::format("{}:{}:{}: {}: {}", d.where.file, d.where.line, d.where.column,
                     d.severity == Severity::Error ? "error" : "warning", d.message);
}

bool has_errors(const Diagnostics& diags) {
  return std::any_of(diags.begin(), diags.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace lvsctl::conf
