#include "director/daemon/metrics_text.hpp"

#include <cmath>

#include <fmt/format.h>

namespace lvsctl::director {
namespace {

// Renders one family at a time: # HELP, # TYPE, then its samples.
class Exposition {
 public:
  void family(const char* name, const char* type, const char* help) {
    name_ = name;
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  // labels: already rendered `a="x",b="y"` (may be empty)
  void sample(const std::string& labels, double value, const char* suffix = "") {
    out_ += name_;
    out_ += suffix;
    if (!labels.empty()) out_ += "{" + labels + "}";
    out_ += " " + number(value) + "\n";
  }
  std::string take() { return std::move(out_); }

  static std::string number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);
  }

 private:
  std::string name_;
  std::string out_;
};

std::string label(const char* name, const std::string& value) {
  return fmt::format("{}=\"{}\"", name, escape_label_value(value));
}

std::string join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ",";
    out += p;
  }
  return out;
}

std::string instance_labels(const VrrpInstanceSnapshot& in) {
  // keepalived-exporter's label names: `instance` is Prometheus' own target label.
  return join({label("iname", in.name), label("intf", in.interface),
               label("vrid", std::to_string(in.vrid))});
}

std::string endpoint(const std::string& address, int port) {
  return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                : fmt::format("{}:{}", address, port);
}

std::string real_server_labels(const VirtualServerSnapshot& vs, const RealServerSnapshot& rs) {
  return join({label("virtual_server", vs.label()), label("real_server", endpoint(rs.address, rs.port))});
}

