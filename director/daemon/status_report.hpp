#pragma once
// What `lvsctl director status` shows, built inside the daemon from its live state:
// - JSON: `vrrp_instances[]` (name, state, priority, effective_priority, master_address, vips,
//   counters, packet_issues: packets rejected or accepted with a warning, per reason; conflict:
//   null, or {peer, priority, since} while another master advertises beside us),
//   `virtual_servers[]` (real-server health, see HealthMonitor) and `ipvs`
//   (available, reason, requests_sent, services[] with destinations[] and counters, error when
//   the kernel table could not be read);
// - text: one line per VRRP instance (and a CONFLICT line under it during a split brain), then the IPVS table as `ipvsadm -Ln` prints it.
// An answer is built in two steps: begin (the loop thread, from the daemon's live state), then
// finish with the kernel's table, which may be read on another thread (see StatusWorker).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "director/daemon/health_monitor.hpp"
#include "director/daemon/ipvs_sync.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/datapath/datapath.hpp"
#include "director/ipvs/model.hpp"
#include "shared/json_writer.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// What the daemon knows of IPVS without asking the kernel.
struct IpvsSummary {
  bool available = false;
  std::string unavailable_reason;
  std::uint64_t requests_sent = 0;  // programming requests (IpvsSync::requests_sent)
  // Set when the nftables datapath is in use: then the table finish() gets is the datapath's
  // listing, shown under `datapath` (JSON) or after an `nftables datapath` line (text).
  std::optional<datapath::DatapathStatus> nftables{};
};
IpvsSummary summarize(const IpvsSync& ipvs);

class StatusAnswer {
 public:
  static StatusAnswer json(const std::vector<const VrrpRunner*>& vrrp, const IpvsSummary& ipvs,
                           const HealthMonitor* health);
  static StatusAnswer text(const std::vector<const VrrpRunner*>& vrrp, const IpvsSummary& ipvs);

  // IPVS is available: finish() wants the kernel's table. Otherwise pass an empty one.
  bool needs_table() const { return needs_table_; }
  // The whole answer. A failed read shows as `ipvs.error` (JSON) or an `IPVS: ...` line.
  std::string finish(const Result<ipvs::Table>& table) &&;

 private:
  StatusAnswer(bool json, bool needs_table) : json_(json), needs_table_(needs_table) {}
  bool json_;
  bool needs_table_;
  bool nftables_ = false;  // the table is the nftables datapath's listing
  JsonWriter writer_;  // json: open inside ipvs.services[]
  std::string text_;   // text: the lines before the table
};

// `ipvsadm -Ln` layout of a table (the text answer's; pure).
std::string ipvsadm_listing(const ipvs::Table& table);
// The nftables datapath's listing: the same layout with the counters nftables keeps
// (Conns: NAT connections; InPkts / InBytes: DR packets forwarded).
std::string nftables_listing(const ipvs::Table& table);

}  // namespace lvsctl::director
