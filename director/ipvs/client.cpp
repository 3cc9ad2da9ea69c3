#include "director/ipvs/client.hpp"

#include <linux/ip_vs.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "director/ipvs/netlink_codec.hpp"

namespace lvsctl::director::ipvs {
namespace {

std::uint8_t command_of(OpKind kind) {
  switch (kind) {
    case OpKind::AddService: return IPVS_CMD_NEW_SERVICE;
    case OpKind::EditService: return IPVS_CMD_SET_SERVICE;
    case OpKind::DeleteService: return IPVS_CMD_DEL_SERVICE;
    case OpKind::AddDestination: return IPVS_CMD_NEW_DEST;
    case OpKind::EditDestination: return IPVS_CMD_SET_DEST;
    case OpKind::DeleteDestination: return IPVS_CMD_DEL_DEST;
    case OpKind::Flush: return IPVS_CMD_FLUSH;
  }
  return IPVS_CMD_UNSPEC;
}

bool is_destination_op(OpKind k) {
  return k == OpKind::AddDestination || k == OpKind::EditDestination || k == OpKind::DeleteDestination;
}

// The error of a failed op: what was done, the kernel's words, and a hint for known causes.
Error op_error(const Op& op, int err) {
  std::string msg = op.to_string() + ": " + std::strerror(err);
  if (err == EINVAL && op.kind == OpKind::AddDestination) {
    msg += " (IPVS rejects destinations while lo is down in this network namespace; is lo up?)";
  } else if (err == ENOENT && (op.kind == OpKind::AddService || op.kind == OpKind::EditService)) {
    msg += " (scheduler '" + op.service.scheduler + "' not available: is module ip_vs_" +
           op.service.scheduler + " present?)";
  } else if (err == ESRCH && is_destination_op(op.kind)) {
    msg += " (the virtual service does not exist)";
  }
  return Error{msg, err};
}

// What makes the op succeed anyway after the kernel answered `err`: nullopt = a real error;
// an op of kind Flush with `done` = nothing more to do (already in the wanted state).
struct Fallback {
  bool done = false;
  std::optional<Op> retry;
};

Fallback fallback_for(const Op& op, int err) {
  Fallback f;
  Op other = op;
  switch (op.kind) {
    case OpKind::AddService:
      if (err == EEXIST) { other.kind = OpKind::EditService; f.retry = other; }
      break;
    case OpKind::EditService:
      if (err == ESRCH) { other.kind = OpKind::AddService; f.retry = other; }
      break;
    case OpKind::DeleteService:
      f.done = err == ESRCH || err == ENOENT;
      break;
    case OpKind::AddDestination:
      if (err == EEXIST) { other.kind = OpKind::EditDestination; f.retry = other; }
      break;
    case OpKind::EditDestination:
      if (err == ENOENT) { other.kind = OpKind::AddDestination; f.retry = other; }
      break;
    case OpKind::DeleteDestination:
      f.done = err == ENOENT || err == ESRCH;
      break;
    case OpKind::Flush:
      break;
  }
  return f;
}

}  // namespace

std::string Info::version_string() const {
  return std::to_string((version >> 16) & 0xff) + "." + std::to_string((version >> 8) & 0xff) +
         "." + std::to_string(version & 0xff);
}

Result<IpvsClient> IpvsClient::open() {
  auto sock = GenlSocket::open(IPVS_GENL_NAME, IPVS_GENL_VERSION);
  if (!sock) {
    Error e = sock.error();
    if (e.code == ENOENT) {
      e.message = "IPVS is not available in this kernel (generic netlink family IPVS missing; "
                  "load module ip_vs or use a kernel built with CONFIG_IP_VS)";
    }
    return e;
  }
  return IpvsClient(std::move(*sock));
}

NlMsg IpvsClient::build(const Op& op) const {
  NlMsg msg = socket_.message(command_of(op.kind));
  if (!msg) return msg;
  bool ok = true;
  switch (op.kind) {
    case OpKind::AddService:
    case OpKind::EditService: ok = codec::put_service(msg.get(), op.service, true); break;
    case OpKind::DeleteService: ok = codec::put_service_key(msg.get(), op.service.key); break;
    case OpKind::AddDestination:
    case OpKind::EditDestination:
      ok = codec::put_service_key(msg.get(), op.service.key) &&
           codec::put_destination(msg.get(), op.destination, true);
      break;
    case OpKind::DeleteDestination:
      ok = codec::put_service_key(msg.get(), op.service.key) &&
           codec::put_destination(msg.get(), op.destination, false);
      break;
    case OpKind::Flush: break;
  }
  if (!ok) msg.reset();
  return msg;
}

Status IpvsClient::run_one(const Op& op) {
  NlMsg msg = build(op);
  if (!msg) return Error{op.to_string() + ": cannot build the netlink message", ENOMEM};
  nl_msg* raw = msg.get();
  auto results = socket_.execute(std::span<nl_msg* const>(&raw, 1));
  if (!results) return Error{op.to_string() + ": " + results.error().message, results.error().code};
  const int err = (*results)[0];
  if (err == 0) return {};
  Fallback f = fallback_for(op, err);
  if (f.done) return {};
  if (!f.retry) return op_error(op, err);
  NlMsg again = build(*f.retry);
  if (!again) return Error{f.retry->to_string() + ": cannot build the netlink message", ENOMEM};
  raw = again.get();
  auto second = socket_.execute(std::span<nl_msg* const>(&raw, 1));
  if (!second) return Error{f.retry->to_string() + ": " + second.error().message, second.error().code};
  return (*second)[0] == 0 ? Status{} : op_error(*f.retry, (*second)[0]);
}

Status IpvsClient::apply(const Op& op) { return run_one(op); }

Result<ApplyReport> IpvsClient::apply(std::span<const Op> ops) {
  ApplyReport report;
  std::vector<NlMsg> owned;
  std::vector<nl_msg*> raw;
  owned.reserve(ops.size());
  raw.reserve(ops.size());
  for (const Op& op : ops) {
    owned.push_back(build(op));
    if (!owned.back()) return Error{op.to_string() + ": cannot build the netlink message", ENOMEM};
    raw.push_back(owned.back().get());
  }
  auto results = socket_.execute(raw);
  if (!results) return results.error();
  // Failed ops are revisited in order: idempotent cases succeed via their fallback, and an op
  // that failed only because an earlier failed op had not yet happened is tried again.
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const int err = (*results)[i];
    if (err == 0) {
      ++report.applied;
      continue;
    }
    Fallback f = fallback_for(ops[i], err);
    Status st = f.done ? Status{} : run_one(f.retry ? *f.retry : ops[i]);
    if (st) {
      ++report.applied;
      ++report.recovered;
    } else {
      report.errors.push_back(st.error());
    }
  }
  return report;
}

