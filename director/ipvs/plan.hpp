#pragma once
// IpvsPlan: desired table vs the kernel's actual table -> the shortest list of operations that
// makes the kernel match. Pure.
//
// Contract:
// - A desired service missing from the kernel is added, then its destinations.
// - A service present in both is edited in place when scheduler, flags, persistence timeout,
//   netmask or persistence engine differ; its destinations are deleted / edited (weight,
//   forwarding method, thresholds) / added one by one. Nothing is deleted and re-added when an
//   edit will do: that would drop connections.
// - A kernel service the desired table does not contain is deleted only if it is "owned"
//   (listed in PlanOptions::owned, i.e. programmed by us before) or PlanOptions::flush is set;
//   otherwise it is left alone (someone else's service).
// - With flush set and none of the kernel's services wanted, the plan is one Flush followed by
//   the additions (cheaper than deleting services one by one).
// - Order: service deletions, then per desired service (in desired order): add/edit service,
//   destination deletions, edits, additions. Applying the ops in order is always valid.
// - Desired keys are expected to be unique; for a duplicate, the first occurrence wins.
#include <cstddef>
#include <string>
#include <vector>

#include "director/ipvs/model.hpp"

namespace lvsctl::director::ipvs {

enum class OpKind {
  AddService,
  EditService,
  DeleteService,
  AddDestination,
  EditDestination,
  DeleteDestination,
  Flush,
};

struct Op {
  OpKind kind = OpKind::Flush;
  // Service ops: the desired service settings (destinations left empty). Destination ops: the
  // service the destination belongs to (only its key matters). Flush: unused.
  Service service;
  Destination destination;  // destination ops only

  // One line for logs: "add service TCP 203.0.113.10:80 (rr, persistent 50s)",
  // "edit destination TCP 203.0.113.10:80 -> 198.51.100.1:80 (Route, weight 3)".
  std::string to_string() const;
  bool operator==(const Op& other) const;
};

struct PlanOptions {
  bool flush = false;            // remove every kernel service not desired (keepalived lvs_flush)
  std::vector<ServiceKey> owned;  // services we programmed earlier; removed when no longer desired
};

std::vector<Op> plan(const Table& desired, const Table& actual, const PlanOptions& options = {});

// The kernel's table once every op of plan(desired, actual, options) has succeeded: the desired
// services (first of duplicate keys / endpoints, counters zero) plus the services of `actual`
// the plan leaves alone. Planning against it again yields no ops, so a caller can keep it as
// its view of the kernel instead of dumping the kernel before each plan.
Table table_after(const Table& desired, const Table& actual, const PlanOptions& options = {});

// Counts per kind, e.g. for "reload: 1 edit" log lines and tests.
struct PlanSummary {
  std::size_t services_added = 0, services_edited = 0, services_deleted = 0;
  std::size_t destinations_added = 0, destinations_edited = 0, destinations_deleted = 0;
  bool flushed = false;
  std::string to_string() const;  // "no change" or "2 services added, 1 destination edited"
};
PlanSummary summarize(const std::vector<Op>& ops);

}  // namespace lvsctl::director::ipvs
