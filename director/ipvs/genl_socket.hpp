#pragma once
// GenlSocket: one generic-netlink socket (libnl-genl-3) bound to one family, resolved once at
// open. Move-only; closes on destruction. Knows nothing of IPVS: it sends requests built with
// libnl and returns the kernel's answers.
//
// Requests go out in batches (many netlink messages per sendmsg, each with its own sequence
// number and NLM_F_ACK), so programming thousands of objects costs a few dozen system calls,
// not a round trip per object. The kernel handles the messages of a batch one after another,
// exactly as if they had been sent one by one.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "shared/result.hpp"

struct nl_sock;
struct nl_msg;
struct nlmsghdr;

namespace lvsctl::director::ipvs {

struct NlMsgDeleter {
  void operator()(nl_msg* msg) const noexcept;
};
using NlMsg = std::unique_ptr<nl_msg, NlMsgDeleter>;

class GenlSocket {
 public:
  // Opens the socket and resolves `family` (e.g. "IPVS"). When the family does not exist the
  // error code is ENOENT (for IPVS: module not loaded or kernel built without it).
  static Result<GenlSocket> open(const std::string& family, std::uint8_t version);

  GenlSocket(GenlSocket&& other) noexcept;
  GenlSocket& operator=(GenlSocket&& other) noexcept;
  GenlSocket(const GenlSocket&) = delete;
  GenlSocket& operator=(const GenlSocket&) = delete;
  ~GenlSocket();

  // A new request carrying the genl header for `command`; attributes are added by the caller.
  // Returns null only when out of memory.
  NlMsg message(std::uint8_t command) const;

  // Sends every message as an acknowledged request and waits for all acknowledgements.
  // The result has one entry per message: 0 on success, else the positive errno the kernel
  // returned for it. An error Result means the exchange itself failed (socket error, lost
  // acknowledgements); then nothing is known about the individual messages.
  Result<std::vector<int>> execute(std::span<nl_msg* const> messages);

  // Sends one request (a dump when `dump`) and calls `on_reply` for every data message of the
  // answer. Stops at the first error, which is returned (kernel errors with their errno).
  using ReplyHandler = std::function<Status(const nlmsghdr&)>;
  Status request(nl_msg* message, bool dump, const ReplyHandler& on_reply);

  // Netlink requests sent since open (each message of a batch counts once).
  std::uint64_t requests_sent() const { return requests_sent_; }
  int family_id() const { return family_id_; }

 private:
  GenlSocket(nl_sock* sock, int family_id, std::uint8_t version);
  Status send_all(const std::vector<char>& buffer);
  void close() noexcept;

  nl_sock* sock_ = nullptr;
  int family_id_ = 0;
  std::uint8_t version_ = 1;
  std::uint32_t next_seq_ = 1;
  std::size_t batch_limit_ = 32;
  std::uint64_t requests_sent_ = 0;
  std::vector<char> rx_;  // receive buffer, reused
};

}  // namespace lvsctl::director::ipvs