Status IpvsClient::add_service(const Service& s) {
  Op op;
  op.kind = OpKind::AddService;
  op.service = s;
  op.service.destinations.clear();
  return run_one(op);
}

Status IpvsClient::edit_service(const Service& s) {
  Op op;
  op.kind = OpKind::EditService;
  op.service = s;
  op.service.destinations.clear();
  return run_one(op);
}

Status IpvsClient::delete_service(const ServiceKey& key) {
  Op op;
  op.kind = OpKind::DeleteService;
  op.service.key = key;
  return run_one(op);
}

namespace {
Op destination_op(OpKind kind, const ServiceKey& key, const Destination& d) {
  Op op;
  op.kind = kind;
  op.service.key = key;
  op.destination = d;
  return op;
}
}  // namespace

Status IpvsClient::add_destination(const ServiceKey& key, const Destination& d) {
  return run_one(destination_op(OpKind::AddDestination, key, d));
}
Status IpvsClient::edit_destination(const ServiceKey& key, const Destination& d) {
  return run_one(destination_op(OpKind::EditDestination, key, d));
}
Status IpvsClient::delete_destination(const ServiceKey& key, const Destination& d) {
  return run_one(destination_op(OpKind::DeleteDestination, key, d));
}

Status IpvsClient::flush() { return run_one(Op{}); }

