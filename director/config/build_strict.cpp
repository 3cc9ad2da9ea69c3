#include "director/config/build_strict.hpp"

#include <fmt/format.h>

namespace lvsctl::director::config {

void read_vrrp_strict(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  if (ctx.arg_count(s, 0, 0)) g.vrrp_strict = s.keyword.where;
}

void apply_vrrp_strict(BuildContext& ctx, const GlobalDefs& global, bool accept_set,
                       VrrpInstance& vi) {
  if (!global.vrrp_strict) return;
  if (vi.auth_type != AuthType::None) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: vrrp_strict does not allow "
                                      "authentication; ignored, adverts go without it (as "
                                      "keepalived does)",
                                      vi.name));
    vi.auth_type = AuthType::None;
    vi.auth_pass.clear();
  }
  if (vi.virtual_ipaddress.empty()) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: vrrp_strict needs at least one address in "
                                    "virtual_ipaddress (keepalived refuses the instance too)",
                                    vi.name));
  }
  if (vi.version == 2 && accept_set && vi.accept) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: vrrp_strict: 'accept' does not comply "
                                      "with VRRPv2 (RFC 3768); reset to no_accept (as keepalived "
                                      "does)",
                                      vi.name));
  }
  if (vi.version == 2 || !accept_set) vi.accept = false;
  if (!vi.accept) {
    ctx.warning(vi.where,
                fmt::format("vrrp_instance {}: with vrrp_strict (line {}) all traffic to and "
                            "from this instance's VIPs is dropped while it is MASTER (no_accept, "
                            "as keepalived does: nftables table lvsctl_vrrp), so virtual servers "
                            "on these VIPs stop answering; use version 3 with 'accept', or remove "
                            "vrrp_strict, to keep them answering",
                            vi.name, global.vrrp_strict->line));
  }
}

}  // namespace lvsctl::director::config
