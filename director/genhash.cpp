#include "director/genhash.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "director/check/http_exchange.hpp"
#include "director/check/http_probe.hpp"
#include "director/check/tls_client.hpp"
#include "shared/cli_checks.hpp"
#include "shared/event_loop.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::director {

int run_genhash(const GenhashOptions& o, std::FILE* out, std::FILE* err) {
  auto address = IpAddress::parse(o.server);
  if (!address) {
    fmt::print(err, "lvsctl director genhash: server should be an IP address, not '{}'\n",
               o.server);
    return 2;
  }
  config::Checker checker;
  checker.kind = o.ssl ? config::CheckerKind::SslGet : config::CheckerKind::HttpGet;
  checker.connect = config::Endpoint{*address, o.port};
  checker.connect_timeout =
      std::chrono::duration_cast<config::Duration>(std::chrono::duration<double>(o.timeout_s));
  config::HttpCheck http;
  http.tls = o.ssl;
  http.http_protocol = o.protocol == "1.0c" ? "1.0C" : o.protocol;
  http.enable_sni = o.sni;
  config::UrlCheck url;
  url.path = o.url;
  url.status_codes = {{100, 599}};  // any answer: the digest is what genhash is for
  if (!o.virtualhost.empty()) url.virtualhost = o.virtualhost;
  http.urls = {url};
  checker.spec = http;

  auto loop = EventLoop::create();
  if (!loop) {
    fmt::print(err, "lvsctl director genhash: {}\n", loop.error().message);
    return 1;
  }
  std::unique_ptr<check::TlsClientContext> tls;
  if (o.ssl) {
    auto context = check::TlsClientContext::create();
    if (!context) {
      fmt::print(err, "lvsctl director genhash: {}\n", context.error().message);
      return 1;
    }
    tls = std::move(*context);
  }
  check::HttpProbe probe(**loop, checker.connect, checker, tls.get());
  std::optional<check::HttpResponse> response;
  probe.observe([&](const check::HttpResponse& r) { response = r; });
  std::optional<check::ProbeResult> result;
  probe.start([&](check::ProbeResult r) {
    result = std::move(r);
    (*loop)->stop();
  });
  if (auto st = (*loop)->run(); !st) {
    fmt::print(err, "lvsctl director genhash: {}\n", st.error().message);
    return 1;
  }
  if (!response) {
    fmt::print(err, "lvsctl director genhash: {}\n",
               result ? result->reason : std::string("no response"));
    return 1;
  }
  if (response->body.empty()) {
    fmt::print(err,
               "lvsctl director genhash: no data received from the web server (HTTP status "
               "{})\n",
               response->status);
    return 1;
  }
  if (o.verbose) {
    fmt::print(err, "{} {}{} -> HTTP status {}, body {} bytes\n", o.ssl ? "https" : "http",
               config::to_string(checker.connect), o.url,
               response->status, response->body.size());
  }
  fmt::print(out, "{}\n", check::md5_hex(response->body));
  return 0;
}

void add_genhash_command(CLI::App& director, int& exit_code) {
  auto o = std::make_shared<GenhashOptions>();
  CLI::App* cmd = director.add_subcommand(
      "genhash",
      "Print the MD5 digest of a web page for an HTTP_GET/SSL_GET `digest` line (keepalived's "
      "genhash)");
  cmd->add_option("-s,--server", o->server, "IP address of the web server")->required();
  cmd->add_option("-p,--port", o->port, "TCP port")->required()->check(CLI::Range(1, 65535));
  cmd->add_option("-u,--url", o->url, "path to fetch")->required()->check(cli_checks::non_empty());
  cmd->add_flag("-S,--use-ssl", o->ssl, "connect with TLS (SSL_GET)");
  cmd->add_flag("-I,--use-sni", o->sni, "send the virtualhost (-V) as TLS SNI");
  cmd->add_option("-V,--use-virtualhost", o->virtualhost,
                  "Host header (default: the server address and port)")
      ->check(cli_checks::non_empty());
  cmd->add_option("-P,--protocol", o->protocol,
                  "HTTP version: 1.0, 1.0c (with Connection: close) or 1.1")
      ->check(CLI::IsMember({"1.0", "1.0c", "1.0C", "1.1"}))
      ->capture_default_str();
  cmd->add_option("-t,--timeout", o->timeout_s,
                  "seconds allowed for each phase (connect, TLS, request, response)")
      ->check(cli_checks::finite_seconds())
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", o->verbose,
                "also print the URL, HTTP status and body size on stderr");
  cmd->callback([o, &exit_code] {
    if (o->protocol == "1.0C") o->protocol = "1.0c";
    exit_code = run_genhash(*o, stdout, stderr);
  });
}

}  // namespace lvsctl::director
