#include "director/check/probe.hpp"

#include "director/check/http_probe.hpp"
#include "director/check/misc_probe.hpp"
#include "director/check/smtp_probe.hpp"
#include "director/check/syn_probe.hpp"
#include "director/check/tcp_connect.hpp"
#include "director/check/tcp_probe.hpp"
#include "director/check/udp_probe.hpp"

namespace lvsctl::director::check {

std::unique_ptr<Probe> make_probe(const ProbeContext& context, const Checker& checker) {
  switch (checker.kind) {
    case CheckerKind::Tcp: {
      const Endpoint& target = checker.connect;
      if (context.syn != nullptr && syn_probe_applies(target, checker)) {
        return std::make_unique<SynProbe>(*context.syn, target, checker);
      }
      return std::make_unique<TcpProbe>(context.loop, target, checker);
    }
    case CheckerKind::HttpGet:
      return std::make_unique<HttpProbe>(context.loop, checker.connect, checker, nullptr);
    case CheckerKind::SslGet:
      return std::make_unique<HttpProbe>(context.loop, checker.connect, checker, context.tls);
    case CheckerKind::Misc:
      return std::make_unique<MiscProbe>(context.loop, checker);
    case CheckerKind::Udp:
      return std::make_unique<UdpProbe>(context.loop, checker);
    case CheckerKind::Dns:
      return nullptr;  // not yet: refused by the config builder
    case CheckerKind::Ping:
      return nullptr;  // not yet: refused by the config builder
    case CheckerKind::Smtp:
      return std::make_unique<SmtpProbe>(context.loop, checker);
    case CheckerKind::File:
      return nullptr;  // not yet: refused by the config builder
  }
  return nullptr;
}

}  // namespace lvsctl::director::check
