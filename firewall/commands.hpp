#pragma once
// The `lvsctl firewall` commands: resolve the backend(s), run them, persist, print. Each returns
// the process exit code: 0 success, 1 runtime failure (permission, missing backend, unknown
// interface), 2 bad input; status returns 3 when some input chain does not accept VRRP.
#include <string>
#include <vector>

namespace lvsctl::firewall {

struct Options {
  std::string interface;            // empty = any
  std::vector<std::string> peers;
  bool ipv6 = false;
  std::string backend = "auto";     // auto|nftables|iptables|iptables-legacy|iptables-nft
  bool persist = false;
  bool json = false;
};

int run_allow(const Options& o);
int run_revoke(const Options& o);
int run_status(const Options& o);

}  // namespace lvsctl::firewall
