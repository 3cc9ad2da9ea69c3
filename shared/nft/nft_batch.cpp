#include "shared/nft/nft_batch.hpp"

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netlink.h>

namespace lvsctl {

NftBatch::NftBatch() : buf_(1 << 16) {
  nftnl_batch_begin(buf_.data(), seq_++);
  used_ = NLMSG_ALIGN(reinterpret_cast<nlmsghdr*>(buf_.data())->nlmsg_len);
}

nlmsghdr* NftBatch::add(std::uint16_t type, std::uint16_t family, std::uint16_t flags,
                        std::size_t max_size) {
  if (buf_.size() - used_ < max_size + 64) buf_.resize((used_ + max_size + 64) * 2);
  return nftnl_nlmsg_build_hdr(buf_.data() + used_, type, family, flags, seq_++);
}

void NftBatch::commit() {
  auto* nlh = reinterpret_cast<nlmsghdr*>(buf_.data() + used_);
  last_ = used_;
  used_ += NLMSG_ALIGN(nlh->nlmsg_len);
  ++messages_;
}

void NftBatch::finish() {
  if (messages_ != 0) reinterpret_cast<nlmsghdr*>(buf_.data() + last_)->nlmsg_flags |= NLM_F_ACK;
  if (buf_.size() - used_ < 64) buf_.resize(used_ + 64);
  nftnl_batch_end(buf_.data() + used_, seq_++);
  used_ += NLMSG_ALIGN(reinterpret_cast<nlmsghdr*>(buf_.data() + used_)->nlmsg_len);
}

}  // namespace lvsctl
