#pragma once
// IpvsClient: the kernel's IPVS table over generic netlink (family "IPVS", linux/ip_vs.h).
// An adapter: it executes what it is told and makes no decisions (plan.hpp decides).
//
// One socket, family resolved once at open. Every error names what was being done (the
// service / destination) and carries the kernel's errno in Error::code.
//
// Idempotency: adding something that exists edits it instead, editing something missing adds
// it, deleting something missing succeeds. So applying a plan computed from a slightly stale
// view still converges on the desired table.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "director/ipvs/genl_socket.hpp"
#include "director/ipvs/model.hpp"
#include "director/ipvs/plan.hpp"
#include "director/ipvs/timeouts.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::ipvs {

struct Info {
  std::uint32_t version = 0;          // e.g. 0x010201
  std::uint32_t connection_table_size = 0;
  std::string version_string() const;  // "1.2.1"
};

// Outcome of applying a list of ops: how many succeeded and one error per failed op.
struct ApplyReport {
  std::size_t applied = 0;
  // Ops that failed at first and then succeeded through their idempotent fallback or a retry:
  // the kernel's table was not what the plan assumed.
  std::size_t recovered = 0;
  std::vector<Error> errors;
  bool ok() const { return errors.empty(); }
};

class IpvsClient {
 public:
  // Connects and resolves the IPVS family. Error code ENOENT: this kernel has no IPVS (module
  // ip_vs not loaded or not built); the message says so.
  static Result<IpvsClient> open();

  Result<Info> info();
  // The connection timeouts (IPVS_CMD_GET_CONFIG / IPVS_CMD_SET_CONFIG); a 0 sent leaves that
  // value unchanged.
  Result<Timeouts> timeouts();
  Status set_timeouts(const Timeouts& timeouts);

  // The whole table: every service with its destinations and counters (one dump for the
  // services, one per service for its destinations).
  Result<Table> table();
  // Services only (destinations left empty).
  Result<std::vector<Service>> services();
  Result<std::vector<Destination>> destinations(const ServiceKey& service);

  Status add_service(const Service& service);     // EEXIST -> edit
  Status edit_service(const Service& service);    // ESRCH  -> add
  Status delete_service(const ServiceKey& service);  // missing -> ok
  Status add_destination(const ServiceKey& service, const Destination& destination);   // EEXIST -> edit
  Status edit_destination(const ServiceKey& service, const Destination& destination);  // ENOENT -> add
  Status delete_destination(const ServiceKey& service, const Destination& destination);  // missing -> ok
  Status flush();  // removes every service and destination

  // Applies ops in order, many per system call. Continues after a failed op (a reload should
  // change what it can) and reports each failure.
  Result<ApplyReport> apply(std::span<const Op> ops);
  Status apply(const Op& op);

  // Netlink requests sent so far (tests count them: a weight change must be exactly one).
  std::uint64_t requests_sent() const { return socket_.requests_sent(); }

 private:
  explicit IpvsClient(GenlSocket socket) : socket_(std::move(socket)) {}
  NlMsg build(const Op& op) const;
  Status run_one(const Op& op);

  GenlSocket socket_;
};

}  // namespace lvsctl::director::ipvs
