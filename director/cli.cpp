#include "director/cli.hpp"

namespace lvsctl::director {

void add_commands(CLI::App& /*app*/, int& /*exit_code*/) {
  // No director subcommand works yet, so none is registered.
}

}  // namespace lvsctl::director
