#pragma once
// WarningHistory: which configuration warnings are new since the last load. A daemon logs each
// warning in full once; on reload it logs only the new ones and counts the rest, instead of
// repeating every deprecation at every SIGHUP. Warnings are compared by file and message, not by
// line, so a warning whose line merely moved is not new. Pure.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

class WarningHistory {
 public:
  struct Split {
    std::vector<const conf::Diagnostic*> fresh;  // warnings to log, in the order of `diags`
    std::size_t repeated = 0;                    // warnings the last load had too
  };

  // Splits the warnings of `diags` (errors are not looked at) into fresh and repeated, then
  // remembers them as the last load's. A message that occurs more often than last time counts
  // its extra occurrences as fresh. The pointers refer into `diags`.
  Split update(const conf::Diagnostics& diags);

 private:
  std::map<std::pair<std::string, std::string>, std::size_t> last_;  // (file, message) -> count
};

}  // namespace lvsctl::director::config
