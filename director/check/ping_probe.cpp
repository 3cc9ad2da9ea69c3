#include "director/check/ping_probe.hpp"

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace lvsctl::director::check {
namespace {

constexpr int kReadsPerWakeup = 64;
constexpr std::size_t kPayload = 16;

std::mt19937& random_engine() {
  static std::mt19937 engine{std::random_device{}()};
  return engine;
}

std::uint16_t next_sequence() {
  static std::uint16_t sequence = static_cast<std::uint16_t>(random_engine()());
  return ++sequence;
}

std::string address_text(const sockaddr_storage& a) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (a.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&a)->sin_addr, text, sizeof text);
  } else if (a.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&a)->sin6_addr, text, sizeof text);
  }
  return text;
}

// The kernel filters a raw socket's input to echo replies (errors come by the error queue).
void filter_raw(int fd, IcmpFamily family) {
  if (family == IcmpFamily::V4) {
    icmp_filter f{};
    f.data = ~(1U << ICMP_ECHOREPLY);
    ::setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof f);
  } else {
    icmp6_filter f{};
    ICMP6_FILTER_SETBLOCKALL(&f);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
    ::setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
  }
}

}  // namespace

PingProbe::PingProbe(EventLoop& loop, const Checker& checker)
    : loop_(loop),
      attempt_(loop),
      // ICMP has no ports: bind_port does not apply, connect_port is ignored (as keepalived).
      spec_(connect_spec(Endpoint{checker.connect.ip, 0}, checker.bindto, std::nullopt)),
      family_(checker.connect.ip.is_v4() ? IcmpFamily::V4 : IcmpFamily::V6),
      timeout_(checker.connect_timeout) {
  request_.id = static_cast<std::uint16_t>(random_engine()());
}

Status PingProbe::open_socket() {
  const int protocol = family_ == IcmpFamily::V4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  auto fd = start_connect(*spec_, SOCK_DGRAM, protocol);
  raw_ = false;
  if (!fd && (fd.error().code == EACCES || fd.error().code == EPERM ||
              fd.error().code == EPROTONOSUPPORT)) {
    // ping_group_range does not admit us (or no ping sockets): a raw socket.
    fd = start_connect(*spec_, SOCK_RAW, protocol);
    raw_ = true;
  }
  if (!fd) return fd.error();
  attempt_.fd = std::move(fd).value();
  const int one = 1;
  if (family_ == IcmpFamily::V4) {
    ::setsockopt(attempt_.fd.get(), SOL_IP, IP_RECVERR, &one, sizeof one);
  } else {
    ::setsockopt(attempt_.fd.get(), SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  }
  if (raw_) {
    filter_raw(attempt_.fd.get(), family_);
  } else {
    // A ping socket's identifier is its local "port", chosen by the kernel at connect().
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(attempt_.fd.get(), reinterpret_cast<sockaddr*>(&local), &len) != 0) {
      return Error::from_errno("getsockname of the ping socket");
    }
    request_.id = ntohs(local.ss_family == AF_INET
                            ? reinterpret_cast<const sockaddr_in*>(&local)->sin_port
                            : reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
  }
  return {};
}

void PingProbe::start(Done done) {
  attempt_.begin(std::move(done));
  if (!spec_) return attempt_.fail_soon(spec_.error().message);
  if (auto st = open_socket(); !st) return attempt_.fail_soon(st.error().message);
  request_.sequence = next_sequence();
  request_.data.resize(kPayload);
  for (auto& b : request_.data) b = static_cast<std::uint8_t>(random_engine()());
  const auto message = encode_echo_request(family_, request_);
  if (::send(attempt_.fd.get(), message.data(), message.size(), 0) < 0) {
    return attempt_.fail_soon("echo request to " + spec_->target.ip.to_string() + ": " +
                              std::strerror(errno));
  }
  if (auto st = loop_.watch(attempt_.fd.get(), io::kReadable, [this](std::uint32_t) { on_readable(); });
      !st) {
    return attempt_.fail_soon(st.error().message);
  }
  attempt_.timer = loop_.after(timeout_, [this] {
    attempt_.timer = 0;
    on_timeout();
  });
}

bool PingProbe::from_target(const sockaddr_storage& from) const {
  const SocketAddress& to = spec_->destination;
  if (from.ss_family != to.family) return false;
  if (from.ss_family == AF_INET) {
    return reinterpret_cast<const sockaddr_in*>(&from)->sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in*>(&to.storage)->sin_addr.s_addr;
  }
  return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&from)->sin6_addr,
                     &reinterpret_cast<const sockaddr_in6*>(&to.storage)->sin6_addr,
                     sizeof(in6_addr)) == 0;
}

bool PingProbe::read_errors() {
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    sockaddr_storage original{};  // the destination of the packet the error quotes
    alignas(cmsghdr) std::array<char, 512> control{};
    iovec iov{buffer_.data(), buffer_.size()};
    msghdr msg{};
    msg.msg_name = &original;
    msg.msg_namelen = sizeof original;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    const ssize_t n = ::recvmsg(attempt_.fd.get(), &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (n < 0) return false;  // EAGAIN: the queue is empty
    const sock_extended_err* ee = nullptr;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
          (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
        ee = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
      }
    }
    if (ee == nullptr ||
        (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6)) {
      continue;
    }
    const auto quoted = decode_quoted_echo_request(
        family_, std::span(buffer_.data(), std::min(static_cast<std::size_t>(n), buffer_.size())));
    if (!quoted || quoted->id != request_.id || quoted->sequence != request_.sequence ||
        !from_target(original)) {
      continue;  // about another request
    }
    sockaddr_storage offender{};
    const auto* off = SO_EE_OFFENDER(ee);
    std::memcpy(&offender, off, off->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    attempt_.finish(ProbeResult::down(
        "echo request to " + spec_->target.ip.to_string() + ": " + std::strerror(static_cast<int>(ee->ee_errno)) +
        " (" + (family_ == IcmpFamily::V4 ? "ICMP" : "ICMPv6") + " type " + std::to_string(ee->ee_type) +
        " code " + std::to_string(ee->ee_code) + " from " + address_text(offender) + ")"));
    return true;
  }
  return false;
}

bool PingProbe::read_replies() {
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(attempt_.fd.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EAGAIN) return false;
      continue;  // the socket's pending ICMP error (read from the error queue) or EINTR
    }
    if (!from_target(from)) continue;
    const auto reply = decode_echo_reply(
        family_, std::span(buffer_.data(), std::min(static_cast<std::size_t>(n), buffer_.size())),
        raw_ && family_ == IcmpFamily::V4);
    if (!reply || !answers(*reply, request_)) continue;
    attempt_.finish(ProbeResult::up(std::string("echo reply (") + (raw_ ? "raw" : "ping") + " socket)"));
    return true;
  }
  return false;
}

bool PingProbe::on_readable() { return read_errors() || read_replies(); }

void PingProbe::on_timeout() {
  // A busy loop may reach this timer before the socket's pending event: ask the socket itself.
  pollfd p{attempt_.fd.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) == 1 && p.revents != 0 && on_readable()) return;
  attempt_.finish(ProbeResult::down("no echo reply within " + format_seconds(timeout_)));
}

}  // namespace lvsctl::director::check