double d(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// The daemon's, configuration's and VRRP instances' families: a few lines per instance.
std::string render_daemon_and_vrrp(const DaemonSnapshot& s) {
  Exposition e;
  e.family("lvsctl_build_info", "gauge", "lvsctl version running (always 1).");
  e.sample(label("version", s.version), 1);
  e.family("lvsctl_start_time_seconds", "gauge", "When the daemon started, seconds since the epoch.");
  e.sample("", unix_seconds(s.started));
  e.family("lvsctl_config_info", "gauge", "The loaded configuration file and the hash of its contents (always 1).");
  e.sample(join({label("path", s.config_path), label("hash", s.config_hash)}), 1);
  e.family("lvsctl_config_last_reload_successful", "gauge",
           "1 when the last SIGHUP reload was applied or found nothing changed, 0 when it was rejected.");
  e.sample("", s.reload.last_result == "rejected" ? 0 : 1);
  e.family("lvsctl_config_last_reload_success_timestamp_seconds", "gauge",
           "When the running configuration was loaded (start or reload), seconds since the epoch.");
  e.sample("", s.reload.last_success_at ? unix_seconds(*s.reload.last_success_at) : unix_seconds(s.started));
  e.family("lvsctl_config_reloads_total", "counter", "SIGHUP reloads by result.");
  e.sample(label("result", "applied"), d(s.reload.applied));
  e.sample(label("result", "rejected"), d(s.reload.rejected));
  e.sample(label("result", "unchanged"), d(s.reload.unchanged));

  e.family("lvsctl_vrrp_state", "gauge",
           "VRRP instance state, keepalived's codes: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), keepalived_state_code(in.state));
  e.family("lvsctl_vrrp_priority", "gauge", "Configured VRRP priority.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), in.priority);
  e.family("lvsctl_vrrp_effective_priority", "gauge",
           "VRRP priority after tracked interfaces and scripts.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), in.effective_priority);
  e.family("lvsctl_vrrp_transitions_total", "counter", "VRRP state changes.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.transitions));
  e.family("lvsctl_vrrp_become_master_total", "counter", "Times the instance became MASTER.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.become_master));
  e.family("lvsctl_vrrp_release_master_total", "counter", "Times the instance left MASTER.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.release_master));
  e.family("lvsctl_vrrp_last_transition_timestamp_seconds", "gauge",
           "When the instance last changed state, seconds since the epoch (0: never).");
  for (const auto& in : s.vrrp) {
    e.sample(instance_labels(in), in.last_transition ? unix_seconds(*in.last_transition) : 0);
  }
  e.family("lvsctl_vrrp_advert_sent_total", "counter", "VRRP advertisements sent.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.adverts_sent));
  e.family("lvsctl_vrrp_advert_rcvd_total", "counter", "VRRP advertisements received and accepted.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.adverts_received));
  e.family("lvsctl_vrrp_advert_rejected_total", "counter", "VRRP packets rejected, by reason.");
  for (const auto& in : s.vrrp) {
    for (const auto& [reason, count] : in.rejected_by_reason) {
      if (reason.rfind("accepted with ", 0) == 0) continue;
      e.sample(join({instance_labels(in), label("reason", reason)}), d(count));
    }
  }
  e.family("lvsctl_vrrp_advert_warnings_total", "counter",
           "VRRP advertisements accepted with a warning, by reason.");
  for (const auto& in : s.vrrp) {
    for (const auto& [reason, count] : in.rejected_by_reason) {
      if (reason.rfind("accepted with ", 0) != 0) continue;
      e.sample(join({instance_labels(in), label("reason", reason.substr(14))}), d(count));
    }
  }
  e.family("lvsctl_vrrp_pri_zero_sent_total", "counter", "Priority-0 (resigning) advertisements sent.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.priority_zero_sent));
  e.family("lvsctl_vrrp_pri_zero_rcvd_total", "counter", "Priority-0 (resigning) advertisements received.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), d(in.priority_zero_received));
  e.family("lvsctl_vrrp_split_brain", "gauge",
           "1 while another master advertises beside this MASTER instance.");
  for (const auto& in : s.vrrp) e.sample(instance_labels(in), in.conflict ? 1 : 0);
  e.family("lvsctl_vrrp_script_status", "gauge",
           "Tracked vrrp_script result: 1 good, 0 bad, -1 no result yet.");
  for (const auto& in : s.vrrp) {
    for (const auto& t : in.track_scripts) {
      e.sample(join({label("iname", in.name), label("script", t.name)}),
               !t.success ? -1 : *t.success ? 1 : 0);
    }
  }

  return e.take();
}

// The families of the virtual and real servers: nearly all of a big scrape's text.
std::string render_virtual_servers(const SharedList<VirtualServerSnapshot>& servers) {
  Exposition e;
  e.family("lvsctl_virtual_server_quorum_up", "gauge",
           "1 while the virtual server's live real servers reach its quorum.");
  for (const auto& vs : servers) e.sample(label("virtual_server", vs.label()), vs.quorum_up ? 1 : 0);
  e.family("lvsctl_real_server_up", "gauge", "1 while the real server passes its health checks.");
  for (const auto& vs : servers) {
    for (const auto& rs : vs.real_servers) e.sample(real_server_labels(vs, rs), rs.up ? 1 : 0);
  }
  e.family("lvsctl_real_server_weight", "gauge", "The real server's weight in the datapath.");
  for (const auto& vs : servers) {
    for (const auto& rs : vs.real_servers) e.sample(real_server_labels(vs, rs), rs.weight);
  }
  e.family("lvsctl_real_server_checks_total", "counter", "Health checks completed, by result.");
  for (const auto& vs : servers) {
    for (const auto& rs : vs.real_servers) {
      if (!rs.checked) continue;
      const auto labels = real_server_labels(vs, rs);
      e.sample(join({labels, label("result", "success")}), d(rs.checks.successes));
      e.sample(join({labels, label("result", "failure")}), d(rs.checks.failures));
    }
  }
  e.family("lvsctl_real_server_transitions_total", "counter",
           "Changes of the real server's health or weight.");
  for (const auto& vs : servers) {
    for (const auto& rs : vs.real_servers) {
      if (rs.checked) e.sample(real_server_labels(vs, rs), d(rs.checks.transitions));
    }
  }
  e.family("lvsctl_real_server_check_duration_seconds", "histogram",
           "Time a health check took, from its start to its result.");
  for (const auto& vs : servers) {
    for (const auto& rs : vs.real_servers) {
      if (!rs.checked) continue;
      const auto labels = real_server_labels(vs, rs);
      const auto& h = rs.checks.duration;
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < h.counts.size(); ++b) {
        cumulative += h.counts[b];
        const std::string le =
            b < check::DurationHistogram::kBounds.size()
                ? Exposition::number(check::DurationHistogram::kBounds[b])
                : "+Inf";
        e.sample(join({labels, label("le", le)}), d(cumulative), "_bucket");
      }
      e.sample(labels, h.sum_seconds, "_sum");
      e.sample(labels, d(h.count), "_count");
    }
  }

  return e.take();
}

std::string render_datapath(const DaemonSnapshot& s) {
  Exposition e;
  const auto backend = label("backend", s.datapath.backend);
  e.family("lvsctl_datapath_up", "gauge", "1 while the datapath (IPVS or nftables) can be programmed.");
  e.sample(backend, s.datapath.available ? 1 : 0);
  e.family("lvsctl_datapath_applies_total", "counter",
           "Datapath updates planned against the kernel (IPVS syncs, nftables transactions).");
  e.sample(backend, d(s.datapath.applies));
  e.family("lvsctl_datapath_apply_errors_total", "counter", "Datapath updates that failed (retried).");
  e.sample(backend, d(s.datapath.apply_errors));
  e.family("lvsctl_datapath_requests_total", "counter",
           "Netlink requests (IPVS) or messages (nftables) sent to program the datapath.");
  e.sample(backend, d(s.datapath.requests_sent));
  return e.take();
}

}  // namespace

std::string render_metrics(const DaemonSnapshot& s) {
  return render_daemon_and_vrrp(s) + render_virtual_servers(s.virtual_servers) + render_datapath(s);
}

std::string MetricsRenderer::render(const DaemonSnapshot& s) {
  if (!rendered_for_ || !rendered_for_->same(s.virtual_servers)) {
    servers_text_ = render_virtual_servers(s.virtual_servers);
    rendered_for_ = s.virtual_servers;
    ++servers_rendered_;
  }
  const std::string head = render_daemon_and_vrrp(s);
  const std::string tail = render_datapath(s);
  std::string out;
  out.reserve(head.size() + servers_text_.size() + tail.size());
  out += head;
  out += servers_text_;
  out += tail;
  return out;
}

}  // namespace lvsctl::director
