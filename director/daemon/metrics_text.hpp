#pragma once
// The Prometheus text exposition format (version 0.0.4) of a DaemonSnapshot (pure): every family
// with # HELP and # TYPE, names lvsctl_* with units (_seconds, _total), keepalived-exporter's
// vocabulary where it has one (vrrp_state with keepalived's codes, advert_sent/advert_rcvd,
// become_master/release_master, script status). The list: docs/metrics.md.
#include <cstdint>
#include <optional>
#include <string>

#include "director/daemon/daemon_snapshot.hpp"

namespace lvsctl::director {

// Content-Type of the rendering.
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string render_metrics(const DaemonSnapshot& snapshot);

// render_metrics() for a series of snapshots (the endpoint's scrapes): the virtual and real
// servers' families — all but a few lines at thousands of real servers — are rendered again
// only when the snapshot carries another list than the last one (a check result came in, see
// HealthMonitor::snapshot); otherwise their earlier text is reused. Same output as
// render_metrics(). Not thread-safe: one renderer per thread.
class MetricsRenderer {
 public:
  std::string render(const DaemonSnapshot& snapshot);
  std::uint64_t servers_rendered() const { return servers_rendered_; }  // tests

 private:
  std::optional<SharedList<VirtualServerSnapshot>> rendered_for_;  // keeps it alive: same() holds
  std::string servers_text_;
  std::uint64_t servers_rendered_ = 0;
};

// A label value escaped for the text format (backslash, double quote, newline).
std::string escape_label_value(const std::string& value);

}  // namespace lvsctl::director
