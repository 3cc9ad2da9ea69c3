#pragma once
// One nftables transaction being built: batch begin, messages, batch end, in a buffer that grows
// (a table of 10,000 services is megabytes). Adapter: no decisions.
//
// Only the last message asks for an acknowledgement: the kernel reports every failing message
// anyway, and tens of thousands of acks would overflow the socket's receive buffer.
#include <cstddef>
#include <cstdint>
#include <vector>

struct nlmsghdr;

namespace lvsctl {

class NftBatch {
 public:
  NftBatch();

  // A message header for a message of at most `max_size` bytes; fill its payload (libnftnl
  // *_nlmsg_build_payload), then call commit(). `flags` without NLM_F_ACK.
  nlmsghdr* add(std::uint16_t type, std::uint16_t family, std::uint16_t flags,
                std::size_t max_size = 8192);
  void commit();
  // Closes the batch (the last message gets NLM_F_ACK); then data()/size() are the bytes to send.
  void finish();

  const void* data() const { return buf_.data(); }
  std::size_t size() const { return used_; }
  std::size_t messages() const { return messages_; }

 private:
  std::vector<char> buf_;
  std::size_t used_ = 0;
  std::size_t last_ = 0;  // offset of the last committed message
  std::size_t messages_ = 0;
  std::uint32_t seq_ = 1;
};

}  // namespace lvsctl
