#pragma once
// `lvsctl director genhash -s ADDR -p PORT -u URL [-S] [-I] [-V HOST] [-P 1.0|1.0c|1.1] [-t S]
// [-v]`: keepalived's genhash. Fetches URL from ADDR:PORT (TLS with -S) with the HTTP_GET /
// SSL_GET checker's own client (director/check/http_probe: non-blocking, every phase bounded by
// the timeout) and prints the MD5 of the body as a `digest` line of a url block needs it (lowercase
// hex, one line, as keepalived's genhash prints it). -v adds the status and sizes on stderr.
// Exit codes: 0 digest printed; 1 the fetch failed (connect, TLS, timeout, malformed or empty
// response: the reason on stderr); 2 bad usage.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace lvsctl::director {

struct GenhashOptions {
  std::string server;  // an IP address (as genhash: not a name)
  std::uint16_t port = 0;
  std::string url = "/";
  bool ssl = false;              // -S
  bool sni = false;              // -I: the virtualhost as SNI
  std::string virtualhost;       // -V: Host header (default: ADDR:PORT)
  std::string protocol = "1.0";  // -P: 1.0, 1.0c or 1.1
  double timeout_s = 5;          // -t
  bool verbose = false;          // -v
};

int run_genhash(const GenhashOptions& options, std::FILE* out, std::FILE* err);

void add_genhash_command(CLI::App& director, int& exit_code);

}  // namespace lvsctl::director
