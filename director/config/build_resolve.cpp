// Once a virtual server is read: keepalived's defaults and the virtual server -> real server ->
// checker inheritance, resolved into the model so consumers never re-derive them.
#include <fmt/format.h>

#include "director/config/build_parts.hpp"

namespace lvsctl::director::config {
namespace {

template <typename T>
T first_of(const std::optional<T>& a, const std::optional<T>& b, const std::optional<T>& c,
           T fallback) {
  if (a) return *a;
  if (b) return *b;
  if (c) return *c;
  return fallback;
}

Checker resolve_checker(CheckerDraft&& d, const RealServer& rs, const RealServerDraft& rsd,
                        const VirtualServerDraft& vsd) {
  Checker c = std::move(d.checker);
  const VirtualServer& vs = vsd.server;
  const CheckDefaults& own = d.own;
  const CheckDefaults& r = rsd.defaults;
  const CheckDefaults& v = vsd.defaults;
  const CheckerDefaults keepalived = checker_defaults(c.kind);

  c.connect.ip = d.connect_ip.value_or(rs.address);
  c.connect.port = d.connect_port.value_or(rs.port);
  c.connect_timeout =
      first_of(own.connect_timeout, r.connect_timeout, v.connect_timeout, vs.connect_timeout);
  c.retry = first_of(own.retry, r.retry, v.retry, keepalived.retry);
  c.delay_loop = first_of(own.delay_loop, r.delay_loop, v.delay_loop, vs.delay_loop);
  c.delay_before_retry = first_of(
      own.delay_before_retry, r.delay_before_retry, v.delay_before_retry,
      keepalived.retry_delay_is_delay_loop ? c.delay_loop : keepalived.delay_before_retry);
  c.warmup = first_of(own.warmup, r.warmup, v.warmup, c.delay_loop);
  c.alpha = first_of(own.alpha, r.alpha, v.alpha, false);

  if (auto* h = std::get_if<HttpCheck>(&c.spec)) {
    const auto host =
        h->virtualhost ? h->virtualhost : (r.virtualhost ? r.virtualhost : v.virtualhost);
    h->virtualhost = host;
    for (auto& u : h->urls) {
      if (!u.virtualhost) u.virtualhost = host;
    }
  }
  if (auto* m = std::get_if<MiscCheck>(&c.spec)) {
    m->timeout = d.misc_timeout.value_or(vs.delay_loop);
  }
  if (c.kind == CheckerKind::File) {  // keepalived: known at once, never retried, never alpha
    c.retry = 0;
    c.alpha = false;
  }
  return c;
}

}  // namespace

VirtualServer finish_virtual_server(BuildContext& ctx, VirtualServerDraft&& d) {
  VirtualServer& vs = d.server;
  // Formatted only for a message: 10,000 services must not pay for it.
  const auto name = [&vs] { return vs.display_name(); };

  if (!d.scheduler_set) {
    ctx.warning(vs.where, fmt::format("virtual_server {} has no lvs_sched; using wlc "
                                      "(keepalived's default)",
                                      name()));
  }
  const bool by_address = vs.kind == VirtualServerKind::Address;
  if (vs.kind == VirtualServerKind::Fwmark) {
    if (d.protocol_set) {
      ctx.warning(vs.where, fmt::format("virtual_server {}: 'protocol' is ignored for fwmark "
                                        "services",
                                        name()));
    }
    vs.protocol.reset();
  } else if (!d.protocol_set) {
    ctx.warning(vs.where, fmt::format("virtual_server {} has no 'protocol'; using UDP as "
                                      "keepalived 2.2.7 does (add 'protocol TCP' for TCP)",
                                      name()));
    vs.protocol = Protocol::Udp;
  }
  if (vs.one_packet && vs.kind != VirtualServerKind::Fwmark && vs.protocol != Protocol::Udp) {
    ctx.warning(vs.where, fmt::format("virtual_server {}: 'ops' (one-packet scheduling) needs "
                                      "protocol UDP or a fwmark service; ignored, as keepalived "
                                      "does",
                                      name()));
    vs.one_packet = false;
  }
  if (by_address && vs.port == 0 && vs.persistence_timeout == 0) {
    ctx.warning(vs.where, fmt::format("virtual_server {}: port 0 (any port) only works for "
                                      "persistent services; setting persistence_timeout 360",
                                      name()));
    vs.persistence_timeout = 360;
  }

  bool need_method = false;
  for (const auto& r : d.real_servers) need_method = need_method || !r.method;
  if (!d.method && need_method && !d.real_servers.empty()) {
    ctx.warning(vs.where, fmt::format("virtual_server {} has no lvs_method; using NAT "
                                      "(keepalived's default)",
                                      name()));
  }
  vs.method = d.method.value_or(ForwardingMethod::Nat);
  vs.alpha = d.defaults.alpha.value_or(false);
  vs.inhibit_on_failure = d.defaults.inhibit_on_failure.value_or(false);
  vs.virtualhost = d.defaults.virtualhost;
  vs.retry = d.defaults.retry;
  vs.delay_before_retry = d.defaults.delay_before_retry;
  vs.warmup = d.defaults.warmup;

  if (vs.sorry_server && by_address && vs.sorry_server->port == 0) vs.sorry_server->port = vs.port;

  vs.real_servers.reserve(d.real_servers.size());
  for (auto& rd : d.real_servers) {
    RealServer rs = std::move(rd.server);
    rs.method = rd.method.value_or(vs.method);
    rs.weight = rd.weight.value_or(d.weight.value_or(1));
    rs.inhibit_on_failure = rd.defaults.inhibit_on_failure.value_or(vs.inhibit_on_failure);
    rs.alpha = rd.defaults.alpha.value_or(vs.alpha);
    if (vs.kind == VirtualServerKind::Fwmark) {
      if (rd.port_given && rs.method != ForwardingMethod::Nat) {
        ctx.warning(rs.where, fmt::format("real_server {} of fwmark service: the port is ignored "
                                          "with {}",
                                          rs.address.to_string(), to_string(rs.method)));
        rs.port = 0;
      }
    } else if (by_address && !rd.port_given) {
      rs.port = vs.port;
    } else if (by_address && rs.method != ForwardingMethod::Nat && vs.port != 0 &&
               rs.port != vs.port) {
      // IPVS cannot change the port without NAT; keepalived 2.2.7 warns and uses the service's.
      ctx.warning(rs.where, fmt::format("virtual_server {} and real_server {} ports don't match - "
                                        "resetting to {} ({} cannot change the port; as "
                                        "keepalived does)",
                                        name(), rs.address.to_string(), vs.port,
                                        to_string(rs.method)));
      rs.port = vs.port;
    }
    rs.checkers.reserve(rd.checkers.size());
    for (auto& cd : rd.checkers) rs.checkers.push_back(resolve_checker(std::move(cd), rs, rd, d));
    vs.real_servers.push_back(std::move(rs));
  }
  return std::move(vs);
}

}  // namespace lvsctl::director::config
