#pragma once
// PING_CHECK: one ICMP / ICMPv6 echo request to the checker's address (connect_ip, else the real
// server's), then within connect_timeout the matching echo reply is up, an ICMP error about the
// request (destination unreachable, time exceeded) is down, and silence is down (keepalived
// 2.2.7's check_ping.c).
//
// The socket, one per attempt: an unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP[V6]) where
// net.ipv4.ping_group_range admits our group, else a raw ICMP socket (CAP_NET_RAW). We never
// widen ping_group_range as keepalived does. Either way the socket is connected to the target,
// filters what it can in the kernel (a raw socket: echo replies only), and takes ICMP errors from
// its error queue (IP_RECVERR). A reply counts only when it comes from the target and carries
// our identifier (a ping socket's is chosen by the kernel), sequence and random payload; reads
// are bounded per wake-up, so a flood of other ICMP neither takes a server up nor stalls the loop.
#include <array>
#include <cstdint>

#include "director/check/icmp_echo.hpp"
#include "director/check/probe.hpp"
#include "director/check/socket_attempt.hpp"
#include "director/check/tcp_connect.hpp"

namespace lvsctl::director::check {

class PingProbe final : public Probe {
 public:
  PingProbe(EventLoop& loop, const Checker& checker);
  void start(Done done) override;

 private:
  Status open_socket();
  bool on_readable();     // true: the probe finished
  bool read_errors();     // the error queue: an ICMP error about our request finishes it
  bool read_replies();
  void on_timeout();
  bool from_target(const sockaddr_storage& from) const;

  EventLoop& loop_;
  SocketAttempt attempt_;
  Result<ConnectSpec> spec_;
  IcmpFamily family_ = IcmpFamily::V4;
  Duration timeout_;
  bool raw_ = false;       // this attempt's socket is raw (replies with their IPv4 header)
  EchoMessage request_;    // as sent; id as the socket sends it
  std::array<std::uint8_t, 512> buffer_{};
};

}  // namespace lvsctl::director::check
