#pragma once
// The daemon's first log lines, as keepalived writes them at start: the version, the command
// line as started, and the kernel it runs on ("Starting ...", "Command line: ...",
// "Running on Linux ...").
namespace lvsctl::director {

void log_start_banner();

}  // namespace lvsctl::director
