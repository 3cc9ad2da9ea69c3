#include "director/vrrp/advert.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "shared/internet_checksum.hpp"

namespace lvsctl::director::vrrp {
namespace {

constexpr std::size_t kHeaderSize = 8;  // version/type, vrid, priority, count, 2 x 16 bits
constexpr std::size_t kIpv4HeaderSize = 20;
constexpr std::size_t kIpv6HeaderSize = 40;

uint16_t load16(std::span<const uint8_t> b, std::size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

void store16(std::vector<uint8_t>& b, std::size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v & 0xff);
}

void append(std::vector<uint8_t>& b, std::span<const uint8_t> bytes) {
  b.insert(b.end(), bytes.begin(), bytes.end());
}

// The bytes of an envelope address; none when it is not known.
std::span<const uint8_t> bytes_of(const std::optional<IpAddress>& a) {
  return a ? a->bytes() : std::span<const uint8_t>();
}

bool is_v6(const std::optional<IpAddress>& a) { return a && a->is_v6(); }

// `size` bytes of `a` at `at` in `b`; the bytes `a` does not have stay zero.
void put_address(std::vector<uint8_t>& b, std::size_t at, const std::optional<IpAddress>& a,
                 std::size_t size) {
  const auto bytes = bytes_of(a);
  std::copy_n(bytes.begin(), std::min(size, bytes.size()),
              b.begin() + static_cast<std::ptrdiff_t>(at));
}

// The v3 checksum: pseudo-header of the address family, then the message.
uint16_t v3_checksum(const std::optional<IpAddress>& src, const std::optional<IpAddress>& dst,
                     std::span<const uint8_t> msg) {
  InternetChecksum sum;
  sum.add(bytes_of(src));
  sum.add(bytes_of(dst));
  const auto len = static_cast<uint32_t>(msg.size());
  if (is_v6(src)) {
    const uint8_t tail[8] = {static_cast<uint8_t>(len >> 24),
                             static_cast<uint8_t>(len >> 16),
                             static_cast<uint8_t>(len >> 8),
                             static_cast<uint8_t>(len),
                             0,
                             0,
                             0,
                             kIpProtocolVrrp};
    sum.add(tail);
  } else {
    const uint8_t tail[4] = {0, kIpProtocolVrrp, static_cast<uint8_t>(len >> 8),
                             static_cast<uint8_t>(len)};
    sum.add(tail);
  }
  sum.add(msg);
  return sum.value();
}

uint16_t message_checksum(const Advert& a, std::span<const uint8_t> msg) {
  if (a.version == 3) return v3_checksum(a.source, a.destination, msg);
  InternetChecksum sum;
  sum.add(msg);
  return sum.value();
}

// `size` (4 or 16) bytes at `at`, which the caller has checked are there.
IpAddress address_at(std::span<const uint8_t> b, std::size_t at, std::size_t size) {
  return *IpAddress::from_bytes(b.subspan(at, size));
}

Rejection reject(Reject r, std::string detail) { return Rejection{r, std::move(detail)}; }

// The IP envelope found in front of (or given for) a VRRP message.
struct Envelope {
  std::optional<IpAddress> source;
  std::optional<IpAddress> destination;
  int hop_limit = -1;
  bool checksum_checked = false;
  std::span<const uint8_t> message;
};

std::variant<Envelope, Rejection> strip_ipv4(std::span<const uint8_t> b) {
  if (b.size() < kIpv4HeaderSize)
    return reject(Reject::truncated, fmt::format("{} bytes", b.size()));
  const std::size_t ihl = static_cast<std::size_t>(b[0] & 0x0f) * 4;
  if (ihl < kIpv4HeaderSize || ihl > b.size()) {
    return reject(Reject::bad_ip_header, fmt::format("header length {}", ihl));
  }
  const std::size_t total = load16(b, 2);
  if (total < ihl || total > b.size()) {
    return reject(Reject::truncated,
                  fmt::format("IP total length {} but {} bytes", total, b.size()));
  }
  InternetChecksum sum;
  sum.add(b.first(ihl));
  if (sum.value() != 0) return reject(Reject::bad_ip_header, "IPv4 header checksum");
  if ((load16(b, 6) & 0x3fff) != 0) return reject(Reject::bad_ip_header, "fragment");
  if (b[9] != kIpProtocolVrrp) return reject(Reject::not_vrrp, fmt::format("IP protocol {}", b[9]));
  Envelope e;
  e.source = address_at(b, 12, 4);
  e.destination = address_at(b, 16, 4);
  e.hop_limit = b[8];
  e.message = b.subspan(ihl, total - ihl);
  return e;
}

std::variant<Envelope, Rejection> strip_ipv6(std::span<const uint8_t> b) {
  if (b.size() < kIpv6HeaderSize)
    return reject(Reject::truncated, fmt::format("{} bytes", b.size()));
  const std::size_t payload = load16(b, 4);
  if (kIpv6HeaderSize + payload > b.size()) {
    return reject(Reject::truncated, fmt::format("IPv6 payload length {} but {} bytes", payload,
                                                 b.size() - kIpv6HeaderSize));
  }
  if (b[6] != kIpProtocolVrrp) return reject(Reject::not_vrrp, fmt::format("next header {}", b[6]));
  Envelope e;
  e.source = address_at(b, 8, 16);
  e.destination = address_at(b, 24, 16);
  e.hop_limit = b[7];
  e.message = b.subspan(kIpv6HeaderSize, payload);
  return e;
}

std::string addresses_text(const std::vector<IpAddress>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ',';
    out += a.to_string();
  }
  return out.empty() ? "none" : out;
}

// Per-instance checks (RFC 3768/5798 section 7.1 and what keepalived does).
std::optional<Rejection> check_expectation(const Advert& a, const Expectation& x,
                                           std::optional<Rejection>& warning) {
  if (a.vrid != x.vrid) {
    return reject(Reject::wrong_vrid, fmt::format("VRID {}, ours {}", a.vrid, x.vrid));
  }
  if (a.version != x.version) {
    return reject(Reject::wrong_version, fmt::format("version {}, ours {}", a.version, x.version));
  }
  if (a.version == 2) {
    if (a.auth_type != x.auth_type) {
      return reject(Reject::auth_type_mismatch,
                    fmt::format("auth type {}, ours {}", static_cast<int>(a.auth_type),
                                static_cast<int>(x.auth_type)));
    }
    if (a.auth_type == AuthType::pass && a.auth_data != x.auth_data) {
      return reject(Reject::auth_mismatch, "wrong PASS password");  // never log the secret
    }
    if (a.interval_cs / 100 != x.interval_cs / 100) {
      return reject(
          Reject::interval_mismatch,
          fmt::format("advert_int {} s, ours {} s", a.interval_cs / 100, x.interval_cs / 100));
    }
  }
  if (a.addresses == x.addresses) return std::nullopt;  // the usual case: same order
  auto theirs = a.addresses;
  auto ours = x.addresses;
  std::sort(theirs.begin(), theirs.end());
  std::sort(ours.begin(), ours.end());
  if (theirs != ours) {
    Rejection r = reject(Reject::address_list_mismatch,
                         fmt::format("advertised {}, ours {}", addresses_text(a.addresses),
                                     addresses_text(x.addresses)));
    if (x.reject_address_mismatch) return r;
    warning = std::move(r);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AuthType type) {
  switch (type) {
    case AuthType::none:
      return "none";
    case AuthType::pass:
      return "PASS";
    case AuthType::ah:
      return "AH";
  }
  return "unknown";
}

std::string_view to_string(Reject reason) {
  switch (reason) {
    case Reject::truncated:
      return "truncated packet";
    case Reject::bad_ip_header:
      return "bad IP header";
    case Reject::not_vrrp:
      return "not VRRP";
    case Reject::bad_hop_limit:
      return "bad TTL/hop limit";
    case Reject::wrong_version:
      return "wrong VRRP version";
    case Reject::wrong_type:
      return "wrong VRRP packet type";
    case Reject::length_mismatch:
      return "length mismatch";
    case Reject::bad_checksum:
      return "bad checksum";
    case Reject::wrong_vrid:
      return "wrong VRID";
    case Reject::auth_type_mismatch:
      return "auth type mismatch";
    case Reject::auth_mismatch:
      return "auth mismatch";
    case Reject::interval_mismatch:
      return "advert interval mismatch";
    case Reject::address_list_mismatch:
      return "address list mismatch";
  }
  return "unknown";
}

std::string Rejection::text() const {
  return detail.empty() ? std::string(to_string(reason))
                        : fmt::format("{}: {}", to_string(reason), detail);
}

std::array<uint8_t, kAuthDataSize> pass_auth_data(std::string_view password) {
  std::array<uint8_t, kAuthDataSize> data{};
  std::copy_n(password.begin(), std::min(password.size(), data.size()), data.begin());
  return data;
}

std::string pass_text(const Advert& advert) {
  if (advert.auth_type != AuthType::pass) return {};
  const auto end = std::find(advert.auth_data.begin(), advert.auth_data.end(), 0);
  return std::string(advert.auth_data.begin(), end);
}

std::vector<uint8_t> encode(const Advert& a) {
  std::vector<uint8_t> b(kHeaderSize, 0);
  b[0] = static_cast<uint8_t>((a.version << 4) | kTypeAdvertisement);
  b[1] = a.vrid;
  b[2] = a.priority;
  b[3] = static_cast<uint8_t>(a.addresses.size());
  if (a.version == 2) {
    b[4] = static_cast<uint8_t>(a.auth_type);
    b[5] = static_cast<uint8_t>(std::min(a.interval_cs / 100, 255));
  } else {
    store16(b, 4, static_cast<uint16_t>(a.interval_cs & kMaxIntervalCs));
  }
  for (const auto& addr : a.addresses) append(b, addr.bytes());
  if (a.version == 2) append(b, a.auth_data);
  store16(b, 6, message_checksum(a, b));
  return b;
}

std::vector<uint8_t> encode_ip_packet(const Advert& a, uint16_t ip_id) {
  const std::vector<uint8_t> msg = encode(a);
  std::vector<uint8_t> b;
  if (is_v6(a.source)) {
    b.assign(kIpv6HeaderSize, 0);
    b[0] = static_cast<uint8_t>(0x60 | (kTos >> 4));
    b[1] = static_cast<uint8_t>((kTos & 0x0f) << 4);
    store16(b, 4, static_cast<uint16_t>(msg.size()));
    b[6] = kIpProtocolVrrp;
    b[7] = a.hop_limit;
    put_address(b, 8, a.source, 16);
    put_address(b, 24, a.destination, 16);
  } else {
    b.assign(kIpv4HeaderSize, 0);
    b[0] = 0x45;
    b[1] = kTos;
    store16(b, 2, static_cast<uint16_t>(kIpv4HeaderSize + msg.size()));
    store16(b, 4, ip_id);
    b[8] = a.hop_limit;
    b[9] = kIpProtocolVrrp;
    put_address(b, 12, a.source, 4);
    put_address(b, 16, a.destination, 4);
    InternetChecksum sum;
    sum.add(b);
    store16(b, 10, sum.value());
  }
  append(b, msg);
  return b;
}

DecodeResult decode(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.empty()) return reject(Reject::truncated, "0 bytes");

  // 1. The IP envelope.
  Envelope env;
  const unsigned first_nibble = bytes[0] >> 4;
  if (first_nibble == 4 || first_nibble == 6) {
    auto stripped = first_nibble == 4 ? strip_ipv4(bytes) : strip_ipv6(bytes);
    if (auto* r = std::get_if<Rejection>(&stripped)) return std::move(*r);
    env = std::get<Envelope>(stripped);
  } else {
    env.source = options.context.source;
    env.destination = options.context.destination;
    env.hop_limit = options.context.hop_limit;
    env.checksum_checked = options.context.checksum_checked;
    env.message = bytes;
  }
  if (options.check_hop_limit && env.hop_limit >= 0 && env.hop_limit != kRequiredHopLimit) {
    return reject(Reject::bad_hop_limit, fmt::format("TTL {}", env.hop_limit));
  }

  // 2. The fixed header.
  const auto msg = env.message;
  if (msg.size() < kHeaderSize)
    return reject(Reject::truncated, fmt::format("{} bytes", msg.size()));
  Advert a;
  a.version = static_cast<uint8_t>(msg[0] >> 4);
  const unsigned type = msg[0] & 0x0f;
  if (a.version != 2 && a.version != 3) {
    return reject(Reject::wrong_version, fmt::format("version {}", a.version));
  }
  const bool v6 = is_v6(env.source) || is_v6(env.destination);
  if (a.version == 2 && v6) return reject(Reject::wrong_version, "VRRPv2 over IPv6");
  if (type != kTypeAdvertisement) return reject(Reject::wrong_type, fmt::format("type {}", type));
  a.vrid = msg[1];
  a.priority = msg[2];
  const std::size_t count = msg[3];
  if (a.version == 2) {
    a.auth_type = static_cast<AuthType>(msg[4]);
    a.interval_cs = static_cast<uint16_t>(msg[5] * 100);
  } else {
    a.interval_cs = static_cast<uint16_t>(load16(msg, 4) & kMaxIntervalCs);
  }
  a.checksum = load16(msg, 6);

  // 3. Length: header, count addresses, v2 auth data.
  const std::size_t addr_size = v6 ? 16 : 4;
  const std::size_t expected =
      kHeaderSize + count * addr_size + (a.version == 2 ? kAuthDataSize : 0);
  if (msg.size() != expected) {
    return reject(Reject::length_mismatch, fmt::format("{} bytes for {} address(es), expected {}",
                                                       msg.size(), count, expected));
  }
  a.addresses.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    a.addresses.push_back(address_at(msg, kHeaderSize + i * addr_size, addr_size));
  }
  if (a.version == 2) {
    std::copy_n(msg.begin() + static_cast<std::ptrdiff_t>(expected - kAuthDataSize), kAuthDataSize,
                a.auth_data.begin());
  }
  a.source = env.source;
  a.destination = env.destination;
  a.hop_limit = static_cast<uint8_t>(env.hop_limit < 0 ? kRequiredHopLimit : env.hop_limit);

  // 4. Checksum (a correct one makes the sum over everything 0).
  if (!env.checksum_checked) {
    if (a.version == 3 && (!a.source || !a.destination)) {
      return reject(Reject::bad_checksum, "no IP addresses to verify the VRRPv3 checksum with");
    }
    if (message_checksum(a, msg) != 0) {
      return reject(Reject::bad_checksum, fmt::format("checksum {:#06x}", a.checksum));
    }
  }

  // 5. Per-instance expectations.
  std::optional<Rejection> warning;
  if (options.expect != nullptr) {
    if (auto r = check_expectation(a, *options.expect, warning)) return std::move(*r);
  }
  DecodeResult result(std::move(a));
  result.warning = std::move(warning);
  return result;
}

}  // namespace lvsctl::director::vrrp
