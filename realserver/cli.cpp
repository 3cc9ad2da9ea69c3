#include "realserver/cli.hpp"

namespace lvsctl::realserver {

void add_commands(CLI::App& /*app*/, int& /*exit_code*/) {
  // No realserver subcommand works yet, so none is registered.
}

}  // namespace lvsctl::realserver
