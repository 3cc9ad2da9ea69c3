#include "realserver/commands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>

#include "realserver/config_file.hpp"
#include "realserver/director_vips.hpp"
#include "realserver/host.hpp"
#include "realserver/plan.hpp"
#include "realserver/report.hpp"
#include "realserver/state_store.hpp"
#include "realserver/status.hpp"
#include "realserver/vip_list.hpp"
#include "shared/regular_file.hpp"

namespace lvsctl::realserver {

namespace {

void print_error(std::string_view action, const std::string& message) {
  fmt::print(stderr, "lvsctl realserver {}: {}\n", action, message);
}

bool is_privilege_error(const Error& e) { return e.code == EPERM || e.code == EACCES; }

// Prints `e`, explaining a missing privilege; returns the exit code for it.
int fail(std::string_view action, const Error& e, const std::filesystem::path& state_dir) {
  if (is_privilege_error(e)) {
    print_error(action, e.message);
    fmt::print(stderr,
               "  `lvsctl realserver {}` changes the ARP sysctls under /proc/sys/net/ipv4, the "
               "addresses on lo and the state in {}:\n  run it as root (it needs CAP_NET_ADMIN "
               "and write access to /proc/sys and to {}).\n",
               action, state_dir.string(), state_dir.string());
    return kExitNoPrivilege;
  }
  print_error(action, e.message);
  return kExitFailure;
}

// Every VIP spec from every source, in order: --vip, then realserver.conf, then keepalived.conf.
Result<std::vector<VipSpec>> collect_specs(const VipSources& sources) {
  std::vector<VipSpec> specs;
  for (const auto& value : sources.vips) {
    for (auto& word : split_vip_words(value)) specs.push_back({std::move(word), "--vip", false});
  }
  if (!sources.file.empty()) {
    auto text = read_regular_file(sources.file);
    if (!text) return text.error();
    auto from_file = parse_realserver_conf(*text, sources.file);
    if (!from_file) return from_file.error();
    specs.insert(specs.end(), from_file->begin(), from_file->end());
  }
  if (!sources.director_config.empty()) {
    auto from_director = director_vips(sources.director_config);
    if (!from_director) return from_director.error();
    specs.insert(specs.end(), from_director->begin(), from_director->end());
  }
  return specs;
}

Result<std::vector<IpAddress>> collect_vips(const VipSources& sources) {
  auto specs = collect_specs(sources);
  if (!specs) return specs.error();
  return build_vip_list(*specs);
}

std::string vip_count(std::size_t n) {
  return std::to_string(n) + " VIP" + (n == 1 ? "" : "s");
}

}  // namespace

std::filesystem::path state_file_in(const std::filesystem::path& state_dir) {
  return state_dir / kStateFileName;
}

int run_start(const VipSources& sources, const std::filesystem::path& state_dir) {
  auto vips = collect_vips(sources);
  if (!vips) {
    print_error("start", vips.error().message);
    return kExitUsage;
  }
  if (vips->empty()) {
    print_error("start", "no VIPs: give --vip ADDRESS, -f realserver.conf or "
                         "--from-director-config keepalived.conf");
    return kExitUsage;
  }
  auto host = Host::open(state_file_in(state_dir));
  if (!host) return fail("start", host.error(), state_dir);
  auto previous = host->load_state();
  if (!previous) return fail("start", previous.error(), state_dir);
  auto now = host->observe();
  if (!now) return fail("start", now.error(), state_dir);

  const StartPlan plan = plan_start(*vips, *previous, *now);
  if (plan.steps.empty()) {
    fmt::print("lvs-realsvr: already started: {} on lo, nothing to change\n", vip_count(vips->size()));
    return kExitOk;
  }
  for (const auto& step : plan.steps) {
    if (auto st = host->apply(step); !st) {
      const int code = fail("start", st.error(), state_dir);
      if (!previous->has_value()) {
        // A first start that failed half-way gives back what it changed.
        spdlog::warn("start failed; undoing the changes made so far");
        if (auto again = host->observe(); again) {
          for (const auto& undo : plan_stop(plan.state, *again)) {
            if (auto u = host->apply(undo); !u) spdlog::error("undo: {}", u.error().message);
          }
        }
      }
      return code;
    }
    spdlog::info("realserver: {}", describe(step));
  }
  std::size_t added = 0;
  for (const auto& step : plan.steps) if (std::holds_alternative<AddVip>(step)) ++added;
  fmt::print("lvs-realsvr: started: {} on lo ({} added), ARP sysctls {}\n",
             vip_count(vips->size()), added, has_ipv4(*vips) ? "set" : "not needed");
  return kExitOk;
}

int run_stop(const std::filesystem::path& state_dir) {
  auto host = Host::open(state_file_in(state_dir));
  if (!host) return fail("stop", host.error(), state_dir);
  auto state = host->load_state();
  if (!state) return fail("stop", state.error(), state_dir);
  if (!state->has_value()) {
    fmt::print("lvs-realsvr: not started, nothing to stop\n");
    return kExitOk;
  }
  auto now = host->observe();
  if (!now) return fail("stop", now.error(), state_dir);
  std::size_t removed = 0;
  for (const auto& step : plan_stop(*state, *now)) {
    if (auto st = host->apply(step); !st) return fail("stop", st.error(), state_dir);
    spdlog::info("realserver: {}", describe(step));
    if (std::holds_alternative<RemoveVip>(step)) ++removed;
  }
  fmt::print("lvs-realsvr: stopped: {} removed from lo, saved sysctl values restored\n",
             vip_count(removed));
  return kExitOk;
}

int run_status(const VipSources& sources, const std::filesystem::path& state_dir, bool json) {
  auto vips = collect_vips(sources);
  if (!vips) {
    return cli::report_error("realserver status", vips.error().message, kExitUsage, json);
  }
  auto host = Host::open(state_file_in(state_dir));
  if (!host) {
    return cli::report_error("realserver status", host.error().message, kExitStatusUnknown, json);
  }
  auto state = host->load_state();
  if (!state) {
    return cli::report_error("realserver status", state.error().message, kExitStatusUnknown, json);
  }
  auto now = host->observe();
  if (!now) {
    return cli::report_error("realserver status", now.error().message, kExitStatusUnknown, json);
  }
  const auto wanted = !vips->empty() ? *vips
                      : state->has_value() ? (*state)->vip_addresses()
                                           : std::vector<IpAddress>{};
  const StatusReport report = evaluate_status(wanted, state->has_value(), *now);
  fmt::print("{}", json ? render_json(report) : render_text(report));
  return static_cast<int>(report.code);
}

}  // namespace lvsctl::realserver
