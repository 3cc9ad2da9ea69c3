#pragma once
// `lvsctl lab serve`: the real servers' tiny HTTP service. Listens on 0.0.0.0:PORT in the
// namespace it was started in and answers every request with `name`. One connection at a time,
// each with a 2 s deadline and a 4 KiB request cap, so a stalled or flooding client delays the
// next one by at most that. Runs until SIGTERM/SIGINT; returns the exit code.
#include <string>

namespace lvsctl::lab {

int run_serve(const std::string& name, unsigned short port);

}  // namespace lvsctl::lab
