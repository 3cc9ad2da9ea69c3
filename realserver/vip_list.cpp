#include "realserver/vip_list.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace lvsctl::realserver {

Result<IpAddress> parse_vip(std::string_view text) {
  const std::string shown(text);
  std::string_view addr_text = text;
  std::string_view prefix_text;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    addr_text = text.substr(0, slash);
    prefix_text = text.substr(slash + 1);
  }
  const auto addr = IpAddress::parse(addr_text);
  if (!addr) return Error{"'" + shown + "' is not an IPv4 or IPv6 address", EINVAL};
  if (text.find('/') != std::string_view::npos) {
    unsigned prefix = 0;
    const auto* end = prefix_text.data() + prefix_text.size();
    const auto [ptr, ec] = std::from_chars(prefix_text.data(), end, prefix);
    if (prefix_text.empty() || ec != std::errc{} || ptr != end) {
      return Error{"'" + shown + "' has a bad prefix length", EINVAL};
    }
    if (prefix != addr->host_prefix_len()) {
      return Error{"VIP '" + shown + "': a VIP on lo is a single address (/" +
                       std::to_string(addr->host_prefix_len()) + "), not a /" +
                       std::to_string(prefix) + " network",
                   EINVAL};
    }
  }
  if (addr->is_v4_mapped()) {
    const auto b = addr->bytes();
    return Error{"VIP '" + shown + "' is an IPv4-mapped IPv6 address: give it as IPv4 (" +
                     std::to_string(b[12]) + "." + std::to_string(b[13]) + "." +
                     std::to_string(b[14]) + "." + std::to_string(b[15]) + ")",
                 EINVAL};
  }
  const char* why = nullptr;
  if (addr->is_unspecified()) {
    why = "the unspecified address";
  } else if (addr->is_loopback()) {
    why = "a loopback address";
  } else if (addr->is_multicast()) {
    why = "a multicast address";
  } else if (addr->is_broadcast()) {
    why = "the broadcast address";
  } else if (!addr->is_v4() && addr->is_link_local()) {
    why = "an IPv6 link-local address";
  }
  if (why != nullptr) return Error{"VIP '" + shown + "' is " + why + ", not a VIP", EINVAL};
  return *addr;
}

std::vector<std::string> split_vip_words(std::string_view value) {
  std::vector<std::string> out;
  std::string word;
  for (const char c : value) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

Result<std::vector<IpAddress>> build_vip_list(const std::vector<VipSpec>& specs) {
  std::vector<IpAddress> out;
  std::map<IpAddress, const VipSpec*> strict_seen;  // first non-repeatable spec of each VIP
  std::string errors;
  const auto fail = [&](const std::string& msg) {
    if (!errors.empty()) errors += "\n";
    errors += msg;
  };
  for (const VipSpec& spec : specs) {
    auto vip = parse_vip(spec.text);
    if (!vip) {
      fail(vip.error().message + " (" + spec.origin + ")");
      continue;
    }
    if (!spec.may_repeat) {
      if (const auto it = strict_seen.find(*vip); it != strict_seen.end()) {
        fail("VIP " + vip->to_string() + " is given twice: '" + it->second->text + "' (" +
             it->second->origin + ") and '" + spec.text + "' (" + spec.origin + ")");
        continue;
      }
      strict_seen.emplace(*vip, &spec);
    }
    if (std::find(out.begin(), out.end(), *vip) == out.end()) out.push_back(*vip);
  }
  if (!errors.empty()) return Error{errors, EINVAL};
  return out;
}

bool has_ipv4(const std::vector<IpAddress>& vips) {
  return std::any_of(vips.begin(), vips.end(), [](const IpAddress& a) { return a.is_v4(); });
}

}  // namespace lvsctl::realserver
