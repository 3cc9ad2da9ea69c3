#include "director/daemon/status_report.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "shared/json_writer.hpp"

namespace lvsctl::director {
namespace {

std::string utc(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::system_clock::to_time_t(t);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(secs));
}

std::string master_of(const VrrpRunner& r) {
  auto m = r.machine().master_address();
  return m ? m->to_string() : "";
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

StatusAnswer StatusAnswer::json(const std::vector<const VrrpRunner*>& vrrp,
                                const IpvsSummary& ipvs, const HealthMonitor* health) {
  StatusAnswer answer(true, ipvs.available);
  JsonWriter& j = answer.writer_;
  j.begin_object();
  j.key("vrrp_instances").begin_array();
  for (const VrrpRunner* r : vrrp) {
    const auto& in = r->instance();
    j.begin_object();
    j.key("name").value(in.name);
    j.key("interface").value(in.interface);
    j.key("vrid").value(in.vrid);
    j.key("version").value(in.version);
    j.key("state").value(std::string(vrrp::to_string(r->machine().state())));
    j.key("priority").value(in.priority);
    j.key("effective_priority").value(static_cast<unsigned>(r->machine().effective_priority()));
    j.key("master_address").value(master_of(*r));
    j.key("vips").begin_array();
    for (const auto& v : in.virtual_ipaddress) j.value(v.prefix.to_string());
    j.end_array();
    j.key("adverts_sent").value(r->counters().adverts_sent);
    j.key("adverts_received").value(r->counters().adverts_received);
    j.key("adverts_rejected").value(r->counters().adverts_rejected);
    j.key("last_rejection").value(r->counters().last_rejection);
    if (const auto& c = r->conflict()) {
      j.key("conflict").begin_object();
      j.key("peer").value(c->peer.to_string());
      j.key("priority").value(static_cast<unsigned>(c->priority));
      j.key("since").value(utc(r->conflict_since()));
      j.end_object();
    } else {
      j.key("conflict").null();
    }
    j.key("packet_issues").begin_object();
    for (const auto& [reason, count] : r->rejections_by_reason()) j.key(reason).value(count);
    j.end_object();
    j.end_object();
  }
  j.end_array();
  if (health) {
    health->write_json(j);
  } else {
    j.key("virtual_servers").begin_array().end_array();
  }
  j.key("ipvs").begin_object();
  j.key("available").value(ipvs.available);
  if (!ipvs.available) j.key("reason").value(ipvs.unavailable_reason);
  j.key("requests_sent").value(ipvs.requests_sent);
  j.key("services").begin_array();
  if (ipvs.nftables) {  // ipvs closes empty; the datapath's listing fills datapath.services
    const auto& n = *ipvs.nftables;
    j.end_array().end_object();
    j.key("datapath").begin_object();
    j.key("backend").value(std::string(datapath::to_string(n.backend)));
    j.key("available").value(n.available);
    if (!n.available) j.key("reason").value(n.unavailable_reason);
    j.key("table").value(n.table);
    j.key("transactions").value(n.transactions);
    j.key("messages_sent").value(n.requests_sent);
    j.key("notes").begin_array();
    for (const auto& note : n.notes) j.value(note);
    j.end_array();
    j.key("services").begin_array();
    answer.needs_table_ = n.available;
    answer.nftables_ = true;
  }
  return answer;
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

StatusAnswer StatusAnswer::text(const std::vector<const VrrpRunner*>& vrrp,
                                const IpvsSummary& ipvs) {
  StatusAnswer answer(false, ipvs.available);
  std::string& out = answer.text_;
  for (const VrrpRunner* r : vrrp) {
    const auto& in = r->instance();
    std::string vips;
    for (const auto& v : in.virtual_ipaddress) vips += (vips.empty() ? "" : " ") + v.prefix.to_string();
    out += fmt::format("VRRP {} VRID {} on {}: {} (priority {}, effective {}), master {}, VIPs {}\n",
                       in.name, in.vrid, in.interface, vrrp::to_string(r->machine().state()),
                       in.priority, r->machine().effective_priority(), master_of(*r), vips);
    if (const auto& c = r->conflict()) {
      out += fmt::format("  CONFLICT: another master {} (priority {}) since {}: split brain?\n",
                         c->peer.to_string(), c->priority, utc(r->conflict_since()));
    }
  }
  if (!ipvs.available) out += "IPVS: off (" + ipvs.unavailable_reason + ")\n";
  if (ipvs.nftables) {
    const auto& n = *ipvs.nftables;
    answer.needs_table_ = n.available;
    answer.nftables_ = true;
    out += n.available ? fmt::format("nftables datapath: table {}, {} transactions\n", n.table,
                                     n.transactions)
                       : "nftables datapath: off (" + n.unavailable_reason + ")\n";
    for (const auto& note : n.notes) out += "  NOTE: " + note + "\n";
  }
  return answer;
}

std::string StatusAnswer::finish(const Result<ipvs::Table>& table) && {
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
  writer_.end_object();
  writer_.end_object();
  return writer_.str();
}

}  // namespace lvsctl::director
