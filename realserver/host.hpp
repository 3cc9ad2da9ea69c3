#pragma once
// Host: this real server's kernel (in the caller's network namespace) and its state file.
// Adapter: observes and executes plan steps; decides nothing.
#include <filesystem>
#include <optional>

#include "realserver/observation.hpp"
#include "realserver/plan.hpp"
#include "realserver/state.hpp"
#include "shared/netlink/route_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

class Host {
 public:
  // Opens an rtnetlink socket and finds lo. `state_file`: where SaveState/RemoveState write.
  static Result<Host> open(std::filesystem::path state_file);

  // The DR sysctls and every address on lo. Needs no privilege.
  Result<Observation> observe();
  Result<std::optional<State>> load_state() const;

  // Executes one step. Errors carry errno (EPERM/EACCES when not root, EEXIST, ...).
  Status apply(const Step& step);

  const std::filesystem::path& state_file() const { return state_file_; }

 private:
  Host(netlink::RouteSocket sock, int lo_ifindex, std::filesystem::path state_file)
      : sock_(std::move(sock)), lo_ifindex_(lo_ifindex), state_file_(std::move(state_file)) {}

  netlink::RouteSocket sock_;
  int lo_ifindex_ = 0;
  std::filesystem::path state_file_;
};

}  // namespace lvsctl::realserver
