#include "director/daemon/dump_format.hpp"

#include <time.h>

#include <fmt/format.h>

#include "director/daemon/status_report.hpp"
#include "shared/json_writer.hpp"

namespace lvsctl::director {
namespace {

// keepalived's "%ld.%6.6ld (ctime with microseconds)" time lines, in UTC.
std::string transition_time(WallTime t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const time_t secs = static_cast<time_t>(us / 1000000);
  const long micros = static_cast<long>(us % 1000000);
  tm parts{};
  ::gmtime_r(&secs, &parts);
  char text[64];
  ::strftime(text, sizeof text, "%a %b %e %H:%M:%S", &parts);
  char year[8];
  ::strftime(year, sizeof year, "%Y", &parts);
  return fmt::format("{}.{:06} ({}.{:06} {} UTC)", static_cast<long>(secs), micros, text, micros,
                     year);
}

std::uint64_t reason_count(const VrrpInstanceSnapshot& in, std::initializer_list<const char*> names) {
  std::uint64_t total = 0;
  for (const char* name : names) {
    if (auto it = in.rejected_by_reason.find(name); it != in.rejected_by_reason.end()) {
      total += it->second;
    }
    if (auto it = in.rejected_by_reason.find(std::string("accepted with ") + name);
        it != in.rejected_by_reason.end()) {
      total += it->second;
    }
  }
  return total;
}

// keepalived writes these timers as whole seconds (TIMER_HZ division).
unsigned whole(double seconds) { return static_cast<unsigned>(seconds); }

std::string endpoint(const std::string& address, int port) {
  return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                : fmt::format("{}:{}", address, port);
}

}  // namespace

std::string keepalived_data_dump(const DaemonSnapshot& s) {
  std::string out;
  const auto line = [&out](const std::string& text) { out += text + "\n"; };
  line("------< lvsctl director >------");
  line(fmt::format(" Version = {}", s.version));
  line(fmt::format(" Pid = {}", s.pid));
  line(fmt::format(" Started = {}", transition_time(s.started)));
  line(fmt::format(" Configuration file = {}", s.config_path));
  line(fmt::format(" Configuration hash = {}", s.config_hash));
  line(fmt::format(" Last reload = {}", s.reload.last_result.empty() ? "none" : s.reload.last_result));
  if (s.global.known) {
    // keepalived's dump_global_data: the lines lvsctl has values for, in its order and words.
    const auto& g = s.global;
    line("------< Global definitions >------");
    if (!g.router_id.empty()) line(fmt::format(" Router ID = {}", g.router_id));
    line(fmt::format(" Dynamic interfaces = {}", g.dynamic_interfaces));
    line(" Default interface = eth0");  // lvsctl's static addresses without dev: eth0
    line(fmt::format(" LVS flush = {}", g.lvs_flush));
    line(" LVS flush on stop = disabled");
    line(fmt::format(" VRRP IPv4 mcast group = {}", g.mcast_group4));
    line(" VRRP IPv6 mcast group = ff02::12");
    line(fmt::format(" Gratuitous ARP delay = {}", whole(g.garp_delay)));
    line(fmt::format(" Gratuitous ARP repeat = {}", g.garp_repeat));
    line(fmt::format(" Gratuitous ARP refresh timer = {}", whole(g.garp_refresh)));
    line(fmt::format(" Gratuitous ARP refresh repeat = {}", g.garp_refresh_repeat));
    // Unset, keepalived writes them resolved: the master delay and repeat.
    line(fmt::format(" Gratuitous ARP lower priority delay = {}",
                     whole(g.garp_lower_prio_delay.value_or(g.garp_delay))));
    line(fmt::format(" Gratuitous ARP lower priority repeat = {}",
                     g.garp_lower_prio_repeat.value_or(g.garp_repeat)));
    line(" Num adverts before down = 3");
    line(" Gratuitous ARP for each secondary VMAC = 0s");
    line(" Send advert after receive lower priority advert = true");
    line(" Send advert after receive higher priority advert = false");
    line(fmt::format(" Gratuitous ARP interval = {:f}", g.garp_interval));
    line(fmt::format(" Gratuitous NA interval = {:f}", g.gna_interval));
    line(fmt::format(" VRRP default protocol version = {}", g.vrrp_version));
    line(fmt::format(" VRRP check unicast_src = {}", g.check_unicast_src));
    line(" VRRP skip check advert addresses = false");
    line(fmt::format(" VRRP strict mode = {}", g.strict));
  }
  if (!s.vrrp.empty()) {
    line("------< VRRP Topology >------");
    for (const auto& in : s.vrrp) {
      line(fmt::format(" VRRP Instance = {}", in.name));
      const auto& cfg = in.settings;
      line(fmt::format("   VRRP Version = {}", in.version));
      if (!in.sync_group.empty()) line(fmt::format("   Sync group = {}", in.sync_group));
      if (cfg.ipv6) line("   Using Native IPv6");
      line(fmt::format("   State = {}", in.state));
      if (in.state == "BACKUP" && !in.master_address.empty()) {
        line(fmt::format("   Master router = {}", in.master_address));
      }
      if (in.last_transition) {
        line(fmt::format("   Last transition = {}", transition_time(*in.last_transition)));
      }
      if (cfg.master_down_timer_us > 0) {
        line(fmt::format("   Master down timer = {} usecs", cfg.master_down_timer_us));
      }
      line(fmt::format("   Interface = {}", in.interface));
      if (cfg.dont_track_primary) line("   VRRP interface tracking disabled");
      if (cfg.strict) line("   Enforcing strict VRRP compliance");
      if (!cfg.src_ip.empty())
        line(fmt::format("   Using src_ip = {} (from configuration)", cfg.src_ip));
      if (!cfg.mcast_group.empty()) line(fmt::format("   Multicast address {}", cfg.mcast_group));
      line(fmt::format("   Gratuitous ARP delay = {}", whole(cfg.garp_delay)));
      line(fmt::format("   Gratuitous ARP repeat = {}", cfg.garp_repeat));
      line(fmt::format("   Gratuitous ARP refresh = {}", whole(cfg.garp_refresh)));
      line(fmt::format("   Gratuitous ARP refresh repeat = {}", cfg.garp_refresh_repeat));
      line(fmt::format("   Gratuitous ARP lower priority delay = {}",
                       whole(cfg.garp_lower_prio_delay)));
      line(fmt::format("   Gratuitous ARP lower priority repeat = {}", cfg.garp_lower_prio_repeat));
      // lvsctl has no down_timer_adverts, lower_prio_no_advert, higher_prio_send_advert: it
      // behaves as keepalived's defaults.
      line("   Down timer adverts = 3");
      line("   Send advert after receive lower priority advert = true");
      line("   Send advert after receive higher priority advert = false");
      line(fmt::format("   Virtual Router ID = {}", in.vrid));
      line(fmt::format("   Priority = {}", in.priority));
      line(fmt::format("   Effective priority = {}", in.effective_priority));
      if (in.version == 2) {
        line(fmt::format("   Advert interval = {} sec", in.advert_interval));
      } else {
        line(fmt::format("   Advert interval = {} milli-sec",
                         static_cast<long>(in.advert_interval * 1000 + 0.5)));
      }
      line(fmt::format("   Accept = {}", cfg.accept ? "enabled" : "disabled"));
      line(fmt::format("   Preempt = {}", cfg.nopreempt ? "disabled" : "enabled"));
      if (cfg.preempt_delay > 0) line(fmt::format("   Preempt delay = {:g} secs", cfg.preempt_delay));
      line("   Promote_secondaries = disabled");
      if (!cfg.auth_type.empty()) {
        line(fmt::format("   Authentication type = {}", cfg.auth_type));
        if (cfg.auth_type != "IPSEC_AH") line(fmt::format("   Password = {}", cfg.auth_pass));
      } else if (in.version == 2) {
        line("   Authentication type = none");
      }
      if (!in.vips.empty()) {
        line(fmt::format("   Virtual IP ({}):", in.vips.size()));
        for (const auto& v : in.vips) line("     " + v);
      }
      if (!cfg.unicast_peers.empty()) {
        line(fmt::format("   Check unicast src : {}", cfg.check_unicast_src ? "yes" : "no"));
        line("   Unicast Peer :");
        for (const auto& p : cfg.unicast_peers) line("     " + p);
      }
      if (!in.track_scripts.empty()) {
        line("   Tracked scripts :");
        for (const auto& t : in.track_scripts) {
          line(fmt::format("     {} {}", t.name,
                           !t.success ? "INIT" : *t.success ? "GOOD" : "BAD"));
        }
      }
      if (in.conflict) {
        line(fmt::format("   Conflicting master = {} (priority {}) since {}", in.conflict->peer,
                         in.conflict->priority, utc(in.conflict->since)));
      }
    }
  }
  if (!s.virtual_servers.empty()) {
    line("------< LVS Topology >------");
    for (const auto& vs : s.virtual_servers) {
      line(fmt::format(" Virtual server = {}", vs.label()));
      line(fmt::format("   Quorum = {}", vs.quorum_up ? "up" : "down"));
      for (const auto& rs : vs.real_servers) {
        line(fmt::format("   Real server = {}", endpoint(rs.address, rs.port)));
        line(fmt::format("     Alive = {}", rs.up ? "yes" : "no"));
        line(fmt::format("     Weight = {} (configured {})", rs.weight, rs.configured_weight));
        if (rs.last_check_success) {
          line(fmt::format("     Last check = {} {}: {}", rs.checker,
                           *rs.last_check_success ? "success" : "failure", rs.last_check_reason));
        }
        if (rs.checks.last_failure_at) {
          line(fmt::format("     Last failure = {} ({})", rs.checks.last_failure_reason,
                           utc(*rs.checks.last_failure_at)));
        }
        line(fmt::format("     Checks = {} succeeded, {} failed", rs.checks.successes,
                         rs.checks.failures));
      }
    }
  }
  line("------< Datapath >------");
  line(fmt::format(" Backend = {}", s.datapath.backend));
  line(fmt::format(" Available = {}", s.datapath.available ? "yes" : "no: " + s.datapath.unavailable_reason));
  line(fmt::format(" Applies = {} ({} failed)", s.datapath.applies, s.datapath.apply_errors));
  return out;
}

std::string keepalived_stats_dump(const DaemonSnapshot& s) {
  std::string out;
  for (const auto& in : s.vrrp) {
    out += fmt::format("VRRP Instance: {}\n", in.name);
    out += "  Advertisements:\n";
    out += fmt::format("    Received: {}\n", in.adverts_received);
    out += fmt::format("    Sent: {}\n", in.adverts_sent);
    out += fmt::format("  Became master: {}\n", in.become_master);
    out += fmt::format("  Released master: {}\n", in.release_master);
    out += "  Packet Errors:\n";
    out += fmt::format("    Length: {}\n", reason_count(in, {"truncated packet", "length mismatch"}));
    out += fmt::format("    TTL: {}\n", reason_count(in, {"bad TTL/hop limit"}));
    out += fmt::format("    Invalid Type: {}\n", reason_count(in, {"wrong VRRP packet type"}));
    out += fmt::format("    Advertisement Interval: {}\n",
                       reason_count(in, {"advert interval mismatch"}));
    out += fmt::format("    Address List: {}\n", reason_count(in, {"address list mismatch"}));
    out += "  Authentication Errors:\n";
    out += "    Invalid Type: 0\n";
    out += fmt::format("    Type Mismatch: {}\n", reason_count(in, {"auth type mismatch"}));
    out += fmt::format("    Failure: {}\n", reason_count(in, {"auth mismatch"}));
    out += "  Priority Zero:\n";
    out += fmt::format("    Received: {}\n", in.priority_zero_received);
    out += fmt::format("    Sent: {}\n", in.priority_zero_sent);
  }
  return out;
}

std::string keepalived_json_dump(const DaemonSnapshot& s) {
  JsonWriter j;
  j.begin_array();
  for (const auto& in : s.vrrp) {
    j.begin_object();
    j.key("data").begin_object();
    j.key("iname").value(in.name);
    j.key("ifp_ifname").value(in.interface);
    j.key("last_transition")
        .raw_number(fmt::format("{:.6f}", in.last_transition ? unix_seconds(*in.last_transition) : 0.0));
    j.key("vrid").value(in.vrid);
    j.key("base_priority").value(in.priority);
    j.key("effective_priority").value(in.effective_priority);
    j.key("adver_int").raw_number(fmt::format("{}", in.advert_interval));
    j.key("state").value(keepalived_state_code(in.state));
    j.key("version").value(in.version);
    j.key("vips").begin_array();
    for (const auto& v : in.vips) j.value(v);
    j.end_array();
    j.key("track_script").begin_array();
    for (const auto& t : in.track_scripts) j.value(t.name);
    j.end_array();
    j.end_object();
    j.key("stats").begin_object();
    j.key("advert_rcvd").value(in.adverts_received);
    j.key("advert_sent").value(in.adverts_sent);
    j.key("become_master").value(in.become_master);
    j.key("release_master").value(in.release_master);
    j.key("packet_len_err").value(reason_count(in, {"truncated packet", "length mismatch"}));
    j.key("advert_interval_err").value(reason_count(in, {"advert interval mismatch"}));
    j.key("ip_ttl_err").value(reason_count(in, {"bad TTL/hop limit"}));
    j.key("invalid_type_rcvd").value(reason_count(in, {"wrong VRRP packet type"}));
    j.key("addr_list_err").value(reason_count(in, {"address list mismatch"}));
    j.key("invalid_authtype").value(std::uint64_t{0});
    j.key("authtype_mismatch").value(reason_count(in, {"auth type mismatch"}));
    j.key("auth_failure").value(reason_count(in, {"auth mismatch"}));
    j.key("pri_zero_rcvd").value(in.priority_zero_received);
    j.key("pri_zero_sent").value(in.priority_zero_sent);
    j.end_object();
    j.key("lvsctl").begin_object();
    j.key("state").value(in.state);
    j.key("master_address").value(in.master_address);
    j.key("transitions").value(in.transitions);
    j.key("adverts_rejected").value(in.adverts_rejected);
    j.key("packet_issues").begin_object();
    for (const auto& [reason, count] : in.rejected_by_reason) j.key(reason).value(count);
    j.end_object();
    j.end_object();
    j.end_object();
  }
  j.begin_object();
  j.key("lvsctl_status").begin_object();
  write_status_json(j, s);
  j.end_object();
  j.end_object();
  j.end_array();
  return j.str();
}

}  // namespace lvsctl::director
