#include "director/ipvs/netlink_codec.hpp"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace lvsctl::director::ipvs::codec {

static_assert(service_flag::persistent == IP_VS_SVC_F_PERSISTENT);
static_assert(service_flag::one_packet == IP_VS_SVC_F_ONEPACKET);
// The userspace header names sh's uses of flag-1/2 only; mh uses the same bits (kernel).
static_assert(service_flag::sched1 == IP_VS_SVC_F_SCHED_SH_FALLBACK);
static_assert(service_flag::sched2 == IP_VS_SVC_F_SCHED_SH_PORT);
static_assert(service_flag::sched3 == IP_VS_SVC_F_SCHED3);

namespace {

std::uint16_t af_of(AddressFamily f) { return f == AddressFamily::V4 ? AF_INET : AF_INET6; }

bool put_address(nl_msg* msg, int attribute, const IpAddress& a) {
  // The kernel reads a union nf_inet_addr (16 bytes); an IPv4 address is its first 4.
  std::array<std::uint8_t, 16> raw{};
  std::copy(a.bytes().begin(), a.bytes().end(), raw.begin());
  return nla_put(msg, attribute, static_cast<int>(raw.size()), raw.data()) == 0;
}

// Bounds-checked readers: a short attribute reads as absent.
template <typename T>
bool get(const nlattr* attr, T& out) {
  if (!attr || nla_len(attr) < static_cast<int>(sizeof(T))) return false;
  std::memcpy(&out, nla_data(attr), sizeof(T));
  return true;
}

template <typename T>
T get_or(const nlattr* attr, T fallback) {
  T v{};
  return get(attr, v) ? v : fallback;
}

bool get_address(const nlattr* attr, AddressFamily family, IpAddress& out) {
  if (!attr) return false;
  const std::size_t need = family == AddressFamily::V4 ? 4 : 16;
  if (nla_len(attr) < static_cast<int>(need)) return false;
  out = *IpAddress::from_bytes({static_cast<const std::uint8_t*>(nla_data(attr)), need});
  return true;
}

Result<AddressFamily> family_of(std::uint16_t af) {
  if (af == AF_INET) return AddressFamily::V4;
  if (af == AF_INET6) return AddressFamily::V6;
  return Error{"kernel reported unknown address family " + std::to_string(af), EPROTO};
}

Counters parse_counters(nlattr* stats64) {
  Counters c;
  if (!stats64) return c;
  nlattr* tb[IPVS_STATS_ATTR_MAX + 1] = {};
  if (nla_parse_nested(tb, IPVS_STATS_ATTR_MAX, stats64, nullptr) < 0) return c;
  c.connections = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_CONNS], 0);
  c.in_packets = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_INPKTS], 0);
  c.out_packets = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_OUTPKTS], 0);
  c.in_bytes = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_INBYTES], 0);
  c.out_bytes = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_OUTBYTES], 0);
  c.cps = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_CPS], 0);
  c.in_pps = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_INPPS], 0);
  c.out_pps = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_OUTPPS], 0);
  c.in_bps = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_INBPS], 0);
  c.out_bps = get_or<std::uint64_t>(tb[IPVS_STATS_ATTR_OUTBPS], 0);
  return c;
}

// The nested attribute `which` of a reply, parsed into tb (size max+1).
bool nested(const nlmsghdr& reply, int which, nlattr** tb, int max) {
  nlattr* top[IPVS_CMD_ATTR_MAX + 1] = {};
  if (genlmsg_parse(const_cast<nlmsghdr*>(&reply), 0, top, IPVS_CMD_ATTR_MAX, nullptr) < 0) return false;
  if (!top[which]) return false;
  return nla_parse_nested(tb, max, top[which], nullptr) == 0;
}

}  // namespace

bool put_service_key(nl_msg* msg, const ServiceKey& key) {
  Service s;
  s.key = key;
  return put_service(msg, s, false);
}

bool put_service(nl_msg* msg, const Service& service, bool full) {
  nlattr* nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
  if (!nest) return false;
  const ServiceKey& k = service.key;
  bool ok = nla_put_u16(msg, IPVS_SVC_ATTR_AF, af_of(k.family)) == 0;
  if (k.is_fwmark()) {
    ok = ok && nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, k.fwmark) == 0;
  } else {
    ok = ok && nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, static_cast<std::uint16_t>(k.protocol)) == 0 &&
         put_address(msg, IPVS_SVC_ATTR_ADDR, k.address) &&
         nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(k.port)) == 0;
  }
  if (full) {
    ip_vs_flags flags{};
    flags.flags = service.flags & service_flag::all;
    flags.mask = ~0U;
    const std::uint32_t mask = service.effective_netmask();
    ok = ok && nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, service.scheduler.c_str()) == 0 &&
         nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags) == 0 &&
         nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, service.timeout) == 0 &&
         nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK,
                     k.family == AddressFamily::V4 ? htonl(mask) : mask) == 0;
    if (ok && !service.persistence_engine.empty()) {
      ok = nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, service.persistence_engine.c_str()) == 0;
    }
  }
  nla_nest_end(msg, nest);
  return ok;
}

bool put_destination(nl_msg* msg, const Destination& d, bool full) {
  nlattr* nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
  if (!nest) return false;
  bool ok = put_address(msg, IPVS_DEST_ATTR_ADDR, d.address) &&
            nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(d.port)) == 0 &&
            nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, af_of(d.address.family())) == 0;
  if (full) {
    ok = ok && nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, static_cast<std::uint32_t>(d.forwarding)) == 0 &&
         nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, static_cast<std::uint32_t>(d.weight)) == 0 &&
         nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, d.upper_threshold) == 0 &&
         nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, d.lower_threshold) == 0;
  }
  nla_nest_end(msg, nest);
  return ok;
}

