#include "director/config/json.hpp"

#include <fmt/format.h>

#include "director/config/dns_names.hpp"
#include "director/config/values.hpp"
#include "shared/json_writer.hpp"

namespace lvsctl::director::config {
namespace {

void source(JsonWriter& w, const Location& l) {
  w.key("source").value(fmt::format("{}:{}:{}", l.file, l.line, l.column));
}

void seconds(JsonWriter& w, std::string_view key, Duration d) {
  w.key(key).raw_number(duration_seconds(d));
}

void optional_string(JsonWriter& w, std::string_view key, const std::optional<std::string>& s) {
  w.key(key);
  if (s) {
    w.value(*s);
  } else {
    w.null();
  }
}

void script(JsonWriter& w, std::string_view key, const std::optional<ScriptCommand>& s) {
  w.key(key);
  if (!s) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("command").value(s->command);
  optional_string(w, "user", s->user);
  optional_string(w, "group", s->group);
  w.end_object();
}

void notify(JsonWriter& w, const NotifyScripts& n) {
  script(w, "notify_master", n.master);
  script(w, "notify_backup", n.backup);
  script(w, "notify_fault", n.fault);
  script(w, "notify_stop", n.stop);
  script(w, "notify", n.any);
}

void tracked_interfaces(JsonWriter& w, const std::vector<TrackedInterface>& list) {
  w.key("track_interface").begin_array();
  for (const auto& t : list) {
    w.begin_object().key("name").value(t.name).key("weight").value(t.weight);
    w.key("reverse").value(t.reverse).end_object();
  }
  w.end_array();
}

void tracked_scripts(JsonWriter& w, const std::vector<TrackedScript>& list) {
  w.key("track_script").begin_array();
  for (const auto& t : list) {
    w.begin_object().key("name").value(t.name).key("weight");
    if (t.weight) {
      w.value(*t.weight);
    } else {
      w.null();
    }
    w.key("reverse").value(t.reverse).end_object();
  }
  w.end_array();
}

void addresses(JsonWriter& w, std::string_view key, const std::vector<VirtualAddress>& list) {
  w.key(key).begin_array();
  for (const auto& a : list) {
    w.begin_object();
    w.key("address").value(a.prefix.address.to_string());
    w.key("prefix").value(a.prefix.length);
    w.key("dev").value(a.dev);
    w.key("label").value(a.label);
    w.key("brd");
    if (a.broadcast) {
      w.value(a.broadcast->to_string());
    } else {
      w.null();
    }
    w.key("scope").value(a.scope);
    source(w, a.where);
    w.end_object();
  }
  w.end_array();
}

void instance(JsonWriter& w, const VrrpInstance& vi) {
  w.begin_object();
  w.key("name").value(vi.name);
  w.key("state").value(to_string(vi.state));
  w.key("interface").value(vi.interface);
  w.key("virtual_router_id").value(vi.vrid);
  w.key("priority").value(vi.priority);
  seconds(w, "advert_int", vi.advert_int);
  w.key("version").value(vi.version);
  w.key("auth_type").value(to_string(vi.auth_type));
  w.key("auth_pass_set").value(!vi.auth_pass.empty());
  addresses(w, "virtual_ipaddress", vi.virtual_ipaddress);
  addresses(w, "virtual_ipaddress_excluded", vi.virtual_ipaddress_excluded);
  w.key("nopreempt").value(vi.nopreempt);
  seconds(w, "preempt_delay", vi.preempt_delay);
  w.key("unicast_src_ip");
  if (vi.unicast_src_ip) {
    w.value(vi.unicast_src_ip->to_string());
  } else {
    w.null();
  }
  w.key("unicast_peer").begin_array();
  for (const auto& p : vi.unicast_peers) w.value(p.address.to_string());
  w.end_array();
  tracked_interfaces(w, vi.track_interfaces);
  tracked_scripts(w, vi.track_scripts);
  notify(w, vi.notify);
  seconds(w, "garp_master_delay", vi.garp_master_delay);
  w.key("garp_master_repeat").value(vi.garp_master_repeat);
  w.key("accept").value(vi.accept);
  w.key("strict_mode").value(vi.strict_mode);
  w.key("use_vmac").value(vi.use_vmac ? vi.vmac_name : std::string());
  w.key("vmac_xmit_base").value(vi.vmac_xmit_base);
  w.key("sync_group").value(vi.sync_group);
  source(w, vi.where);
  w.end_object();
}

void checker(JsonWriter& w, const Checker& c) {
  w.begin_object();
  w.key("type").value(to_string(c.kind));
  if (checker_defaults(c.kind).connects) {
    w.key("connect_ip").value(c.connect.ip.to_string());
    w.key("connect_port").value(c.connect.port);
    w.key("bindto");
    if (c.bindto) {
      w.value(c.bindto->to_string());
    } else {
      w.null();
    }
    seconds(w, "connect_timeout", c.connect_timeout);
  }
  w.key("retry").value(c.retry);
  seconds(w, "delay_before_retry", c.delay_before_retry);
  seconds(w, "delay_loop", c.delay_loop);
  seconds(w, "warmup", c.warmup);
  w.key("alpha").value(c.alpha);
  if (const auto* h = std::get_if<HttpCheck>(&c.spec)) {
    optional_string(w, "virtualhost", h->virtualhost);
    w.key("http_protocol").value(h->http_protocol);
    if (h->tls) w.key("enable_sni").value(h->enable_sni);
    w.key("url").begin_array();
    for (const auto& u : h->urls) {
      w.begin_object().key("path").value(u.path);
      optional_string(w, "digest", u.digest);
      w.key("status_code").begin_array();
      for (const auto& r : u.status_codes) {
        w.value(r.low == r.high ? std::to_string(r.low) : fmt::format("{}-{}", r.low, r.high));
      }
      w.end_array();
      optional_string(w, "virtualhost", u.virtualhost);
      source(w, u.where);
      w.end_object();
    }
    w.end_array();
  }
  if (const auto* m = std::get_if<MiscCheck>(&c.spec)) {
    w.key("misc_path").value(m->path.command);
    optional_string(w, "user", m->path.user);
    seconds(w, "misc_timeout", m->timeout);
    w.key("misc_dynamic").value(m->dynamic);
  }
  if (const auto* f = std::get_if<FileCheck>(&c.spec)) {
    w.key("track_file").value(f->track_file);
    w.key("weight").value(f->weight);
    w.key("reverse").value(f->reverse);
  }
  if (const auto* u = std::get_if<UdpCheck>(&c.spec)) {
    w.key("payload_bytes").value(static_cast<std::uint64_t>(u->payload.size()));
    w.key("require_reply").value(u->require_reply);
    w.key("reply_bytes").value(static_cast<std::uint64_t>(u->reply.size()));
    w.key("min_reply_length").value(u->min_reply_length);
    w.key("max_reply_length").value(u->max_reply_length);
  }
  if (const auto* s = std::get_if<SmtpCheck>(&c.spec)) w.key("helo_name").value(s->helo_name);
  if (const auto* d = std::get_if<DnsCheck>(&c.spec)) {
    w.key("bind_port");
    if (c.bind_port) {
      w.value(*c.bind_port);
    } else {
      w.null();
    }
    w.key("dns_type").value(dns_type_name(d->type));
    w.key("dns_name").value(d->name);
  }
  source(w, c.where);
  w.end_object();
}

void real_server(JsonWriter& w, const RealServer& rs) {
  w.begin_object();
  w.key("address").value(rs.address.to_string());
  w.key("port").value(rs.port);
  w.key("weight").value(rs.weight);
  w.key("lvs_method").value(to_string(rs.method));
  w.key("inhibit_on_failure").value(rs.inhibit_on_failure);
  script(w, "notify_up", rs.notify_up);
  script(w, "notify_down", rs.notify_down);
  w.key("checkers").begin_array();
  for (const auto& c : rs.checkers) checker(w, c);
  w.end_array();
  source(w, rs.where);
  w.end_object();
}

void virtual_server(JsonWriter& w, const VirtualServer& vs) {
  w.begin_object();
  w.key("name").value(vs.display_name());
  switch (vs.kind) {
    case VirtualServerKind::Address:
      w.key("address").value(vs.address.to_string());
      w.key("port").value(vs.port);
      break;
    case VirtualServerKind::Fwmark:
      w.key("fwmark").value(vs.fwmark);
      break;
    case VirtualServerKind::Group:
      w.key("group").value(vs.group);
      break;
  }
  w.key("protocol");
  if (vs.protocol) {
    w.value(to_string(*vs.protocol));
  } else {
    w.null();
  }
  w.key("lvs_sched").value(vs.scheduler);
  w.key("lvs_sched_flags").begin_array();
  for (unsigned bit = 0; bit < 3; ++bit) {
    if (vs.scheduler_flags & (1U << bit)) w.value(scheduler_flag_name(vs.scheduler, bit));
  }
  w.end_array();
  w.key("ops").value(vs.one_packet);
  w.key("lvs_method").value(to_string(vs.method));
  w.key("persistence_timeout").value(vs.persistence_timeout);
  optional_string(w, "persistence_granularity", vs.persistence_granularity);
  seconds(w, "delay_loop", vs.delay_loop);
  w.key("quorum").value(vs.quorum);
  w.key("hysteresis").value(vs.hysteresis);
  w.key("inhibit_on_failure").value(vs.inhibit_on_failure);
  w.key("alpha").value(vs.alpha);
  w.key("omega").value(vs.omega);
  optional_string(w, "virtualhost", vs.virtualhost);
  w.key("sorry_server");
  if (vs.sorry_server) {
    w.begin_object().key("address").value(vs.sorry_server->address.to_string());
    w.key("port").value(vs.sorry_server->port);
    w.key("inhibit").value(vs.sorry_server->inhibit).end_object();
  } else {
    w.null();
  }
  script(w, "quorum_up", vs.quorum_up);
  script(w, "quorum_down", vs.quorum_down);
  w.key("real_servers").begin_array();
  for (const auto& rs : vs.real_servers) real_server(w, rs);
  w.end_array();
  source(w, vs.where);
  w.end_object();
}

}  // namespace

std::string to_json(const Config& c) {
  JsonWriter w;
  w.begin_object();
  w.key("global").begin_object();
  optional_string(w, "router_id", c.global.router_id);
  w.key("vrrp_version").value(c.global.vrrp_version);
  w.key("enable_script_security").value(c.global.enable_script_security);
  optional_string(w, "script_user", c.global.script_user);
  w.key("lvs_flush").value(c.global.lvs_flush);
  w.key("tcp_check_mode").value(c.global.tcp_check_mode == TcpCheckMode::Syn ? "syn" : "connect");
  seconds(w, "vrrp_garp_master_delay", c.global.vrrp_garp_master_delay);
  w.key("vrrp_garp_master_repeat").value(c.global.vrrp_garp_master_repeat);
  w.key("vrrp_mcast_group4").value(c.global.vrrp_mcast_group4.to_string());
  w.end_object();

  w.key("vrrp_scripts").begin_array();
  for (const auto& s : c.vrrp_scripts) {
    w.begin_object().key("name").value(s.name).key("script").value(s.script.command);
    seconds(w, "interval", s.interval);
    seconds(w, "timeout", s.timeout.value_or(s.interval));
    w.key("weight").value(s.weight).key("rise").value(s.rise).key("fall").value(s.fall);
    optional_string(w, "user", s.script.user);
    source(w, s.where);
    w.end_object();
  }
  w.end_array();

  w.key("vrrp_sync_groups").begin_array();
  for (const auto& g : c.vrrp_sync_groups) {
    w.begin_object().key("name").value(g.name).key("group").begin_array();
    for (const auto& m : g.instances) w.value(m);
    w.end_array();
    tracked_interfaces(w, g.track_interfaces);
    tracked_scripts(w, g.track_scripts);
    notify(w, g.notify);
    source(w, g.where);
    w.end_object();
  }
  w.end_array();

  w.key("vrrp_instances").begin_array();
  for (const auto& vi : c.vrrp_instances) instance(w, vi);
  w.end_array();

  w.key("virtual_server_groups").begin_array();
  for (const auto& g : c.virtual_server_groups) {
    w.begin_object().key("name").value(g.name).key("ranges").begin_array();
    for (const auto& r : g.ranges) {
      w.begin_object().key("first").value(r.first.to_string());
      w.key("last").value(r.last.to_string()).key("port").value(r.port).end_object();
    }
    w.end_array().key("fwmarks").begin_array();
    for (const auto& f : g.fwmarks) w.value(f.fwmark);
    w.end_array();
    source(w, g.where);
    w.end_object();
  }
  w.end_array();

  w.key("virtual_servers").begin_array();
  for (const auto& vs : c.virtual_servers) virtual_server(w, vs);
  w.end_array();
  w.end_object();
  return w.str();
}

std::string diagnostics_json(const std::string& file, const conf::Diagnostics& diags) {
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
  for (const auto& d : diags) (d.severity == conf::Severity::Error ? errors : warnings)++;
  JsonWriter w;
  w.begin_object();
  w.key("file").value(file);
  w.key("valid").value(errors == 0);
  w.key("errors").value(errors);
  w.key("warnings").value(warnings);
  w.key("diagnostics").begin_array();
  for (const auto& d : diags) {
    w.begin_object();
    w.key("file").value(d.where.file.str());
    w.key("line").value(d.where.line);
    w.key("column").value(d.where.column);
    w.key("severity").value(d.severity == conf::Severity::Error ? "error" : "warning");
    w.key("message").value(d.message);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

}  // namespace lvsctl::director::config
