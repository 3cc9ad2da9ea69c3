#pragma once
// CLI11 validators every role uses for its options (header-only, like CLI11). A failed check is a
// usage error: main() prints "--option: <message>" and exits 2.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <string>

namespace lvsctl::cli_checks {

// An empty value ("", e.g. from an unset variable in a unit file) is refused: `-i ""` would
// otherwise mean "any interface".
inline CLI::Validator non_empty() {
  return CLI::Validator(
      [](std::string& value) {
        return value.empty() ? std::string("must not be empty") : std::string();
      },
      "", "NON_EMPTY");
}

// A number of seconds: finite and 0 or more ("nan", "inf", "-1" are refused, naming the value).
inline CLI::Validator finite_seconds() {
  return CLI::Validator(
      [](std::string& value) {
        double d = 0;
        const char* end = value.data() + value.size();
        const auto [ptr, ec] = std::from_chars(value.data(), end, d);
        if (value.empty() || ec != std::errc{} || ptr != end || !std::isfinite(d) || d < 0) {
          return "'" + value + "' is not a number of seconds (finite, 0 or more)";
        }
        return std::string();
      },
      "SECONDS", "FINITE_SECONDS");
}

}  // namespace lvsctl::cli_checks
