#pragma once
// `lvsctl director watch [-i IF] [--count N] [--timeout S] [--json]`: replaces `tcpdump -i em1
// vrrp`. With --json every line is one JSON object (director/vrrp/advert_json).
// Decodes the VRRP adverts on the wire and prints one line per advert (time, interface,
// source > destination, version, VRID, priority, interval, auth, VIPs); rejected packets get a
// line saying why; two sources advertising one VRID at once get a "TWO MASTERS" line.
// Exit status: 0; 1 on a runtime error or when --timeout ran out before --count adverts; 3 when
// two masters were seen.
#include <CLI/CLI.hpp>

namespace lvsctl::director {

// Adds `watch` under the `director` subcommand; its callback stores the exit status.
void add_watch_command(CLI::App& director, int& exit_code);

}  // namespace lvsctl::director
