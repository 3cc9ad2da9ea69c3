#include "shared/nft/nft_socket.hpp"

#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

namespace lvsctl {
namespace {
constexpr std::size_t kBufferSize = 1 << 16;

struct DumpContext {
  const std::function<bool(const nlmsghdr*)>* on_message;
  bool failed = false;
};

int dump_cb(const nlmsghdr* nlh, void* data) {
  auto* ctx = static_cast<DumpContext*>(data);
  if (!(*ctx->on_message)(nlh)) {
    ctx->failed = true;
    return MNL_CB_ERROR;
  }
  return MNL_CB_OK;
}
}  // namespace

Error nft_error(const char* what, int err) {
  if (err == EPERM || err == EACCES) {
    return Error{fmt::format("{}: permission denied (nftables needs root or CAP_NET_ADMIN)", what),
                 err};
  }
  if (err == EPROTONOSUPPORT || err == EAFNOSUPPORT) {
    return Error{fmt::format("{}: nftables is not available in this kernel ({})", what,
                             std::strerror(err)),
                 err};
  }
  return Error{fmt::format("{}: {}", what, std::strerror(err)), err};
}

NftSocket::NftSocket(mnl_socket* s)
    : sock_(s), portid_(mnl_socket_get_portid(s)),
      seq_(static_cast<std::uint32_t>(std::time(nullptr))) {}

NftSocket::NftSocket(NftSocket&& o) noexcept
    : sock_(std::exchange(o.sock_, nullptr)), portid_(o.portid_), seq_(o.seq_),
      sndbuf_(o.sndbuf_), batches_sent_(o.batches_sent_) {}

NftSocket& NftSocket::operator=(NftSocket&& o) noexcept {
  if (this != &o) {
    if (sock_) mnl_socket_close(sock_);
    sock_ = std::exchange(o.sock_, nullptr);
    portid_ = o.portid_;
    seq_ = o.seq_;
    sndbuf_ = o.sndbuf_;
    batches_sent_ = o.batches_sent_;
  }
  return *this;
}

NftSocket::~NftSocket() {
  if (sock_) mnl_socket_close(sock_);
}

Result<NftSocket> NftSocket::open() {
  mnl_socket* s = mnl_socket_open(NETLINK_NETFILTER);
  if (!s) return nft_error("opening the netfilter netlink socket", errno);
  if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
    const int err = errno;
    mnl_socket_close(s);
    return nft_error("binding the netfilter netlink socket", err);
  }
  // An error answer quotes only the header of the failed message, not a batch message of
  // 100 KiB of set elements (which would overflow the receive buffer).
  const int on = 1;
  setsockopt(mnl_socket_get_fd(s), SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on);
  return NftSocket(s);
}

Status NftSocket::dump(const nlmsghdr* request, std::uint32_t seq,
                       const std::function<bool(const nlmsghdr*)>& on_message, const char* what) {
  if (mnl_socket_sendto(sock_, request, request->nlmsg_len) < 0) return nft_error(what, errno);
  std::vector<char> buf(kBufferSize);
  DumpContext ctx{&on_message};
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n < 0) return nft_error(what, errno);
    const int rc = mnl_cb_run(buf.data(), static_cast<std::size_t>(n), seq, portid_, dump_cb, &ctx);
    if (rc == MNL_CB_STOP) return {};
    if (rc < 0) {
      if (ctx.failed) return Error{fmt::format("{}: could not parse the kernel's answer", what)};
      return nft_error(what, errno);
    }
  }
}

void NftSocket::reserve_receive(std::size_t bytes) {
  const int fd = mnl_socket_get_fd(sock_);
  const int want = static_cast<int>(std::min<std::size_t>(bytes, 1u << 30));
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
  }
}

Status NftSocket::send_batch(const void* data, std::size_t len) {
  // The kernel takes a batch as one message: the send buffer must hold all of it (a large
  // table is megabytes; nft does the same). FORCE needs CAP_NET_ADMIN, which nftables needs too.
  const int fd0 = mnl_socket_get_fd(sock_);
  if (len + 4096 > (sndbuf_ != 0 ? sndbuf_ : std::size_t{200000})) {
    int want = static_cast<int>(std::min<std::size_t>(len * 2 + 65536, 1u << 30));
    if (setsockopt(fd0, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) != 0) {
      setsockopt(fd0, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    }
    sndbuf_ = static_cast<std::size_t>(want);
  }
  ++batches_sent_;
  if (mnl_socket_sendto(sock_, data, len) < 0) return nft_error("sending the nftables batch", errno);
  // The kernel processes the batch inside sendto(): every answer is queued already.
  std::vector<char> buf(kBufferSize);
  int first_error = 0;
  const int fd = mnl_socket_get_fd(sock_);
  for (;;) {
    const ssize_t n = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      return nft_error("reading the nftables batch answer", errno);
    }
    auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data());
    int remaining = static_cast<int>(n);
    while (mnl_nlmsg_ok(nlh, remaining)) {
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        const auto* e = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
        if (e->error != 0 && first_error == 0) first_error = -e->error;
      }
      nlh = mnl_nlmsg_next(nlh, &remaining);
    }
  }
  if (first_error != 0) return nft_error("applying the nftables change", first_error);
  return {};
}

}  // namespace lvsctl
