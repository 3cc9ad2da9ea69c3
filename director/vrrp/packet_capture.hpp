#pragma once
// PacketCapture: an AF_PACKET socket that sees every VRRP packet (IP protocol 112, IPv4 and IPv6)
// on one interface or on all of them, sent and received, as tcpdump does. Adapter: no decisions,
// the caller decodes. Needs CAP_NET_RAW.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::vrrp {

struct CapturedPacket {
  std::vector<uint8_t> bytes;  // the IP packet (link-layer header removed)
  std::string interface;
  bool outgoing = false;  // sent by this host
  std::chrono::system_clock::time_point wall_time;
  std::chrono::steady_clock::time_point mono_time;
};

class PacketCapture {
 public:
  // `interface` empty: all interfaces. On one interface it also joins the VRRP multicast MAC
  // groups (01:00:5e:00:00:12, 33:33:00:00:00:12), so NICs that filter multicast deliver them;
  // the memberships end with the socket. Errors: unknown interface, no permission.
  static Result<PacketCapture> open(const std::string& interface);

  // The next VRRP packet, or nullopt when `timeout` passes first (negative: wait for ever).
  Result<std::optional<CapturedPacket>> next(std::chrono::milliseconds timeout);

 private:
  explicit PacketCapture(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace lvsctl::director::vrrp
