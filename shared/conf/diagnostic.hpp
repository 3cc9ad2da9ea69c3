#pragma once
// A problem found in a configuration file, with the place it was found.
#include <string>
#include <vector>

namespace lvsctl::conf {

struct Location {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  Location where;
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

// "file:line:col: error: message" (or "warning:").
std::string format(const Diagnostic& d);
bool has_errors(const Diagnostics& diags);

}  // namespace lvsctl::conf
