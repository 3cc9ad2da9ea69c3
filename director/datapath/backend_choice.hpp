#pragma once
// Which datapath `director run` uses: the operator's wish (global_defs lb_backend, overridden by
// `--lb-backend`) resolved against what the kernel offers. Pure except probe_kernel().
#include <optional>
#include <string>
#include <string_view>

#include "director/config/model.hpp"
#include "director/datapath/datapath.hpp"

namespace lvsctl::director::datapath {

// "ipvs" | "nftables" | "auto"; nullopt for anything else.
std::optional<config::LbBackend> parse_lb_backend(std::string_view text);
std::string_view to_string(config::LbBackend backend);

// What the kernel offers, as far as lvsctl can tell without changing anything.
struct KernelFacts {
  bool ipvs_genl = false;    // the generic-netlink family "IPVS" resolves
  bool proc_ip_vs = false;   // /proc/net/ip_vs exists
  std::string ipvs_error;    // why the family did not resolve
};
KernelFacts probe_kernel();

struct BackendChoice {
  Backend backend = Backend::Ipvs;
  std::string reason;  // one line for the log: why this backend
  bool automatic = false;  // chosen by `auto` (not asked for by name)
};

// The command line wins over the config; auto = IPVS when the kernel has it, else nftables.
BackendChoice choose_backend(config::LbBackend configured,
                             std::optional<config::LbBackend> command_line,
                             const KernelFacts& kernel);

}  // namespace lvsctl::director::datapath
