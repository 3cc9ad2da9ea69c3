#include "director/check/from_config.hpp"

#include <map>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace lvsctl::director::check {

namespace {

CheckerKind to_kind(config::CheckerKind kind) {
  switch (kind) {
    case config::CheckerKind::Tcp: return CheckerKind::Tcp;
    case config::CheckerKind::HttpGet: return CheckerKind::HttpGet;
    case config::CheckerKind::SslGet: return CheckerKind::SslGet;
    case config::CheckerKind::Misc: return CheckerKind::Misc;
  }
  return CheckerKind::Tcp;
}

}  // namespace

CheckerConfig to_checker_config(const config::Checker& in) {
  CheckerConfig out;
  out.kind = to_kind(in.kind);
  out.connect_ip = in.connect_ip.to_string();
  if (in.connect_port != 0) out.connect_port = in.connect_port;
  if (in.bindto) out.bindto = in.bindto->to_string();
  out.connect_timeout = in.connect_timeout;
  out.retry = in.retry;
  out.delay_before_retry = in.delay_before_retry;
  out.delay_loop = in.delay_loop;
  out.warmup = in.warmup;
  out.alpha = in.alpha;
  std::visit(
      [&out, &in](const auto& spec) {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, config::HttpCheck>) {
          for (const auto& u : spec.urls) {
            UrlSpec url;
            url.path = u.path.empty() ? "/" : u.path;
            url.digest = u.digest;
            for (const auto& r : u.status_codes) url.status_codes.push_back(StatusRange{r.low, r.high});
            url.virtualhost = u.virtualhost ? u.virtualhost : spec.virtualhost;
            out.urls.push_back(std::move(url));
          }
          if (out.urls.empty()) out.urls.push_back(UrlSpec{});
          out.http_protocol = spec.http_protocol;
          out.enable_sni = spec.enable_sni;
        } else if constexpr (std::is_same_v<T, config::MiscCheck>) {
          out.misc_path = spec.path.command;
          out.misc_timeout = spec.timeout.count() > 0 ? spec.timeout : in.delay_loop;
          out.misc_dynamic = spec.dynamic;
        }
      },
      in.spec);
  return out;
}

RealServerConfig to_real_server_config(const config::RealServer& in) {
  RealServerConfig out;
  out.address = Endpoint{in.address.to_string(), in.port};
  out.weight = in.weight;
  for (const auto& c : in.checkers) out.checkers.push_back(to_checker_config(c));
  return out;
}

CheckPlan check_plan(const config::Config& config) {
  CheckPlan plan;
  std::size_t count = 0;
  for (const auto& vs : config.virtual_servers) count += vs.real_servers.size();
  plan.servers.reserve(count);
  plan.origins.reserve(count);
  for (std::size_t v = 0; v < config.virtual_servers.size(); ++v) {
    const auto& vs = config.virtual_servers[v];
    for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
      plan.servers.push_back(to_real_server_config(vs.real_servers[r]));
      plan.origins.push_back(CheckOrigin{v, r});
    }
  }
  return plan;
}

std::vector<std::string> virtual_server_keys(const config::Config& config) {
  std::vector<std::string> keys;
  keys.reserve(config.virtual_servers.size());
  for (const auto& vs : config.virtual_servers) {
    keys.push_back(vs.display_name() + " " +
                   (vs.protocol ? config::to_string(*vs.protocol) : "any"));
  }
  return keys;
}

std::vector<std::optional<std::size_t>> continued_servers(
    const std::vector<std::string>& previous_keys, const CheckPlan& previous,
    const std::vector<std::string>& next_keys, const CheckPlan& next) {
  auto same_place = [&](std::size_t p, std::size_t n) {
    return previous.servers[p].address == next.servers[n].address &&
           previous_keys[previous.origins[p].virtual_server] ==
               next_keys[next.origins[n].virtual_server];
  };
  // Most reloads keep the order: a server is first looked for at its own index; the map of all
  // previous servers is built only when one is not there.
  using Key = std::pair<std::string_view, const Endpoint*>;  // virtual server, real server
  auto less = [](const Key& a, const Key& b) {
    if (a.first != b.first) return a.first < b.first;
    return std::tie(a.second->ip, a.second->port) < std::tie(b.second->ip, b.second->port);
  };
  std::map<Key, std::size_t, decltype(less)> before(less);
  auto find = [&](std::size_t n) -> std::optional<std::size_t> {
    if (n < previous.servers.size() && same_place(n, n)) return n;
    if (before.empty()) {
      for (std::size_t p = 0; p < previous.servers.size(); ++p) {
        before.emplace(Key{previous_keys[previous.origins[p].virtual_server],
                           &previous.servers[p].address},
                       p);
      }
    }
    auto it = before.find(Key{next_keys[next.origins[n].virtual_server], &next.servers[n].address});
    if (it == before.end()) return std::nullopt;
    return it->second;
  };
  std::vector<std::optional<std::size_t>> out(next.servers.size());
  for (std::size_t n = 0; n < next.servers.size(); ++n) {
    const auto p = find(n);
    if (p && previous.servers[*p] == next.servers[n]) out[n] = p;
  }
  return out;
}

}  // namespace lvsctl::director::check
