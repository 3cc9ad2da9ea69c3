#pragma once
// What `lvsctl director status` shows, rendered from a DaemonSnapshot (see docs/control-socket.md):
// - JSON: version, pid, started, uptime_seconds, config, config_hash, degraded + problems[]
//   (what a monitoring check alerts on), reload {last_result, last_at, counts},
//   `vrrp_instances[]` (name, state, priority, effective_priority, master_address, vips,
//   counters, transitions and last_transition, packet_issues: packets rejected or accepted with a
//   warning, per reason; conflict: null, or {peer, priority, since} while another master
//   advertises beside us; track_scripts), `virtual_servers[]` (quorum, real-server health, last
//   check, last failure, check counts), `datapath` and `ipvs` (available, reason, requests_sent,
//   services[] with destinations[] and counters, error when the kernel table could not be read);
// - text: "Health: OK" or "Health: DEGRADED (n problems)" with one line per problem, the daemon
//   line, one line per VRRP instance (and a CONFLICT line under it during a split brain, its
//   track scripts), each virtual server with its real servers' health and last failure, then
//   the IPVS table as `ipvsadm -Ln` prints it.
// An answer is built in two steps: begin (the loop thread, from the snapshot), then finish with
// the kernel's table, which may be read on another thread (see StatusWorker).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "director/daemon/daemon_snapshot.hpp"
#include "director/daemon/ipvs_sync.hpp"
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
  // listing, shown under `datapath.services` (JSON) or after an `nftables datapath` line (text).
  std::optional<DatapathSnapshot> nftables{};
};
IpvsSummary summarize(const IpvsSync& ipvs);
IpvsSummary ipvs_summary(const DatapathSnapshot& datapath);

// "2026-12-02T14:05:00Z"
std::string utc(std::chrono::system_clock::time_point t);

// The snapshot's members of the status JSON object (all but "ipvs"), for status and the JSON dump;
// without `datapath` when `with_datapath` is false (status writes it after "ipvs").
void write_status_json(JsonWriter& json, const DaemonSnapshot& snapshot, bool with_datapath = true);
// The status text before the IPVS table (pure).
std::string status_text(const DaemonSnapshot& snapshot);

// The control socket's status requests (docs/control-socket.md): "status" and "status json"
// answer JSON, "status text" the text; anything else is not a status request (nullopt).
enum class StatusFormat { json, text };
std::optional<StatusFormat> status_request_format(const std::string& request);

// The client's exit-code decision: the answer reports a degraded director (status JSON's
// top-level "degraded": true; the text's first line is not "Health: OK").
bool status_says_degraded(const std::string& answer, bool json);

// A status answer: taken on the loop (a snapshot copy: its real servers are shared), written by
// finish() where the table is read (StatusWorker's thread), so thousands of real servers' lines
// never take a loop turn when IPVS is on.
class StatusAnswer {
 public:
  static StatusAnswer json(const DaemonSnapshot& snapshot);
  static StatusAnswer text(const DaemonSnapshot& snapshot);

  // IPVS is available: finish() wants the kernel's table. Otherwise pass an empty one.
  bool needs_table() const { return needs_table_; }
  // The whole answer. A failed read shows as `ipvs.error` (JSON) or an `IPVS: ...` line.
  std::string finish(const Result<ipvs::Table>& table) &&;

 private:
  StatusAnswer(bool json, const DaemonSnapshot& snapshot);
  void write_head();
  bool json_;
  bool needs_table_ = false;
  bool nftables_ = false;   // the table is the nftables datapath's listing
  DaemonSnapshot snapshot_;
  JsonWriter writer_;  // json: open inside ipvs.services[] once write_head() ran
  std::string text_;   // text: the lines before the table
};

// `ipvsadm -Ln` layout of a table (the text answer's; pure).
std::string ipvsadm_listing(const ipvs::Table& table);
std::string nftables_listing(const ipvs::Table& table);

}  // namespace lvsctl::director
