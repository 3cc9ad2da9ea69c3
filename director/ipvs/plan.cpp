#include "director/ipvs/plan.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace lvsctl::director::ipvs {
namespace {

// Hash sets and maps of service keys: a plan of 10,000 services looks each up a few times.
struct KeyHash {
  std::size_t operator()(const ServiceKey& k) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ULL; };
    mix(k.fwmark);
    mix(static_cast<std::uint64_t>(k.protocol) << 17 | static_cast<std::uint64_t>(k.port) << 1 |
        (k.family == AddressFamily::V6 ? 1U : 0U));
    const auto bytes = k.address.bytes();
    for (std::size_t i = 0; i < 16; ++i) mix(i < bytes.size() ? bytes[i] : 0U);  // IPv4 zero-padded
    return static_cast<std::size_t>(h);
  }
};
using KeySet = std::unordered_set<ServiceKey, KeyHash>;

// The service's own settings (those same_settings() compares), without destinations/counters.
Service settings_only(const Service& s) {
  Service copy;
  copy.key = s.key;
  copy.scheduler = s.scheduler;
  copy.flags = s.flags;
  copy.timeout = s.timeout;
  copy.netmask = s.netmask;
  copy.persistence_engine = s.persistence_engine;
  return copy;
}

// Duplicate endpoints in a desired service: the first occurrence wins.
bool is_first(const Service& s, const Destination& d) { return s.find(d.address, d.port) == &d; }

Op service_op(OpKind kind, const Service& s) {
  Op op;
  op.kind = kind;
  op.service = settings_only(s);
  return op;
}

// The destination without the kernel's read-only state (connections, counters).
Destination settings_only(const Destination& d) {
  Destination copy = d;
  copy.active_connections = copy.inactive_connections = copy.persistent_connections = 0;
  copy.counters = {};
  return copy;
}

Op destination_op(OpKind kind, const Service& s, const Destination& d) {
  Op op;
  op.kind = kind;
  op.service = settings_only(s);
  op.destination = settings_only(d);
  return op;
}

void plan_destinations(const Service& want, const Service& have, std::vector<Op>& ops) {
  for (const Destination& d : have.destinations) {
    if (!want.find(d.address, d.port)) ops.push_back(destination_op(OpKind::DeleteDestination, want, d));
  }
  std::vector<Op> additions;
  for (const Destination& d : want.destinations) {
    if (!is_first(want, d)) continue;
    const Destination* current = have.find(d.address, d.port);
    if (!current) {
      additions.push_back(destination_op(OpKind::AddDestination, want, d));
    } else if (!current->same_settings(d)) {
      ops.push_back(destination_op(OpKind::EditDestination, want, d));
    }
  }
  ops.insert(ops.end(), additions.begin(), additions.end());
}

void add_with_destinations(const Service& want, std::vector<Op>& ops) {
  ops.push_back(service_op(OpKind::AddService, want));
  plan_destinations(want, Service{}, ops);
}

}  // namespace

std::vector<Op> plan(const Table& desired, const Table& actual, const PlanOptions& options) {
  std::unordered_map<ServiceKey, const Service*, KeyHash> have(actual.size());
  for (const Service& s : actual) have.emplace(s.key, &s);
  KeySet wanted(desired.size());
  for (const Service& s : desired) wanted.insert(s.key);
  const KeySet owned(options.owned.begin(), options.owned.end());

  std::vector<Op> ops;
  const bool any_kept = std::any_of(actual.begin(), actual.end(),
                                    [&](const Service& s) { return wanted.count(s.key) != 0; });
  if (options.flush && !any_kept && !actual.empty()) {
    ops.push_back(Op{});  // Flush
    KeySet done(desired.size());
    for (const Service& s : desired) {
      if (done.insert(s.key).second) add_with_destinations(s, ops);
    }
    return ops;
  }

  for (const Service& s : actual) {
    if (wanted.count(s.key)) continue;
    if (options.flush || owned.count(s.key)) ops.push_back(service_op(OpKind::DeleteService, s));
  }
  KeySet done(desired.size());
  for (const Service& want : desired) {
    if (!done.insert(want.key).second) continue;
    auto it = have.find(want.key);
    if (it == have.end()) {
      add_with_destinations(want, ops);
      continue;
    }
    if (!it->second->same_settings(want)) ops.push_back(service_op(OpKind::EditService, want));
    plan_destinations(want, *it->second, ops);
  }
  return ops;
}

