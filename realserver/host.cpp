#include "realserver/host.hpp"

#include "realserver/dr_sysctls.hpp"
#include "realserver/state_store.hpp"
#include "shared/netlink/interface_address.hpp"
#include "shared/sysctl.hpp"

namespace lvsctl::realserver {

Result<Host> Host::open(std::filesystem::path state_file) {
  auto sock = netlink::RouteSocket::open();
  if (!sock) return sock.error();
  auto lo = netlink::interface_index("lo");
  if (!lo) return lo.error();
  return Host(std::move(*sock), *lo, std::move(state_file));
}

Result<Observation> Host::observe() {
  Observation now;
  for (const auto& setting : dr_sysctls()) {
    auto value = sysctl::read(setting.key);
    if (!value) return value.error();
    now.sysctls[setting.key] = std::move(*value);
  }
  auto addrs = netlink::list_addresses(sock_, lo_ifindex_);
  if (!addrs) return addrs.error();
  now.lo = std::move(*addrs);
  return now;
}

Result<std::optional<State>> Host::load_state() const { return realserver::load_state(state_file_); }

Status Host::apply(const Step& step) {
  struct Apply {
    Host& host;
    Status operator()(const SaveState& s) const { return save_state(host.state_file_, s.state); }
    Status operator()(const RemoveState&) const { return remove_state(host.state_file_); }
    Status operator()(const WriteSysctl& s) const { return sysctl::write(s.key, s.value); }
    Status operator()(const AddVip& s) const {
      return netlink::add_address(host.sock_, {host.lo_ifindex_, s.address,
                                               s.address.host_prefix_len(), s.label});
    }
    Status operator()(const RemoveVip& s) const {
      return netlink::delete_address(host.sock_, {host.lo_ifindex_, s.address, s.prefix_len, {}});
    }
  };
  return std::visit(Apply{*this}, step);
}

}  // namespace lvsctl::realserver
