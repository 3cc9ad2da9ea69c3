#include "director/config/build_vmac.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace lvsctl::director::config {
namespace {

constexpr std::size_t kMaxIfname = 15;  // IFNAMSIZ - 1

// The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace.
bool valid_ifname(const std::string& name) {
  if (name.empty() || name.size() > kMaxIfname || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  });
}

}  // namespace

void read_use_vmac(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d) {
  if (!ctx.arg_count(s, 0, 1)) return;
  d.instance.use_vmac = true;
  if (s.args.empty()) return;
  const auto& name = s.args[0];
  if (!valid_ifname(name.text)) {
    ctx.error(name.where, fmt::format("use_vmac: '{}' is not a valid interface name (1 to {} "
                                      "characters, no '/', ':' or spaces)",
                                      name.text, kMaxIfname));
    return;
  }
  d.instance.vmac_name = name.text;
}

void read_vmac_xmit_base(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d) {
  if (ctx.arg_count(s, 0, 0)) d.instance.vmac_xmit_base = true;
}

void finish_vmac(BuildContext& ctx, VrrpInstance& vi) {
  if (!vi.use_vmac) {
    if (vi.vmac_xmit_base) {
      ctx.warning(vi.where, fmt::format("vrrp_instance {}: vmac_xmit_base without use_vmac is "
                                        "ignored (as keepalived does)",
                                        vi.name));
      vi.vmac_xmit_base = false;
    }
    return;
  }
  if (vi.interface.empty()) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: use_vmac needs 'interface' (the macvlan "
                                    "sits on top of it)",
                                    vi.name));
    return;
  }
  if (vi.vmac_name.empty() && vi.vrid > 0) vi.vmac_name = fmt::format("vrrp.{}", vi.vrid);
  if (vi.vmac_name == vi.interface) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: the use_vmac interface '{}' is the "
                                    "instance's own interface",
                                    vi.name, vi.vmac_name));
  }
}

}  // namespace lvsctl::director::config
