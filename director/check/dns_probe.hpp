#pragma once
// DNS_CHECK: one query (dns_message) from a connected UDP socket with a fresh random id, then
// within connect_timeout: an answer judged Good is up, Bad (rcode, another question) is down; an
// ICMP error (port unreachable: "Connection refused") is down; datagrams that are not ours
// (short, another id, not a response) are skipped; silence is down (keepalived 2.2.7's
// check_dns.c semantics, with the question checked too).
#include <cstdint>
#include <vector>

#include "director/check/probe.hpp"
#include "director/check/socket_attempt.hpp"
#include "director/check/tcp_connect.hpp"

namespace lvsctl::director::check {

class DnsProbe final : public Probe {
 public:
  DnsProbe(EventLoop& loop, const Checker& checker);
  void start(Done done) override;

 private:
  bool on_readable();  // true: the probe finished
  void on_timeout();

  EventLoop& loop_;
  SocketAttempt attempt_;
  Result<ConnectSpec> spec_;
  config::DnsCheck dns_;
  Duration timeout_;
  std::uint64_t id_state_;
  std::vector<std::uint8_t> query_;
  std::vector<std::uint8_t> buffer_;
  unsigned skipped_ = 0;  // datagrams that were not our answer, this attempt
};

}  // namespace lvsctl::director::check