bool put_timeout(nl_msg* msg, int attribute, std::uint32_t seconds) {
  return seconds == 0 || nla_put_u32(msg, attribute, seconds) == 0;
}

bool put_timeouts(nl_msg* msg, const Timeouts& t) {
  return put_timeout(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp) &&
         put_timeout(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcp_fin) &&
         put_timeout(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp);
}

Result<Service> parse_service(const nlmsghdr& reply) {
  nlattr* tb[IPVS_SVC_ATTR_MAX + 1] = {};
  if (!nested(reply, IPVS_CMD_ATTR_SERVICE, tb, IPVS_SVC_ATTR_MAX)) {
    return Error{"malformed IPVS service in the kernel's reply", EPROTO};
  }
  std::uint16_t af = 0;
  if (!get(tb[IPVS_SVC_ATTR_AF], af)) return Error{"IPVS service without address family", EPROTO};
  auto family = family_of(af);
  if (!family) return family.error();
  Service s;
  s.key.family = *family;
  s.key.address = IpAddress::unspecified(*family);
  std::uint32_t fwmark = 0;
  if (get(tb[IPVS_SVC_ATTR_FWMARK], fwmark) && fwmark != 0) {
    s.key.fwmark = fwmark;
  } else {
    std::uint16_t proto = 0, port_be = 0;
    get(tb[IPVS_SVC_ATTR_PROTOCOL], proto);
    get(tb[IPVS_SVC_ATTR_PORT], port_be);
    s.key.protocol = static_cast<Protocol>(proto);
    s.key.port = ntohs(port_be);
    if (!get_address(tb[IPVS_SVC_ATTR_ADDR], *family, s.key.address)) {
      return Error{"IPVS service without address", EPROTO};
    }
  }
  if (tb[IPVS_SVC_ATTR_SCHED_NAME]) s.scheduler = nla_get_string(tb[IPVS_SVC_ATTR_SCHED_NAME]);
  if (tb[IPVS_SVC_ATTR_PE_NAME]) s.persistence_engine = nla_get_string(tb[IPVS_SVC_ATTR_PE_NAME]);
  ip_vs_flags flags{};
  if (get(tb[IPVS_SVC_ATTR_FLAGS], flags)) s.flags = flags.flags & service_flag::all;
  s.timeout = get_or<std::uint32_t>(tb[IPVS_SVC_ATTR_TIMEOUT], 0);
  std::uint32_t mask = 0;
  if (get(tb[IPVS_SVC_ATTR_NETMASK], mask))
    s.netmask = *family == AddressFamily::V4 ? ntohl(mask) : mask;
  s.counters = parse_counters(tb[IPVS_SVC_ATTR_STATS64]);
  return s;
}

Result<Destination> parse_destination(const nlmsghdr& reply, AddressFamily service_family) {
  nlattr* tb[IPVS_DEST_ATTR_MAX + 1] = {};
  if (!nested(reply, IPVS_CMD_ATTR_DEST, tb, IPVS_DEST_ATTR_MAX)) {
    return Error{"malformed IPVS destination in the kernel's reply", EPROTO};
  }
  std::uint16_t af = 0;
  // Older kernels omit the destination's own family; it is then the service's.
  if (!get(tb[IPVS_DEST_ATTR_ADDR_FAMILY], af)) af = af_of(service_family);
  auto family = family_of(af);
  if (!family) return family.error();
  Destination d;
  if (!get_address(tb[IPVS_DEST_ATTR_ADDR], *family, d.address)) {
    return Error{"IPVS destination without address", EPROTO};
  }
  d.port = ntohs(get_or<std::uint16_t>(tb[IPVS_DEST_ATTR_PORT], 0));
  d.forwarding = static_cast<Forwarding>(get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_FWD_METHOD], 0) &
                                         IP_VS_CONN_F_FWD_MASK);
  d.weight = static_cast<std::int32_t>(get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_WEIGHT], 0));
  d.upper_threshold = get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_U_THRESH], 0);
  d.lower_threshold = get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_L_THRESH], 0);
  d.active_connections = get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_ACTIVE_CONNS], 0);
  d.inactive_connections = get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_INACT_CONNS], 0);
  d.persistent_connections = get_or<std::uint32_t>(tb[IPVS_DEST_ATTR_PERSIST_CONNS], 0);
  d.counters = parse_counters(tb[IPVS_DEST_ATTR_STATS64]);
  return d;
}

Result<std::uint32_t> parse_u32(const nlmsghdr& reply, int attribute, int max_attribute) {
  std::vector<nlattr*> tb(static_cast<std::size_t>(max_attribute) + 1, nullptr);
  if (genlmsg_parse(const_cast<nlmsghdr*>(&reply), 0, tb.data(), max_attribute, nullptr) < 0) {
    return Error{"malformed IPVS reply", EPROTO};
  }
  std::uint32_t v = 0;
  if (!get(tb[static_cast<std::size_t>(attribute)], v)) {
    return Error{"IPVS reply without attribute " + std::to_string(attribute), EPROTO};
  }
  return v;
}

std::uint32_t parse_u32_or_zero(const nlmsghdr& reply, int attribute, int max_attribute) {
  auto v = parse_u32(reply, attribute, max_attribute);
  return v ? *v : 0;
}

}  // namespace lvsctl::director::ipvs::codec
