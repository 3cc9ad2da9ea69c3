#include "director/ipvs/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lvsctl::director::ipvs {
namespace {

Service settings_only(const Service& s) {
  Service copy = s;
  copy.destinations.clear();
  copy.counters = {};
  return copy;
}

Op service_op(OpKind kind, const Service& s) {
  Op op;
  op.kind = kind;
  op.service = settings_only(s);
  return op;
}

Op destination_op(OpKind kind, const Service& s, const Destination& d) {
  Op op;
  op.kind = kind;
  op.service = settings_only(s);
  op.destination = d;
  op.destination.active_connections = op.destination.inactive_connections = 0;
  op.destination.persistent_connections = 0;
  op.destination.counters = {};
  return op;
}

void plan_destinations(const Service& want, const Service& have, std::vector<Op>& ops) {
  for (const Destination& d : have.destinations) {
    if (!want.find(d.address, d.port)) ops.push_back(destination_op(OpKind::DeleteDestination, want, d));
  }
  std::vector<Op> additions;
  std::set<std::pair<Address, std::uint16_t>> seen;
  for (const Destination& d : want.destinations) {
    if (!seen.insert({d.address, d.port}).second) continue;  // duplicate: first wins
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
  std::map<ServiceKey, const Service*> have;
  for (const Service& s : actual) have.emplace(s.key, &s);
  std::set<ServiceKey> wanted;
  for (const Service& s : desired) wanted.insert(s.key);
  const std::set<ServiceKey> owned(options.owned.begin(), options.owned.end());

  std::vector<Op> ops;
  const bool any_kept = std::any_of(actual.begin(), actual.end(),
                                    [&](const Service& s) { return wanted.count(s.key) != 0; });
  if (options.flush && !any_kept && !actual.empty()) {
    ops.push_back(Op{});  // Flush
    std::set<ServiceKey> done;
    for (const Service& s : desired) {
      if (done.insert(s.key).second) add_with_destinations(s, ops);
    }
    return ops;
  }

  for (const Service& s : actual) {
    if (wanted.count(s.key)) continue;
    if (options.flush || owned.count(s.key)) ops.push_back(service_op(OpKind::DeleteService, s));
  }
  std::set<ServiceKey> done;
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

namespace {
std::string service_details(const Service& s) {
  std::string out = s.scheduler;
  if (s.flags & service_flag::persistent) {
    out += ", persistent " + std::to_string(s.timeout) + "s";
    if (s.netmask) out += ", netmask " + std::to_string(*s.netmask);
  }
  if (s.flags & service_flag::one_packet) out += ", one-packet";
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
