#pragma once
// The VIPs a real server must hold for a director's keepalived.conf: the addresses of its DR and
// TUN virtual servers (NAT ones need no VIP on the real server), including the addresses of the
// virtual_server_groups they use.
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "realserver/vip_list.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

// Largest address range of a virtual_server_group taken as VIPs (each one goes on lo).
inline constexpr unsigned kMaxGroupRangeVips = 256;

struct DirectorVips {
  std::vector<VipSpec> specs;       // may repeat (one virtual_server per port); origin file:line
  std::vector<std::string> notes;   // what was skipped and why (fwmark services)
};

// Pure. A virtual server counts when it or one of its real servers forwards by DR or TUN.
// Errors: a group range wider than kMaxGroupRangeVips, or a group that is not defined.
Result<DirectorVips> vips_of_config(const director::config::Config& config);

// Loads `path` with the director's config loader and takes its VIPs. Errors: the config's error
// diagnostics (file:line:col), one per line; then those of vips_of_config. Notes are logged.
Result<std::vector<VipSpec>> director_vips(const std::string& path);

}  // namespace lvsctl::realserver