Result<std::vector<Service>> IpvsClient::services() {
  NlMsg msg = socket_.message(IPVS_CMD_GET_SERVICE);
  if (!msg) return Error{"listing IPVS services: out of memory", ENOMEM};
  std::vector<Service> out;
  Status st = socket_.request(msg.get(), true, [&](const nlmsghdr& reply) -> Status {
    auto s = codec::parse_service(reply);
    if (!s) return s.error();
    out.push_back(std::move(*s));
    return {};
  });
  if (!st) return Error{"listing IPVS services: " + st.error().message, st.error().code};
  return out;
}

Result<std::vector<Destination>> IpvsClient::destinations(const ServiceKey& key) {
  NlMsg msg = socket_.message(IPVS_CMD_GET_DEST);
  if (!msg || !codec::put_service_key(msg.get(), key)) {
    return Error{"listing destinations of " + key.to_string() + ": out of memory", ENOMEM};
  }
  std::vector<Destination> out;
  Status st = socket_.request(msg.get(), true, [&](const nlmsghdr& reply) -> Status {
    auto d = codec::parse_destination(reply, key.family);
    if (!d) return d.error();
    out.push_back(std::move(*d));
    return {};
  });
  if (!st) return Error{"listing destinations of " + key.to_string() + ": " + st.error().message, st.error().code};
  return out;
}

Result<Table> IpvsClient::table() {
  auto list = services();
  if (!list) return list.error();
  for (Service& s : *list) {
    auto dests = destinations(s.key);
    if (!dests) {
      if (dests.error().code == ESRCH) continue;  // deleted meanwhile by someone else
      return dests.error();
    }
    s.destinations = std::move(*dests);
  }
  return std::move(*list);
}

Result<Info> IpvsClient::info() {
  NlMsg msg = socket_.message(IPVS_CMD_GET_INFO);
  if (!msg) return Error{"reading IPVS info: out of memory", ENOMEM};
  Info info;
  Status st = socket_.request(msg.get(), false, [&](const nlmsghdr& reply) -> Status {
    auto v = codec::parse_u32(reply, IPVS_INFO_ATTR_VERSION, IPVS_INFO_ATTR_MAX);
    if (!v) return v.error();
    info.version = *v;
    info.connection_table_size =
        codec::parse_u32_or_zero(reply, IPVS_INFO_ATTR_CONN_TAB_SIZE, IPVS_INFO_ATTR_MAX);
    return {};
  });
  if (!st) return Error{"reading IPVS info: " + st.error().message, st.error().code};
  return info;
}

Result<Timeouts> IpvsClient::timeouts() {
  NlMsg msg = socket_.message(IPVS_CMD_GET_CONFIG);
  if (!msg) return Error{"reading IPVS timeouts: out of memory", ENOMEM};
  Timeouts t;
  Status st = socket_.request(msg.get(), false, [&](const nlmsghdr& reply) -> Status {
    t.tcp = codec::parse_u32_or_zero(reply, IPVS_CMD_ATTR_TIMEOUT_TCP, IPVS_CMD_ATTR_MAX);
    t.tcp_fin = codec::parse_u32_or_zero(reply, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, IPVS_CMD_ATTR_MAX);
    t.udp = codec::parse_u32_or_zero(reply, IPVS_CMD_ATTR_TIMEOUT_UDP, IPVS_CMD_ATTR_MAX);
    return {};
  });
  if (!st) return Error{"reading IPVS timeouts: " + st.error().message, st.error().code};
  return t;
}

Status IpvsClient::set_timeouts(const Timeouts& t) {
  NlMsg msg = socket_.message(IPVS_CMD_SET_CONFIG);
  if (!msg || !codec::put_timeouts(msg.get(), t)) {
    return Error{"setting IPVS timeouts: out of memory", ENOMEM};
  }
  nl_msg* raw = msg.get();
  auto results = socket_.execute(std::span<nl_msg* const>(&raw, 1));
  if (!results) return Error{"setting IPVS timeouts: " + results.error().message, results.error().code};
  if (const int err = (*results)[0]; err != 0) {
    return Error{"setting IPVS timeouts (tcp " + std::to_string(t.tcp) + ", tcpfin " +
                     std::to_string(t.tcp_fin) + ", udp " + std::to_string(t.udp) +
                     "): " + std::strerror(err),
                 err};
  }
  return {};
}

}  // namespace lvsctl::director::ipvs
