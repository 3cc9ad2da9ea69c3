#pragma once
// Gives the statement tree of a keepalived.conf its meaning: the typed Config, with keepalived
// 2.2.7's defaults and virtual server -> real server -> checker inheritance resolved.
// Unknown keywords, keywords lvsctl does not implement, deprecated spellings and bad values are
// appended to `diags` (file:line:col each); building goes on after each problem so that one run
// reports them all. Cross-element rules (duplicate VRIDs, unknown references...) are checked
// separately by validate_config().
#include <vector>

#include "director/config/model.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

Config build_config(const std::vector<conf::Statement>& statements, conf::Diagnostics& diags);
// The same, releasing each top-level statement once it is read, so that the statement tree and
// the model are not both held in full (a config of 10,000 services halves its peak memory).
Config build_config(std::vector<conf::Statement>&& statements, conf::Diagnostics& diags);

}  // namespace lvsctl::director::config
