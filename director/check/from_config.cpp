#include "director/check/from_config.hpp"

#include <map>
#include <string_view>
#include <tuple>
#include <utility>

namespace lvsctl::director::check {

RealServerConfig to_real_server_config(const config::RealServer& in) {
  return RealServerConfig{Endpoint{in.address, in.port}, in.weight, in.checkers};
}

RealServerConfig real_server_config(Endpoint address, std::vector<Checker> checkers, int weight) {
  for (auto& c : checkers) {
    if (c.connect.port == 0) c.connect = address;
  }
  return RealServerConfig{address, weight, std::move(checkers)};
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
