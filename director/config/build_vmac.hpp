#pragma once
// vrrp_instance `use_vmac [NAME]` and `vmac_xmit_base` (keepalived.conf(5)): parsing, and the
// checks once the instance is complete (its VRID and interface known).
#include "director/config/build_context.hpp"
#include "director/config/build_parts.hpp"

namespace lvsctl::director::config {

void read_use_vmac(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d);
void read_vmac_xmit_base(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d);
// Fills the default name "vrrp.VRID"; errors for a name the kernel would refuse or that is the
// instance's own interface; a warning for vmac_xmit_base without use_vmac (keepalived ignores it).
void finish_vmac(BuildContext& ctx, VrrpInstance& vi);

}  // namespace lvsctl::director::config
