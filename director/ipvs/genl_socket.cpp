#include "director/ipvs/genl_socket.hpp"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace lvsctl::director::ipvs {

void NlMsgDeleter::operator()(nl_msg* msg) const noexcept { nlmsg_free(msg); }

namespace {

constexpr int kSocketBuffer = 4 << 20;
constexpr std::size_t kBatchBytes = 64 << 10;

// libnl reports its own error numbers; map the common ones back to errno for callers.
int errno_of_nl(int nlerr) {
  switch (nlerr < 0 ? -nlerr : nlerr) {
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_PERM: return EPERM;
    case NLE_NOACCESS: return EACCES;
    case NLE_NOMEM: return ENOMEM;
    case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
    case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
    default: return EIO;
  }
}

// The netlink messages in a received datagram (stops at the first malformed header).
std::vector<const nlmsghdr*> split_messages(const char* data, std::size_t len) {
  std::vector<const nlmsghdr*> out;
  std::size_t off = 0;
  while (off + sizeof(nlmsghdr) <= len) {
    const auto* h = reinterpret_cast<const nlmsghdr*>(data + off);
    if (h->nlmsg_len < sizeof(nlmsghdr) || h->nlmsg_len > len - off) break;
    out.push_back(h);
    off += NLMSG_ALIGN(h->nlmsg_len);
  }
  return out;
}

Error nl_error(const std::string& what, int nlerr) {
  return Error{what + ": " + nl_geterror(nlerr), errno_of_nl(nlerr)};
}

}  // namespace

Result<GenlSocket> GenlSocket::open(const std::string& family, std::uint8_t version) {
  nl_sock* sock = nl_socket_alloc();
  if (!sock) return Error{"allocating a netlink socket: out of memory", ENOMEM};
  if (int err = genl_connect(sock); err < 0) {
    nl_socket_free(sock);
    return nl_error("opening a generic netlink socket", err);
  }
  const int id = genl_ctrl_resolve(sock, family.c_str());
  if (id < 0) {
    nl_socket_free(sock);
    Error e = nl_error("resolving generic netlink family " + family, id);
    if (e.code == ENOENT) e.message = "generic netlink family " + family + " not found in this kernel";
    return e;
  }
  GenlSocket s(sock, id, version);
  const int fd = nl_socket_get_fd(sock);
  // As root, take a big receive buffer so a whole batch of acknowledgements always fits;
  // otherwise keep batches small enough for the default buffer.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kSocketBuffer, sizeof kSocketBuffer) == 0) {
    s.batch_limit_ = 256;
  } else {
    nl_socket_set_buffer_size(sock, kSocketBuffer, 0);
    s.batch_limit_ = 32;
  }
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &kSocketBuffer, sizeof kSocketBuffer);
  const int one = 1;
  // Acknowledgements of failed requests without the request echoed back: smaller, same errno.
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  return s;
}

GenlSocket::GenlSocket(nl_sock* sock, int family_id, std::uint8_t version)
    : sock_(sock), family_id_(family_id), version_(version), rx_(256 << 10) {}

GenlSocket::GenlSocket(GenlSocket&& o) noexcept
    : sock_(std::exchange(o.sock_, nullptr)),
      family_id_(o.family_id_),
      version_(o.version_),
      next_seq_(o.next_seq_),
      batch_limit_(o.batch_limit_),
      requests_sent_(o.requests_sent_),
      rx_(std::move(o.rx_)) {}

GenlSocket& GenlSocket::operator=(GenlSocket&& o) noexcept {
  if (this != &o) {
    close();
    sock_ = std::exchange(o.sock_, nullptr);
    family_id_ = o.family_id_;
    version_ = o.version_;
    next_seq_ = o.next_seq_;
    batch_limit_ = o.batch_limit_;
    requests_sent_ = o.requests_sent_;
    rx_ = std::move(o.rx_);
  }
  return *this;
}

GenlSocket::~GenlSocket() { close(); }

void GenlSocket::close() noexcept {
  if (sock_) nl_socket_free(sock_);
  sock_ = nullptr;
}

