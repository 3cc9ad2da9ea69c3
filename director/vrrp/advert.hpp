#pragma once
// VRRP advertisement codec, pure (no sockets, no logging).
//
// Versions: 2 (RFC 3768, IPv4 only, with the RFC 2338 "simple text password" authentication that
// keepalived still sends as `auth_type PASS`) and 3 (RFC 5798, IPv4 and IPv6, no authentication).
// Checksums: v2 covers the VRRP message only; v3 adds the IPv4 or IPv6 pseudo-header.
//
// On the wire (what keepalived 2.2.7 sends, see tests/data/vrrp/): IPv4 TOS 0xc0, TTL 255,
// no DF flag, its own IP id counter starting at 1, destination 224.0.0.18. The runtime sends
// IPv4 adverts with IP_HDRINCL and the header built by encode_ip_packet(), so that our packets are
// byte-identical to keepalived's (the golden tests check header and message). For IPv6 the kernel
// builds the header (hop limit and traffic class set by socket options, checksum by
// IPV6_CHECKSUM), so the runtime sends encode() only.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shared/ip_address.hpp"

namespace lvsctl::director::vrrp {

inline constexpr uint8_t kIpProtocolVrrp = 112;
inline constexpr uint8_t kRequiredHopLimit = 255;  // TTL / hop limit of every multicast advert
inline constexpr uint8_t kTos = 0xc0;              // DSCP CS6, "network control"
inline constexpr uint8_t kTypeAdvertisement = 1;
inline constexpr std::size_t kAuthDataSize = 8;     // v2 only
inline constexpr uint16_t kMaxIntervalCs = 0x0fff;  // v3: 12 bits of centiseconds

enum class AuthType : uint8_t { none = 0, pass = 1, ah = 2 };
std::string_view to_string(AuthType type);

// One advertisement plus the IP envelope it travels in.
struct Advert {
  uint8_t version = 2;         // 2 or 3
  uint8_t vrid = 0;            // 1..255
  uint8_t priority = 0;        // 0 = "stop, take over now"; 255 = address owner
  uint16_t interval_cs = 100;  // centiseconds. v2 carries whole seconds (interval_cs / 100).
  AuthType auth_type = AuthType::none;             // v2 only; v3 has no authentication
  std::array<uint8_t, kAuthDataSize> auth_data{};  // v2 only, sent even for AuthType::none
  std::vector<IpAddress> addresses;                // the virtual addresses, all of one family

  // IP envelope: decode fills these from the packet (or the caller's context; nullopt when that
  // did not know them); encode uses source/destination for the v3 pseudo-header and for
  // encode_ip_packet() (nullopt there counts as all-zero bytes).
  std::optional<IpAddress> source;
  std::optional<IpAddress> destination;
  uint8_t hop_limit = kRequiredHopLimit;
  uint16_t checksum = 0;  // decode: the value found on the wire; encode ignores it

