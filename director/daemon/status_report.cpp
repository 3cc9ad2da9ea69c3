#include "director/daemon/status_report.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "shared/json_writer.hpp"

namespace lvsctl::director {

std::string utc(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::system_clock::to_time_t(t);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(secs));
}

namespace {


std::string duration_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const auto d = seconds / 86400;
  const auto h = seconds % 86400 / 3600;
  const auto m = seconds % 3600 / 60;
  if (d > 0) return fmt::format("{}d {}h {}m", d, h, m);
  if (h > 0) return fmt::format("{}h {}m", h, m);
  if (m > 0) return fmt::format("{}m {}s", m, seconds % 60);
  return fmt::format("{}s", seconds);
}

void write_service(JsonWriter& j, const ipvs::Service& s) {
  j.begin_object();
  if (s.key.is_fwmark()) {
    j.key("fwmark").value(static_cast<std::uint64_t>(s.key.fwmark));
  } else {
    j.key("protocol").value(std::string(ipvs::to_string(s.key.protocol)));
    j.key("address").value(s.key.address.to_string());
    j.key("port").value(static_cast<unsigned>(s.key.port));
  }
  j.key("scheduler").value(s.scheduler);
  j.key("persistence_timeout").value(static_cast<std::uint64_t>(
      (s.flags & ipvs::service_flag::persistent) ? s.timeout : 0));
  j.key("connections").value(s.counters.connections);
  j.key("in_packets").value(s.counters.in_packets);
  j.key("out_packets").value(s.counters.out_packets);
  j.key("in_bytes").value(s.counters.in_bytes);
  j.key("out_bytes").value(s.counters.out_bytes);
  j.key("destinations").begin_array();
  for (const auto& d : s.destinations) {
    j.begin_object();
    j.key("address").value(d.address.to_string());
    j.key("port").value(static_cast<unsigned>(d.port));
    j.key("forwarding").value(std::string(ipvs::to_string(d.forwarding)));
    j.key("weight").value(static_cast<std::int64_t>(d.weight));
    j.key("active_connections").value(static_cast<std::uint64_t>(d.active_connections));
    j.key("inactive_connections").value(static_cast<std::uint64_t>(d.inactive_connections));
    j.key("connections").value(d.counters.connections);
    j.key("in_packets").value(d.counters.in_packets);
    j.key("in_bytes").value(d.counters.in_bytes);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace

IpvsSummary summarize(const IpvsSync& ipvs) {
  return {ipvs.available(), ipvs.unavailable_reason(), ipvs.requests_sent()};
}

IpvsSummary ipvs_summary(const DatapathSnapshot& d) {
  if (d.backend == "ipvs") return {d.available, d.unavailable_reason, d.requests_sent};
  return {false,
          fmt::format("the nftables datapath is in use (table ip lvsctl, {} transactions)",
                      d.transactions),
          d.requests_sent, d};
}

namespace {

// "datapath": {...fields, left open (the caller may add "services" and closes it).
void open_datapath_json(JsonWriter& j, const DatapathSnapshot& d) {
  j.key("datapath").begin_object();
  j.key("backend").value(d.backend);
  j.key("available").value(d.available);
  if (!d.available) j.key("reason").value(d.unavailable_reason);
  j.key("applies").value(d.applies);
  j.key("apply_errors").value(d.apply_errors);
  if (d.backend == "nftables") {
    j.key("table").value(d.table);
    j.key("transactions").value(d.transactions);
    j.key("messages_sent").value(d.requests_sent);
  }
  j.key("notes").begin_array();
  for (const auto& note : d.notes) j.value(note);
  j.end_array();
}

}  // namespace

void write_status_json(JsonWriter& j, const DaemonSnapshot& s, bool with_datapath) {
  const auto problems = degradation(s);
  j.key("version").value(s.version);
  j.key("pid").value(s.pid);
  j.key("started").value(utc(s.started));
  j.key("uptime_seconds").value(static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(s.taken - s.started).count()));
  j.key("config").value(s.config_path);
  j.key("config_hash").value(s.config_hash);
  j.key("degraded").value(problems.degraded());
  j.key("problems").begin_array();
  for (const auto& p : problems.reasons) j.value(p);
  j.end_array();
  j.key("reload").begin_object();
  j.key("last_result").value(s.reload.last_result);
  j.key("last_at");
  if (s.reload.last_at) j.value(utc(*s.reload.last_at)); else j.null();
  j.key("config_loaded_at");
  if (s.reload.last_success_at) j.value(utc(*s.reload.last_success_at)); else j.null();
  j.key("applied").value(s.reload.applied);
  j.key("rejected").value(s.reload.rejected);
  j.key("unchanged").value(s.reload.unchanged);
  j.end_object();
  j.key("vrrp_instances").begin_array();
  for (const auto& in : s.vrrp) {
    j.begin_object();
    j.key("name").value(in.name);
    j.key("interface").value(in.interface);
    j.key("vrid").value(in.vrid);
    j.key("version").value(in.version);
    j.key("state").value(in.state);
    j.key("priority").value(in.priority);
    j.key("effective_priority").value(in.effective_priority);
    j.key("master_address").value(in.master_address);
    j.key("sync_group").value(in.sync_group);
    j.key("vips").begin_array();
    for (const auto& v : in.vips) j.value(v);
    j.end_array();
    j.key("adverts_sent").value(in.adverts_sent);
    j.key("adverts_received").value(in.adverts_received);
    j.key("adverts_rejected").value(in.adverts_rejected);
    j.key("last_rejection").value(in.last_rejection);
    j.key("transitions").value(in.transitions);
    j.key("become_master").value(in.become_master);
    j.key("release_master").value(in.release_master);
    j.key("last_transition");
    if (in.last_transition) j.value(utc(*in.last_transition)); else j.null();
    if (in.conflict) {
      j.key("conflict").begin_object();
      j.key("peer").value(in.conflict->peer);
      j.key("priority").value(in.conflict->priority);
      j.key("since").value(utc(in.conflict->since));
      j.end_object();
    } else {
      j.key("conflict").null();
    }
    j.key("packet_issues").begin_object();
    for (const auto& [reason, count] : in.rejected_by_reason) j.key(reason).value(count);
    j.end_object();
    j.key("track_scripts").begin_array();
    for (const auto& t : in.track_scripts) {
      j.begin_object();
      j.key("name").value(t.name);
      j.key("status").value(!t.success ? "unknown" : *t.success ? "good" : "bad");
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.key("virtual_servers").begin_array();
  for (const auto& vs : s.virtual_servers) {
    j.begin_object();
    if (vs.kind == "address") {
      j.key("address").value(vs.address);
      j.key("port").value(vs.port);
    } else if (vs.kind == "fwmark") {
      j.key("fwmark").value(static_cast<std::uint64_t>(vs.fwmark));
    } else {
      j.key("group").value(vs.group);
    }
    j.key("protocol").value(vs.protocol);
    j.key("quorum_up").value(vs.quorum_up);
    j.key("real_servers").begin_array();
    for (const auto& rs : vs.real_servers) {
      j.begin_object();
      j.key("address").value(rs.address);
      j.key("port").value(rs.port);
      j.key("healthy").value(rs.up);
      j.key("weight").value(rs.weight);
      if (rs.last_check_success) {
        j.key("last_check").begin_object();
        j.key("checker").value(rs.checker);
        j.key("result").value(*rs.last_check_success ? "success" : "failure");
        j.key("reason").value(rs.last_check_reason);
        j.end_object();
      } else {
        j.key("last_check").null();
      }
      if (rs.checks.last_failure_at) {
        j.key("last_failure").begin_object();
        j.key("reason").value(rs.checks.last_failure_reason);
        j.key("at").value(utc(*rs.checks.last_failure_at));
        j.end_object();
      } else {
        j.key("last_failure").null();
      }
      j.key("checks_succeeded").value(rs.checks.successes);
      j.key("checks_failed").value(rs.checks.failures);
      j.key("transitions").value(rs.checks.transitions);
      j.key("last_transition");
      if (rs.checks.last_transition_at) j.value(utc(*rs.checks.last_transition_at)); else j.null();
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  if (with_datapath) {
    open_datapath_json(j, s.datapath);
    j.end_object();
  }
}

StatusAnswer StatusAnswer::json(const DaemonSnapshot& s) { return StatusAnswer(true, s); }

StatusAnswer StatusAnswer::text(const DaemonSnapshot& s) { return StatusAnswer(false, s); }

// What the answer needs is known from the snapshot's datapath at once (cheap, on the loop);
// the text itself is written by finish().
StatusAnswer::StatusAnswer(bool json, const DaemonSnapshot& s) : json_(json), snapshot_(s) {
  const IpvsSummary ipvs = ipvs_summary(s.datapath);
  needs_table_ = ipvs.available;
  if (ipvs.nftables) {
    needs_table_ = ipvs.nftables->available;
    nftables_ = true;
  }
}

// The answer up to the table: JSON left open inside ipvs.services[] (or the nftables datapath's
// services[]), or the text's lines before the table.
void StatusAnswer::write_head() {
  const DaemonSnapshot& s = snapshot_;
  const IpvsSummary ipvs = ipvs_summary(s.datapath);
  if (!json_) {
    text_ = status_text(s);
    if (!ipvs.available) text_ += "IPVS: off (" + ipvs.unavailable_reason + ")\n";
    if (ipvs.nftables) {
      const auto& n = *ipvs.nftables;
      text_ += n.available ? fmt::format("nftables datapath: table {}, {} transactions\n",
                                         n.table, n.transactions)
                           : "nftables datapath: off (" + n.unavailable_reason + ")\n";
    }
    for (const auto& note : s.datapath.notes) text_ += "  NOTE: " + note + "\n";
    return;
  }
  JsonWriter& j = writer_;
  j.begin_object();
  write_status_json(j, s, false);
  j.key("ipvs").begin_object();
  j.key("available").value(ipvs.available);
  if (!ipvs.available) j.key("reason").value(ipvs.unavailable_reason);
  j.key("requests_sent").value(ipvs.requests_sent);
  j.key("services").begin_array();
  if (ipvs.nftables) {  // ipvs closes empty; the datapath's listing fills datapath.services
    j.end_array().end_object();
    open_datapath_json(j, *ipvs.nftables);
    j.key("services").begin_array();
  }
}

// The nftables datapath's listing: counters it keeps per real server (NAT: connections; DR:
// packets and bytes towards it).
std::string nftables_listing(const ipvs::Table& table) {
  std::string out =
      "Prot LocalAddress:Port Scheduler Flags       Conns      InPkts     InBytes\n"
      "  -> RemoteAddress:Port           Forward Weight Conns      InPkts     InBytes\n";
  for (const auto& s : table) {
    const auto head = fmt::format("{}  {}:{} {}", ipvs::to_string(s.key.protocol),
                                  s.key.address.to_string(), s.key.port, s.scheduler);
    out += fmt::format("{:<33} {:<10} {:<10} {}\n", head, s.counters.connections,
                       s.counters.in_packets, s.counters.in_bytes);
    for (const auto& d : s.destinations) {
      out += fmt::format("  -> {:<28} {:<7} {:<6} {:<10} {:<10} {}\n", d.endpoint_string(),
                         ipvs::to_string(d.forwarding), d.weight, d.counters.connections,
                         d.counters.in_packets, d.counters.in_bytes);
    }
  }
  return out;
}

std::string ipvsadm_listing(const ipvs::Table& table) {
  std::string out =
      "Prot LocalAddress:Port Scheduler Flags\n"
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
  for (const auto& s : table) {
    std::string head = s.key.is_fwmark()
                           ? fmt::format("FWM  {}", s.key.fwmark)
                           : fmt::format("{}  {}:{}", ipvs::to_string(s.key.protocol),
                                         s.key.address.to_string(), s.key.port);
    if (s.key.address.is_v6() && !s.key.is_fwmark()) {
      head = fmt::format("{}  [{}]:{}", ipvs::to_string(s.key.protocol),
                         s.key.address.to_string(), s.key.port);
    }
    out += fmt::format("{} {}", head, s.scheduler);
    if (s.flags & ipvs::service_flag::persistent) out += fmt::format(" persistent {}", s.timeout);
    out += "\n";
    for (const auto& d : s.destinations) {
      out += fmt::format("  -> {:<28} {:<7} {:<6} {:<10} {}\n", d.endpoint_string(),
                         ipvs::to_string(d.forwarding), d.weight, d.active_connections,
                         d.inactive_connections);
    }
  }
  return out;
}

std::string status_text(const DaemonSnapshot& s) {
  std::string out;
  const auto problems = degradation(s);
  if (problems.degraded()) {
    out += fmt::format("Health: DEGRADED ({} problem{})\n", problems.reasons.size(),
                       problems.reasons.size() == 1 ? "" : "s");
    for (const auto& p : problems.reasons) out += "  - " + p + "\n";
  } else {
    out += "Health: OK\n";
  }
  const auto up = std::chrono::duration_cast<std::chrono::seconds>(s.taken - s.started).count();
  out += fmt::format("lvsctl {} (pid {}), up {}, since {}; config {} (hash {})\n", s.version, s.pid,
                     duration_text(up), utc(s.started), s.config_path, s.config_hash);
  if (!s.reload.last_result.empty()) {
    out += fmt::format("Last reload: {} at {} ({} applied, {} rejected, {} unchanged)\n",
                       s.reload.last_result, s.reload.last_at ? utc(*s.reload.last_at) : "?",
                       s.reload.applied, s.reload.rejected, s.reload.unchanged);
  }
  for (const auto& in : s.vrrp) {
    std::string vips;
    for (const auto& v : in.vips) vips += (vips.empty() ? "" : " ") + v;
    out += fmt::format("VRRP {} VRID {} on {}: {} (priority {}, effective {}), master {}, VIPs {}",
                       in.name, in.vrid, in.interface, in.state, in.priority,
                       in.effective_priority, in.master_address, vips);
    if (in.last_transition) {
      out += fmt::format("; {} transition{}, last {}", in.transitions,
                         in.transitions == 1 ? "" : "s", utc(*in.last_transition));
    }
    out += "\n";
    if (in.conflict) {
      out += fmt::format("  CONFLICT: another master {} (priority {}) since {}: split brain?\n",
                         in.conflict->peer, in.conflict->priority, utc(in.conflict->since));
    }
    for (const auto& t : in.track_scripts) {
      out += fmt::format("  track_script {}: {}\n", t.name,
                         !t.success ? "no result yet" : *t.success ? "good" : "BAD");
    }
  }
  for (const auto& vs : s.virtual_servers) {
    out += fmt::format("Virtual server {}: quorum {}\n", vs.label(), vs.quorum_up ? "up" : "LOST");
    for (const auto& rs : vs.real_servers) {
      const std::string endpoint = rs.address.find(':') != std::string::npos
                                       ? fmt::format("[{}]:{}", rs.address, rs.port)
                                       : fmt::format("{}:{}", rs.address, rs.port);
      out += fmt::format("  -> {} {}, weight {}", endpoint, rs.up ? "up" : "DOWN", rs.weight);
      if (!rs.checked) {
        out += " (no health check)";
      } else if (rs.last_check_success) {
        out += fmt::format(" ({} {}: {})", rs.checker, *rs.last_check_success ? "ok" : "failed",
                           rs.last_check_reason);
      } else {
        out += " (not checked yet)";
      }
      if (rs.checks.last_failure_at) {
        out += fmt::format("; last failure {}: {}", utc(*rs.checks.last_failure_at),
                           rs.checks.last_failure_reason);
      }
      out += "\n";
    }
  }
  return out;
}

std::optional<StatusFormat> status_request_format(const std::string& request) {
  if (request == "status" || request == "status json") return StatusFormat::json;
  if (request == "status text") return StatusFormat::text;
  return std::nullopt;
}

bool status_says_degraded(const std::string& answer, bool json) {
  if (json) return answer.find("\n  \"degraded\": true") != std::string::npos;
  return answer.rfind("Health: OK\n", 0) != 0;
}

std::string StatusAnswer::finish(const Result<ipvs::Table>& table) && {
  write_head();
  if (!json_) {
    if (!needs_table_) return std::move(text_);
    const char* what = nftables_ ? "nftables datapath: " : "IPVS: ";
    if (!table) return std::move(text_) + what + table.error().message + "\n";
    return std::move(text_) + (nftables_ ? nftables_listing(*table) : ipvsadm_listing(*table));
  }
  if (table) {
    for (const auto& s : *table) write_service(writer_, s);
  }
  writer_.end_array();
  if (!table) writer_.key("error").value(table.error().message);
  writer_.end_object();  // ipvs, or datapath with its listing
  if (!nftables_) {
    open_datapath_json(writer_, snapshot_.datapath);
    writer_.end_object();
  }
  writer_.end_object();
  return writer_.str();
}

}  // namespace lvsctl::director
