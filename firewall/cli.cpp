#include "firewall/cli.hpp"

namespace lvsctl::firewall {

void add_commands(CLI::App& /*app*/, int& /*exit_code*/) {
  // No firewall subcommand works yet, so none is registered.
}

}  // namespace lvsctl::firewall
