#pragma once
// The IPVS generic-netlink attribute layout (linux/ip_vs.h) <-> model values. Used by the
// client only; no I/O here.
#include "director/ipvs/model.hpp"
#include "director/ipvs/timeouts.hpp"
#include "shared/result.hpp"

struct nl_msg;
struct nlmsghdr;

namespace lvsctl::director::ipvs::codec {

// Appends the nested IPVS_CMD_ATTR_SERVICE: the key only, or (full) with scheduler, flags,
// timeout and netmask as the kernel requires for add/edit. False when the message is full.
bool put_service(nl_msg* msg, const Service& service, bool full);
bool put_service_key(nl_msg* msg, const ServiceKey& key);
// Appends the nested IPVS_CMD_ATTR_DEST: address and port only, or (full) with forwarding,
// weight and thresholds.
bool put_destination(nl_msg* msg, const Destination& destination, bool full);
// Appends the timeouts that are non-zero as top-level attributes.
bool put_timeout(nl_msg* msg, int attribute, std::uint32_t seconds);
// The body of IPVS_CMD_SET_CONFIG: IPVS_CMD_ATTR_TIMEOUT_TCP / _TCP_FIN / _UDP, each only when
// non-zero (the kernel keeps a value whose attribute is absent).
bool put_timeouts(nl_msg* msg, const Timeouts& timeouts);

// Decode one reply of a service / destination dump.
Result<Service> parse_service(const nlmsghdr& reply);
Result<Destination> parse_destination(const nlmsghdr& reply, AddressFamily service_family);
// Decode GET_INFO and GET_CONFIG replies: values by top-level attribute type.
Result<std::uint32_t> parse_u32(const nlmsghdr& reply, int attribute, int max_attribute);
// Same for a nested-attribute-free reply that may lack the attribute: returns 0 then.
std::uint32_t parse_u32_or_zero(const nlmsghdr& reply, int attribute, int max_attribute);

}  // namespace lvsctl::director::ipvs::codec
