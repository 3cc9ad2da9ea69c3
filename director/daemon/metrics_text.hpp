#pragma once
// The Prometheus text exposition format (version 0.0.4) of a DaemonSnapshot (pure): every family
// with # HELP and # TYPE, names lvsctl_* with units (_seconds, _total), keepalived-exporter's
// vocabulary where it has one (vrrp_state with keepalived's codes, advert_sent/advert_rcvd,
// become_master/release_master, script status). The list: docs/metrics.md.
#include <string>

#include "director/daemon/daemon_snapshot.hpp"

namespace lvsctl::director {

// Content-Type of the rendering.
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string render_metrics(const DaemonSnapshot& snapshot);

// A label value escaped for the text format (backslash, double quote, newline).
std::string escape_label_value(const std::string& value);

}  // namespace lvsctl::director