Table table_after(const Table& desired, const Table& actual, const PlanOptions& options) {
  KeySet wanted(desired.size());
  for (const Service& s : desired) wanted.insert(s.key);
  const KeySet owned(options.owned.begin(), options.owned.end());
  Table out;
  out.reserve(desired.size());
  for (const Service& s : actual) {
    if (wanted.count(s.key) || options.flush || owned.count(s.key)) continue;
    out.push_back(s);  // someone else's service: the plan leaves it alone
  }
  KeySet done(desired.size());
  for (const Service& want : desired) {
    if (!done.insert(want.key).second) continue;
    Service s = settings_only(want);
    s.destinations.reserve(want.destinations.size());
    for (const Destination& d : want.destinations) {
      if (is_first(want, d)) s.destinations.push_back(settings_only(d));
    }
    out.push_back(std::move(s));
  }
  return out;
}

namespace {
std::string service_details(const Service& s) {
  std::string out = s.scheduler;
  if (s.flags & service_flag::persistent) {
    out += ", persistent " + std::to_string(s.timeout) + "s";
    if (s.netmask) out += ", netmask " + std::to_string(*s.netmask);
  }
  if (s.flags & service_flag::one_packet) out += ", one-packet";
  // sh and mh name their flag-1 and flag-2 (ipvsadm -b).
  const bool named = s.scheduler == "sh" || s.scheduler == "mh";
  if (s.flags & service_flag::sched1) out += named ? ", " + s.scheduler + "-fallback" : ", flag-1";
  if (s.flags & service_flag::sched2) out += named ? ", " + s.scheduler + "-port" : ", flag-2";
  if (s.flags & service_flag::sched3) out += ", flag-3";
  if (!s.persistence_engine.empty()) out += ", pe " + s.persistence_engine;
  return out;
}

std::string destination_details(const Destination& d) {
  std::string out = std::string(to_string(d.forwarding)) + ", weight " + std::to_string(d.weight);
  if (d.upper_threshold) out += ", upper " + std::to_string(d.upper_threshold);
  if (d.lower_threshold) out += ", lower " + std::to_string(d.lower_threshold);
  return out;
}
}  // namespace

std::string Op::to_string() const {
  const std::string svc = service.key.to_string();
  const std::string dst = svc + " -> " + destination.endpoint_string();
  switch (kind) {
    case OpKind::AddService: return "add service " + svc + " (" + service_details(service) + ")";
    case OpKind::EditService: return "edit service " + svc + " (" + service_details(service) + ")";
    case OpKind::DeleteService: return "delete service " + svc;
    case OpKind::AddDestination: return "add destination " + dst + " (" + destination_details(destination) + ")";
    case OpKind::EditDestination: return "edit destination " + dst + " (" + destination_details(destination) + ")";
    case OpKind::DeleteDestination: return "delete destination " + dst;
    case OpKind::Flush: return "flush all services";
  }
  return "?";
}

bool Op::operator==(const Op& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case OpKind::Flush: return true;
    case OpKind::DeleteService: return service.key == o.service.key;
    case OpKind::AddService:
    case OpKind::EditService: return service.key == o.service.key && service.same_settings(o.service);
    case OpKind::DeleteDestination:
      return service.key == o.service.key && destination.same_endpoint(o.destination);
    case OpKind::AddDestination:
    case OpKind::EditDestination:
      return service.key == o.service.key && destination.same_settings(o.destination);
  }
  return false;
}

PlanSummary summarize(const std::vector<Op>& ops) {
  PlanSummary s;
  for (const Op& op : ops) {
    switch (op.kind) {
      case OpKind::AddService: ++s.services_added; break;
      case OpKind::EditService: ++s.services_edited; break;
      case OpKind::DeleteService: ++s.services_deleted; break;
      case OpKind::AddDestination: ++s.destinations_added; break;
      case OpKind::EditDestination: ++s.destinations_edited; break;
      case OpKind::DeleteDestination: ++s.destinations_deleted; break;
      case OpKind::Flush: s.flushed = true; break;
    }
  }
  return s;
}

std::string PlanSummary::to_string() const {
  std::string out;
  auto part = [&](std::size_t n, const char* what, const char* verb) {
    if (!n) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + what + (n == 1 ? "" : "s") + " " + verb;
  };
  if (flushed) out = "flushed";
  part(services_added, "service", "added");
  part(services_edited, "service", "edited");
  part(services_deleted, "service", "deleted");
  part(destinations_added, "destination", "added");
  part(destinations_edited, "destination", "edited");
  part(destinations_deleted, "destination", "deleted");
  return out.empty() ? "no change" : out;
}

}  // namespace lvsctl::director::ipvs
