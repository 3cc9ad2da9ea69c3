#pragma once
// realserver.conf: the small file naming the VIPs of a real server (default
// /etc/lvsctl/realserver.conf, given with `-f`). Pure parser; the caller reads the file.
//
//   # VIPs this real server accepts traffic for (LVS-DR / LVS-TUN)
//   vip 10.0.200.100
//   vip 2001:db8::100 2001:db8::101     # several per line are fine
//
// Blank lines and '#' comments (whole-line or trailing) are ignored. Any other keyword is an
// error naming file:line and the word.
#include <string_view>
#include <vector>

#include "realserver/vip_list.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

// The VIP specs of `text` (not yet validated: build_vip_list does that), each with origin
// "<filename>:<line>". Errors: every bad line, one per line of the message.
Result<std::vector<VipSpec>> parse_realserver_conf(std::string_view text,
                                                   std::string_view filename);

}  // namespace lvsctl::realserver
