#pragma once
// --persist as text transformations: the nftables include file and its include line in
// /etc/nftables.conf, and our lines in an iptables-save format file (/etc/iptables/rules.v4,
// /etc/sysconfig/iptables). Unrelated lines are kept byte for byte. Pure.
#include <string>
#include <string_view>
#include <vector>

#include "firewall/report.hpp"
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

inline constexpr std::string_view kNftIncludePath = "/etc/nftables.d/lvsctl-vrrp.nft";

// The include file: for every nftables chain of `chains` with our rules, make sure the table and
// chain exist (so a changed nftables.conf still loads) and insert the rules at the top.
std::string render_nft_include(const std::vector<ChainReport>& chains);

// `conf` with an include of `path` appended, unless a line already includes it.
std::string add_nft_include(std::string_view conf, std::string_view path);
// `conf` without our include line (and the comment line we wrote above it).
std::string remove_nft_include(std::string_view conf, std::string_view path);

// An iptables-save format file with our rules for version `v` in the filter table's INPUT chain:
// old lvsctl:vrrp lines removed, the new ones before the first -A INPUT line that drops or
// rejects (else after the last -A INPUT line). A file without a filter table gets one.
std::string update_iptables_file(std::string_view text, AddressFamily v, const VrrpRequest& request);
// The file without any line tagged lvsctl:vrrp.
std::string strip_iptables_file(std::string_view text);

}  // namespace lvsctl::firewall