NlMsg GenlSocket::message(std::uint8_t command) const {
  NlMsg msg(nlmsg_alloc());
  if (!msg) return msg;
  if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_id_, 0, 0, command, version_)) {
    msg.reset();
  }
  return msg;
}

Status GenlSocket::send_all(const std::vector<char>& buffer) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    const ssize_t n = ::sendto(nl_socket_get_fd(sock_), buffer.data(), buffer.size(), 0,
                               reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
    if (n >= 0) return {};
    if (errno == EINTR) continue;
    return Error::from_errno("sending generic netlink requests");
  }
}

Result<std::vector<int>> GenlSocket::execute(std::span<nl_msg* const> messages) {
  std::vector<int> results(messages.size(), 0);
  std::vector<char> buffer;
  std::size_t begin = 0;
  while (begin < messages.size()) {
    // One batch: up to batch_limit_ messages and kBatchBytes bytes (at least one message).
    buffer.clear();
    const std::uint32_t first_seq = next_seq_;
    std::size_t end = begin;
    while (end < messages.size() && end - begin < batch_limit_) {
      nlmsghdr* hdr = nlmsg_hdr(messages[end]);
      const std::size_t len = NLMSG_ALIGN(hdr->nlmsg_len);
      if (end > begin && buffer.size() + len > kBatchBytes) break;
      hdr->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_ACK);
      hdr->nlmsg_seq = next_seq_++;
      hdr->nlmsg_pid = 0;
      const char* bytes = reinterpret_cast<const char*>(hdr);
      buffer.insert(buffer.end(), bytes, bytes + hdr->nlmsg_len);
      buffer.resize(buffer.size() + (len - hdr->nlmsg_len), 0);
      ++end;
    }
    if (auto st = send_all(buffer); !st) return st.error();
    requests_sent_ += end - begin;

    std::size_t pending = end - begin;
    while (pending > 0) {
      const ssize_t n = ::recv(nl_socket_get_fd(sock_), rx_.data(), rx_.size(), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::from_errno("reading generic netlink acknowledgements");
      }
      for (const nlmsghdr* hdr : split_messages(rx_.data(), static_cast<std::size_t>(n))) {
        if (hdr->nlmsg_type != NLMSG_ERROR) continue;
        const std::uint32_t seq = hdr->nlmsg_seq;
        if (seq < first_seq || seq >= first_seq + (end - begin)) continue;  // not ours / stale
        const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(hdr));
        results[begin + (seq - first_seq)] = -err->error;
        --pending;
      }
    }
    begin = end;
  }
  return results;
}

Status GenlSocket::request(nl_msg* message, bool dump, const ReplyHandler& on_reply) {
  nlmsghdr* hdr = nlmsg_hdr(message);
  hdr->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK));
  const std::uint32_t seq = hdr->nlmsg_seq = next_seq_++;
  hdr->nlmsg_pid = 0;
  const char* bytes = reinterpret_cast<const char*>(hdr);
  if (auto st = send_all(std::vector<char>(bytes, bytes + hdr->nlmsg_len)); !st) return st;
  ++requests_sent_;

  Status handler_status;
  for (;;) {
    const ssize_t n = ::recv(nl_socket_get_fd(sock_), rx_.data(), rx_.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("reading a generic netlink reply");
    }
    for (const nlmsghdr* h : split_messages(rx_.data(), static_cast<std::size_t>(n))) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) {
        int err = 0;
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) std::memcpy(&err, NLMSG_DATA(h), sizeof err);
        if (err < 0) return Error{std::string("kernel ended the dump with: ") + std::strerror(-err), -err};
        return handler_status;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        if (e->error != 0) return Error{std::strerror(-e->error), -e->error};
        if (!dump) return handler_status;
        continue;
      }
      if (h->nlmsg_type < NLMSG_MIN_TYPE) continue;
      // Keep draining after a handler error so the socket stays in step.
      if (handler_status.ok()) handler_status = on_reply(*h);
    }
  }
}

}  // namespace lvsctl::director::ipvs