  friend bool operator==(const Advert&, const Advert&) = default;
};

// keepalived's PASS data: the password's first 8 bytes, zero padded.
std::array<uint8_t, kAuthDataSize> pass_auth_data(std::string_view password);
// The printable PASS password of `advert` (up to the first NUL); "" when there is none.
std::string pass_text(const Advert& advert);

// The VRRP message (header, addresses, v2 auth data) with its checksum. Requires version 2 or 3,
// addresses of one family (for v3 also source/destination of that family); v2 requires IPv4.
// interval_cs is truncated to whole seconds for v2 and to 12 bits for v3.
std::vector<uint8_t> encode(const Advert& advert);

// encode() behind an IPv4 header (TOS 0xc0, TTL = hop_limit, id = `ip_id`, no flags, header
// checksum) or an IPv6 header (traffic class 0xc0, flow label 0, hop limit = hop_limit).
std::vector<uint8_t> encode_ip_packet(const Advert& advert, uint16_t ip_id = 0);

// Why a packet was not accepted. Values are stable (counted per reason by the runtime).
enum class Reject : uint8_t {
  truncated,              // shorter than the headers it claims
  bad_ip_header,          // IPv4 header checksum, header length, fragment
  not_vrrp,               // IP protocol / next header is not 112
  bad_hop_limit,          // TTL / hop limit not 255
  wrong_version,          // VRRP version not 2/3, or not the one expected, or v2 over IPv6
  wrong_type,             // VRRP type not 1 (advertisement)
  length_mismatch,        // the message length does not match its address count
  bad_checksum,           // VRRP checksum
  wrong_vrid,             // not the expected VRID
  auth_type_mismatch,     // v2 auth type differs from ours (or is not 0/1)
  auth_mismatch,          // v2 PASS data differs from ours
  interval_mismatch,      // v2 advert interval differs from ours (keepalived drops these)
  address_list_mismatch,  // the virtual addresses differ from ours
};
std::string_view to_string(Reject reason);

struct Rejection {
  Reject reason;
  std::string detail;        // the offending values, e.g. "TTL 64"
  std::string text() const;  // "bad TTL/hop limit: TTL 64"
};

// What a local instance expects of its peers. With an expectation decode() also performs the
// per-instance checks of RFC 3768/5798 section 7.1 as keepalived does them.
struct Expectation {
  uint8_t version = 2;
  uint8_t vrid = 0;
  AuthType auth_type = AuthType::none;             // v2
  std::array<uint8_t, kAuthDataSize> auth_data{};  // v2 PASS
  uint16_t interval_cs = 100;                      // v2 must match; v3 adopts the master's
  std::vector<IpAddress> addresses;                // order does not matter
  // keepalived logs an address list mismatch and still accepts the advert (RFC: "MAY"); so do we
  // unless this is set. Without it a mismatch is reported as DecodeResult::warning.
  bool reject_address_mismatch = false;
};

// Envelope for a bare VRRP message (what an IPv6 raw socket returns): the addresses for the v3
// checksum (and the family: IPv4 when neither is given) and the hop limit from
// IPV6_RECVHOPLIMIT (-1 = unknown, not checked).
struct PacketContext {
  std::optional<IpAddress> source;       // nullopt: unknown
  std::optional<IpAddress> destination;  // nullopt: unknown
  int hop_limit = -1;
  bool checksum_checked = false;  // the kernel verified it (IPV6_CHECKSUM); skip ours
};

struct DecodeOptions {
  PacketContext context;                // used only for bare messages
  const Expectation* expect = nullptr;  // null: structural checks only (what `watch` needs)
  bool check_hop_limit = true;          // false for unicast peers
};

// An advert, or why the packet was rejected; ok() adverts may carry a warning.
class DecodeResult {
 public:
  DecodeResult(Advert advert) : v_(std::move(advert)) {}  // NOLINT(google-explicit-constructor)
  DecodeResult(Rejection why) : v_(std::move(why)) {}     // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<Advert>(v_); }
  explicit operator bool() const { return ok(); }
  const Advert& value() const& { return std::get<Advert>(v_); }
  Advert&& value() && { return std::get<Advert>(std::move(v_)); }
  const Advert* operator->() const { return &value(); }
  const Rejection& rejection() const { return std::get<Rejection>(v_); }

  std::optional<Rejection> warning;  // accepted, but worth a log line (address list mismatch)

 private:
  std::variant<Advert, Rejection> v_;
};

// Decodes `bytes`, which is one of: an IPv4 packet (first nibble 4), an IPv6 packet without
// extension headers (first nibble 6), or a bare VRRP message (first nibble 2 or 3, envelope from
// options.context). Trailing bytes after an IPv4 packet's total length (Ethernet padding) are
// ignored. Checks, first failure wins: IP header, protocol, hop limit, version, type, length,
// checksum; then, with an expectation: VRID, version, auth type, auth data, interval (v2),
// addresses.
DecodeResult decode(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

}  // namespace lvsctl::director::vrrp
