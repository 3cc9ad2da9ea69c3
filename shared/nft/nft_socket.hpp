#pragma once
// RAII netfilter netlink socket (libmnl) with the two exchanges the nftables backend needs:
// a dump (request, then every reply message to a callback) and a transaction batch.
// Adapter: no decisions.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "shared/result.hpp"

struct mnl_socket;
struct nlmsghdr;

namespace lvsctl {

class NftSocket {
 public:
  // Opens and binds a NETLINK_NETFILTER socket in the caller's network namespace.
  static Result<NftSocket> open();

  NftSocket(NftSocket&&) noexcept;
  NftSocket& operator=(NftSocket&&) noexcept;
  NftSocket(const NftSocket&) = delete;
  NftSocket& operator=(const NftSocket&) = delete;
  ~NftSocket();

  std::uint32_t next_seq() { return seq_++; }

  // Sends `request` (a complete NLM_F_DUMP message whose sequence is `seq`, or a GET flagged
  // NLM_F_ACK) and calls `on_message` for each reply until NLMSG_DONE (or the ACK). `on_message` returns false to signal a parse
  // failure. Error carries errno (EPERM without CAP_NET_ADMIN).
  Status dump(const nlmsghdr* request, std::uint32_t seq,
              const std::function<bool(const nlmsghdr*)>& on_message, const char* what);

  // Raises the receive buffer to at least `bytes` (SO_RCVBUFFORCE, else SO_RCVBUF): for a GET
  // whose many answers the kernel queues at once, before anything is read.
  void reserve_receive(std::size_t bytes);

  // Sends a batch (begin ... end, every inner message flagged NLM_F_ACK) and collects the
  // kernel's answers; the first error fails the whole (atomic) transaction.
  // Raises the socket's send buffer first when the batch is larger than it.
  Status send_batch(const void* data, std::size_t len);
  // Transactions sent so far (one per send_batch).
  std::uint64_t batches_sent() const { return batches_sent_; }

 private:
  explicit NftSocket(mnl_socket* s);
  mnl_socket* sock_ = nullptr;
  std::uint32_t portid_ = 0;
  std::uint32_t seq_ = 0;
  std::size_t sndbuf_ = 0;  // what we set; 0: the system default (~200 KiB)
  std::uint64_t batches_sent_ = 0;
};

// "permission denied (need root / CAP_NET_ADMIN)" etc.: an Error for a failed netlink exchange.
Error nft_error(const char* what, int err);

}  // namespace lvsctl
