#include "director/config/build_strict.hpp"

#include <fmt/format.h>

namespace lvsctl::director::config {

void read_vrrp_strict(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  if (ctx.arg_count(s, 0, 0)) g.vrrp_strict = s.keyword.where;
}

void read_strict_mode(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d) {
  if (!ctx.arg_count(s, 0, 1)) return;
  d.strict_mode_where = s.keyword.where;
  if (s.args.empty()) {
    d.strict_mode = true;
    return;
  }
  const auto& word = s.args[0].text;
  if (word == "on" || word == "true" || word == "yes") {
    d.strict_mode = true;
  } else if (word == "off" || word == "false" || word == "no") {
    d.strict_mode = false;
  } else {
    ctx.error(s.args[0].where, fmt::format("strict_mode: '{}' is not one of on, off, true, "
                                           "false, yes, no",
                                           word));
  }
}

bool instance_is_strict(const GlobalDefs& global, const VrrpInstanceDraft& d) {
  return d.strict_mode.value_or(global.vrrp_strict.has_value());
}

void apply_vrrp_strict(BuildContext& ctx, const GlobalDefs& global, const VrrpInstanceDraft& d,
                       VrrpInstance& vi) {
  vi.strict_mode = instance_is_strict(global, d);
  if (!vi.strict_mode) return;
  // What made it strict, for the messages: its own strict_mode, or global vrrp_strict.
  const std::string why = d.strict_mode
                              ? fmt::format("strict_mode (line {})", d.strict_mode_where.line)
                              : fmt::format("vrrp_strict (line {})", global.vrrp_strict->line);
  const std::string what = d.strict_mode ? "strict_mode" : "vrrp_strict";
  if (vi.auth_type != AuthType::None) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: {} does not allow authentication; "
                                      "ignored, adverts go without it (as keepalived does)",
                                      vi.name, what));
    vi.auth_type = AuthType::None;
    vi.auth_pass.clear();
  }
  if (vi.virtual_ipaddress.empty()) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: {} needs at least one address in "
                                    "virtual_ipaddress (keepalived refuses the instance too)",
                                    vi.name, what));
  }
  // The address owner (priority 255) keeps accept mode, as keepalived's.
  const bool owner = vi.priority == 255;
  if (vi.state_configured && (vi.state == VrrpState::Master) != owner) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: {}: state {} must match being the "
                                      "address owner (priority 255); starts as {} (as "
                                      "keepalived does)",
                                      vi.name, what, owner ? "BACKUP" : "MASTER",
                                      owner ? "MASTER" : "BACKUP"));
    vi.state = owner ? VrrpState::Master : VrrpState::Backup;
  }
  if (vi.preempt_delay.count() != 0) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: {}: preempt_delay is not allowed; reset "
                                      "to 0 (as keepalived does)",
                                      vi.name, what));
    vi.preempt_delay = Duration{0};
  }
  if (vi.use_vmac && vi.vmac_xmit_base) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: {}: vmac_xmit_base is not allowed; "
                                      "reset, adverts go out of the VMAC (as keepalived does)",
                                      vi.name, what));
    vi.vmac_xmit_base = false;
  }
  if (vi.version == 2 && d.accept_set && vi.accept && !owner) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: {}: 'accept' does not comply with "
                                      "VRRPv2 (RFC 3768); reset to no_accept (as keepalived "
                                      "does)",
                                      vi.name, what));
  }
  if (!owner && (vi.version == 2 || !d.accept_set)) vi.accept = false;
  if (!vi.accept && !owner) {
    ctx.warning(vi.where,
                fmt::format("vrrp_instance {}: with {} all traffic to and from this instance's "
                            "VIPs is dropped while it is MASTER (no_accept, as keepalived does: "
                            "nftables table lvsctl_vrrp), so virtual servers on these VIPs stop "
                            "answering; use version 3 with 'accept', or remove {}, to keep them "
                            "answering",
                            vi.name, why, what));
  }
}

}  // namespace lvsctl::director::config
