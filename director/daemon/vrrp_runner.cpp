#include "director/daemon/vrrp_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

#include "director/daemon/notify_fifo.hpp"
#include "director/daemon/script_security.hpp"
#include "director/daemon/vip_devices.hpp"
#include "director/daemon/vrrp_group.hpp"
#include "director/daemon/vrrp_mapping.hpp"
#include "director/vrrp/gratuitous_sender.hpp"
#include "shared/netlink/interface_address.hpp"

namespace lvsctl::director {
namespace {

// VRRP's primary address (source of adverts and the tie-breaker between equal priorities): the
// interface's first IPv4 address, or with IPv6 VIPs its link-local address (RFC 5798 5.1.2.1).
Result<IpAddress> primary_address(netlink::RouteSocket& rtnl, int ifindex,
                                  const std::vector<config::VirtualAddress>& vips) {
  auto addrs = netlink::list_addresses(rtnl, ifindex);
  if (!addrs) return addrs.error();
  const bool v6 = !vips.empty() && !vips.front().prefix.address.is_v4();
  if (v6) {
    for (const auto& a : *addrs) {
      if (a.address.is_v4()) continue;
      const auto& b = a.address.bytes();
      if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
        return *IpAddress::from_bytes(std::span<const std::uint8_t>(b.data(), 16));
      }
    }
    return Error{"no IPv6 link-local address on the interface to send VRRP adverts from",
                 EADDRNOTAVAIL};
  }
  for (const auto& a : *addrs) {
    if (!a.address.is_v4()) continue;
    const bool is_vip = std::any_of(vips.begin(), vips.end(),
                                    [&](const auto& v) { return v.prefix.address == a.address; });
    if (is_vip) continue;
    return a.address;
  }
  return Error{"no IPv4 address on the interface to send VRRP adverts from", EADDRNOTAVAIL};
}

bool is_warning(const std::string& reason) { return reason.starts_with("accepted with "); }

// The sender of a packet, for log lines: the envelope's, or an IPv4 header's source address.
std::string packet_source(std::span<const std::uint8_t> packet, const vrrp::PacketContext& context) {
  if (context.source) return context.source->to_string();
  if (packet.size() >= 20 && (packet[0] >> 4) == 4) {
    return IpAddress::from_bytes(packet.subspan(12, 4)).value().to_string();
  }
  return "an unknown source";
}

netlink::InterfaceAddress vip_address(const config::VirtualAddress& vip, int ifindex) {
  netlink::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = vip.prefix.address;
  a.prefix_len = static_cast<std::uint8_t>(vip.prefix.length);
  a.label = vip.label;
  return a;
}

}  // namespace

Result<std::unique_ptr<VrrpRunner>> VrrpRunner::create(EventLoop& loop, netlink::RouteSocket& rtnl,
                                                       const config::Config& config,
                                                       const config::VrrpInstance& instance,
                                                       ScriptRunner run_script) {
  const std::string& ifname = instance.interface;
  auto ifindex = netlink::interface_index(ifname);
  if (!ifindex) {
    return Error{"vrrp_instance " + instance.name + ": " + ifindex.error().message,
                 ifindex.error().code};
  }
  IpAddress primary;
  if (instance.unicast_src_ip) {
    primary = *instance.unicast_src_ip;
  } else {
    auto found = primary_address(rtnl, *ifindex, instance.virtual_ipaddress);
    if (!found) {
      return Error{"vrrp_instance " + instance.name + " on " + ifname + ": " +
                       found.error().message,
                   found.error().code};
    }
    primary = *found;
  }
  std::optional<VmacLink> vmac;
  if (instance.use_vmac) {
    auto link = VmacLink::create(rtnl, instance, *ifindex, primary);
    if (!link) return Error{"vrrp_instance " + instance.name + ": " + link.error().message};
    vmac.emplace(std::move(*link));
  }
  std::vector<IpAddress> peers;
  for (const auto& p : instance.unicast_peers) peers.push_back(p.address);
  const std::string& wire_if = vmac && advertises_from_vmac(instance) ? vmac->name() : ifname;
  auto wire = VrrpWire::join(loop, wire_if, primary, peers);
  if (!wire) return Error{"vrrp_instance " + instance.name + ": " + wire.error().message};
  auto machine_config = vrrp_instance_config(config, instance, primary);
  auto scripts = vetted_scripts(config, instance, machine_config);
  auto runner = std::unique_ptr<VrrpRunner>(new VrrpRunner(
      loop, rtnl, instance, std::move(machine_config), std::move(*wire),
      vmac ? vmac->ifindex() : *ifindex, std::move(run_script), std::move(scripts.tracked),
      std::move(scripts.notify), tracked_files(config, instance),
      tracked_processes(config, instance)));
  if (vmac) runner->vmac_.emplace(std::move(*vmac));
  return runner;
}

VrrpRunner::VrrpRunner(EventLoop& loop, netlink::RouteSocket& rtnl, config::VrrpInstance instance,
                       vrrp::InstanceConfig machine_config, std::shared_ptr<VrrpWire> wire,
                       int ifindex,
                       ScriptRunner run_script, std::vector<TrackedScriptRun> scripts,
                       std::map<std::string, Credentials> notify_as,
                       std::vector<config::VrrpTrackFile> files,
                       std::vector<config::VrrpTrackProcess> processes)
    : loop_(loop),
      rtnl_(rtnl),
      instance_(std::move(instance)),
      machine_(std::move(machine_config)),
      wire_(std::move(wire)),
      destinations_(wire_->destinations()),
      adverts_(machine_.config(), destinations_),
      ifindex_(ifindex),
      run_script_(std::move(run_script)),
      notify_as_(std::move(notify_as)),
      expectation_(vrrp::expectation_of(machine_.config())),
      scripts_(loop, std::move(scripts),
               [this](const std::string& name, bool success) { on_script(name, success); }),
      files_(loop, std::move(files),
             [this](const std::string& name, std::int64_t value) { on_file(name, value); }),
      processes_(loop, std::move(processes),
                 [this](const std::string& name, bool have_quorum) {
                   on_process(name, have_quorum);
                 }),
      with_vips_(rtnl, "VRRP_Instance(" + instance_.name + ")") {
  with_vips_.configure(instance_.virtual_ipaddress_excluded, instance_.interface,
                       instance_.virtual_routes, instance_.virtual_rules);
}

VrrpRunner::~VrrpRunner() {
  scripts_.stop();
  wire_->unsubscribe(machine_.config().vrid, this);
  loop_.cancel_timer(timer_);
}

void VrrpRunner::start() {
  wire_->subscribe(machine_.config().vrid, this,
                   [this](std::span<const std::uint8_t> packet,
                          const vrrp::PacketContext& context) { on_packet(packet, context); });
  spdlog::info("VRRP_Instance({}) starting on {}: VRID {}, priority {}, version {}, from {}",
               instance_.name, instance_.interface, instance_.vrid, instance_.priority,
               instance_.version, machine_.config().primary_address.to_string());
  logged_priority_ = machine_.effective_priority();
  dispatch(machine_.start(loop_.now()));
  scripts_.start();
  files_.start();
  processes_.start();
}

void VrrpRunner::on_process(const std::string& name, bool have_quorum) {
  if (stopped_) return;
  dispatch(machine_.on_process(name, have_quorum, loop_.now()));
}

void VrrpRunner::on_file(const std::string& name, std::int64_t value) {
  if (stopped_) return;
  dispatch(machine_.on_file(name, value, loop_.now()));
}

void VrrpRunner::on_script(const std::string& name, bool success) {
  if (stopped_) return;
  script_results_[name] = success;
  dispatch(machine_.on_script(name, success, loop_.now()));
}

void VrrpRunner::shutdown() {
  if (stopped_) return;
  scripts_.stop();
  files_.stop();
  processes_.stop();
  perform(machine_.shutdown(loop_.now()));
  stopped_ = true;
  if (group_) group_->member_stopped();
  wire_->unsubscribe(machine_.config().vrid, this);
  loop_.cancel_timer(timer_);
  timer_ = 0;
}

void VrrpRunner::on_link(const std::string& ifname, bool up) {
  if (stopped_) return;
  dispatch(machine_.on_interface(ifname, up, loop_.now()));
}

void VrrpRunner::update(const config::Config& config, const config::VrrpInstance& instance) {
  auto machine_config = vrrp_instance_config(config, instance, machine_.config().primary_address);
  auto scripts = vetted_scripts(config, instance, machine_config);  // tracked: already running
  spdlog::info("VRRP_Instance({}) updated in place: priority {} -> {}, advert_int {} -> {} ms, "
               "state {} kept",
               instance.name, instance_.priority, instance.priority,
               machine_.config().advert_interval.count(), machine_config.advert_interval.count(),
               vrrp::to_string(machine_.state()));
  // VIP lines gone from the configuration leave the interface whatever the state (a MASTER
  // holds them; elsewhere they should not be there): the state machine knows only the new list.
  std::vector<config::VirtualAddress> removed;
  for (const auto& old : instance_.virtual_ipaddress) {
    const bool kept = std::any_of(
        instance.virtual_ipaddress.begin(), instance.virtual_ipaddress.end(), [&](const auto& v) {
          return v.prefix == old.prefix && v.dev == old.dev;
        });
    if (!kept) removed.push_back(old);
  }
  std::string added;
  for (const auto& v : instance.virtual_ipaddress) {
    const bool had = std::any_of(
        instance_.virtual_ipaddress.begin(), instance_.virtual_ipaddress.end(),
        [&](const auto& old) { return v.prefix == old.prefix && v.dev == old.dev; });
    if (!had) added += " +" + v.prefix.to_string();
  }
  std::string gone;
  for (const auto& v : removed) gone += " -" + v.prefix.to_string();
  if (!added.empty() || !gone.empty()) {
    spdlog::info("VRRP_Instance({}) VIPs changed in place:{}{} (state {} kept)", instance.name,
                 added, gone, vrrp::to_string(machine_.state()));
  }
  instance_ = instance;
  notify_as_ = std::move(scripts.notify);
  with_vips_.reconfigure(instance_.virtual_ipaddress_excluded, instance_.interface,
                         instance_.virtual_routes, instance_.virtual_rules);
  if (stopped_) return;
  for (const auto& vip : removed) {
    if (set_vip(vip, false)) {
      spdlog::info("VRRP_Instance({}) Removing VIPs: {}", instance_.name, vip.prefix.to_string());
    }
  }
  auto step = machine_.update(std::move(machine_config), loop_.now());
  adverts_.invalidate();
  expectation_ = vrrp::expectation_of(machine_.config());
  dispatch(std::move(step));
}

void VrrpRunner::on_packet(std::span<const std::uint8_t> packet,
                           const vrrp::PacketContext& context) {
  vrrp::DecodeOptions options;
  options.context = context;
  options.expect = &expectation_;
  options.check_hop_limit = instance_.unicast_peers.empty();
  auto decoded = vrrp::decode(packet, options);
  if (!decoded) {
    // Adverts of other VRIDs never get here (the wire sorts them by VRID); log the rest as
    // keepalived logs wrong auth and address lists, rate-limited (a flood must not fill the log).
    ++counters_.adverts_rejected;
    counters_.last_rejection = decoded.rejection().text();
    log_packet(std::string(vrrp::to_string(decoded.rejection().reason)),
               packet_source(packet, context), counters_.last_rejection);
    return;
  }
  // Our own adverts come back on some setups (unicast to self); never obey them.
  if (decoded->source == machine_.config().primary_address) return;
  if (decoded.warning) {
    log_packet("accepted with " + std::string(vrrp::to_string(decoded.warning->reason)),
               decoded->source ? decoded->source->to_string() : "?", decoded.warning->text());
  }
  ++counters_.adverts_received;
  if (decoded->priority == 0) ++counters_.priority_zero_received;
  dispatch(machine_.on_advert(decoded.value(), loop_.now()));
  report(split_brain_.heard(decoded.value(), machine_.state() == vrrp::State::master, loop_.now()));
}

void VrrpRunner::report(const vrrp::SplitBrainMonitor::Change& change) {
  using Kind = vrrp::SplitBrainMonitor::Change::Kind;
  if (change.kind == Kind::started) {
    conflict_since_ = std::chrono::system_clock::now();
    spdlog::warn("VRRP_Instance({}) another master {} (priority {}) on {} - split brain? (we are "
                 "MASTER with priority {} and do not yield to it; it seems not to hear us)",
                 instance_.name, change.peer.peer.to_string(), change.peer.priority,
                 instance_.interface, machine_.effective_priority());
  } else if (change.kind == Kind::ended) {
    const std::chrono::duration<double> lasted = loop_.now() - change.peer.since;
    const bool master = machine_.state() == vrrp::State::master;
    spdlog::warn("VRRP_Instance({}) another master {} on {}: conflict over after {:.1f} s ({})",
                 instance_.name, change.peer.peer.to_string(), instance_.interface,
                 lasted.count(),
                 master ? "it went silent or resigned"
                        : "we are " + std::string(vrrp::to_string(machine_.state())) + " now");
  }
}

void VrrpRunner::log_packet(const std::string& reason, const std::string& source,
                            const std::string& text) {
  const auto line = packet_log_.occurred(reason, source, loop_.now());
  const auto every =
      std::chrono::duration_cast<std::chrono::seconds>(packet_log_.interval()).count();
  if (line.kind == LogRateLimiter::Line::Kind::full) {
    spdlog::warn("VRRP_Instance({}) {} from {} on {}: {} (more like it: one line per {} s)",
                 instance_.name, is_warning(reason) ? "advert" : "ignored a packet", source,
                 instance_.interface, text, every);
  } else if (line.kind == LogRateLimiter::Line::Kind::summary) {
    log_summary(line);
  }
}

void VrrpRunner::log_summary(const LogRateLimiter::Line& line) const {
  if (is_warning(line.reason)) {
    spdlog::warn("VRRP_Instance({}) {} more adverts on {} {} (last from {})", instance_.name,
                 line.suppressed, instance_.interface, line.reason, line.last_detail);
  } else {
    spdlog::warn("VRRP_Instance({}) {} more packets rejected on {}: {} (last from {})",
                 instance_.name, line.suppressed, instance_.interface, line.reason,
                 line.last_detail);
  }
}

void VrrpRunner::log_packet_summaries() {
  for (const auto& line : packet_log_.due(loop_.now())) log_summary(line);
}

void VrrpRunner::on_timer() {
  timer_ = 0;
  log_packet_summaries();
  report(split_brain_.check(machine_.state() == vrrp::State::master, loop_.now()));
  dispatch(machine_.on_timer(loop_.now()));
}

void VrrpRunner::dispatch(vrrp::Step step) {
  if (group_) {
    group_->after(group_index_, std::move(step));
  } else {
    perform(step);
  }
}

void VrrpRunner::perform(const vrrp::Step& step) {
  using Kind = vrrp::Action::Kind;
  for (const auto& action : step.actions) {
    switch (action.kind) {
      case Kind::send_advert: send_advert(action.priority); break;
      case Kind::add_vips: set_vips(true); break;
      case Kind::remove_vips: set_vips(false); break;
      case Kind::send_garp: send_garp(action.count); break;
      case Kind::notify: notify(action.state, step.why); break;
      case Kind::notify_stop:
        if (instance_.notify.stop) run(*instance_.notify.stop, {});
        // keepalived calls the generic script too: "INSTANCE" name "STOP" priority.
        if (instance_.notify.any) {
          run(*instance_.notify.any, {"INSTANCE", instance_.name, "STOP",
                                      std::to_string(machine_.effective_priority())});
        }
        run_script_.fifo(
            notify_fifo_line("INSTANCE", instance_.name, "STOP", machine_.effective_priority()));
        break;
    }
  }
  if (split_brain_.current()) {
    report(split_brain_.check(machine_.state() == vrrp::State::master, loop_.now()));
  }
  if (machine_.effective_priority() != logged_priority_) {
    spdlog::info("VRRP_Instance({}) effective priority {} -> {}", instance_.name,
                 logged_priority_, machine_.effective_priority());
    logged_priority_ = machine_.effective_priority();
  }
  if (!stopped_) arm_timer(step.wake_at);
}

// keepalived: "Sending/queueing gratuitous ARPs on eth0 for 10.0.0.1"; one line per burst.
// Each VIP out of its own interface (a `dev` VIP's neighbours are on that link), as keepalived.
void VrrpRunner::send_garp(unsigned count) {
  if (count == 0) return;
  for (const auto& batch : gratuitous_batches(instance_.virtual_ipaddress, vip_interface())) {
    if (batch.vips.empty()) continue;
    auto st = vrrp::send_gratuitous(batch.ifname, batch.vips, count);
    if (!st) {
      spdlog::warn("VRRP_Instance({}) {}", instance_.name, st.error().message);
      continue;
    }
    std::string list;
    for (const auto& v : batch.vips) list += (list.empty() ? "" : " ") + v.to_string();
    spdlog::info("VRRP_Instance({}) Sending {} {} on {} for {}", instance_.name, count,
                 batch.vips.front().is_v4() ? "gratuitous ARPs" : "unsolicited Neighbour Adverts",
                 batch.ifname, list);
  }
}

void VrrpRunner::send_advert(std::uint8_t priority) {
  const auto& packets = adverts_.packets(priority);
  for (std::size_t i = 0; i < packets.size(); ++i) wire_->send(packets[i], destinations_[i], instance_.name);
  ++counters_.adverts_sent;
  if (priority == 0) ++counters_.priority_zero_sent;
  split_brain_.sent(vrrp::advert_of(machine_.config(), priority), loop_.now());
}

void VrrpRunner::arm_timer(std::optional<vrrp::TimePoint> wake_at) {
  if (!wake_at) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
    return;
  }
  const vrrp::TimePoint at = *wake_at;
  // A timer that fires earlier stays: on_timer() then finds nothing due and re-arms for the
  // machine's new deadline. A backup that hears its master every interval so moves its timer
  // once per Master_Down_Interval, not once per advert.
  if (timer_ != 0 && armed_at_ <= at) return;
  loop_.cancel_timer(timer_);
  timer_ = loop_.add_timer(at, [this] { on_timer(); });
  armed_at_ = at;
}

// One line for the addresses that really changed (keepalived: "Setting VIPs." / "Removing
// VIPs."): none when a BACKUP at start finds no stale VIP to remove.
void VrrpRunner::set_vips(bool present) {
  // keepalived's order: VIPs, then excluded VIPs, routes and rules; the reverse on the way out.
  if (!present) with_vips_.remove();
  std::string changed;
  for (const auto& vip : instance_.virtual_ipaddress) {
    if (set_vip(vip, present)) {
      changed += " " + vip.prefix.to_string() + " on " +
                 (vip.dev.empty() ? vip_interface() : vip.dev);
    }
  }
  if (!changed.empty()) {
    spdlog::info("VRRP_Instance({}) {} VIPs:{}", instance_.name, present ? "Setting" : "Removing",
                 changed);
  }
  if (present) with_vips_.install();
}

bool VrrpRunner::set_vip(const config::VirtualAddress& vip, bool present) {
  int ifindex = ifindex_;
  if (!vip.dev.empty()) {
    auto idx = netlink::interface_index(vip.dev);
    if (!idx) {
      spdlog::error("VRRP_Instance({}) VIP {}: {}", instance_.name, vip.prefix.to_string(),
                    idx.error().message);
      return false;
    }
    ifindex = *idx;
  }
  const auto addr = vip_address(vip, ifindex);
  // IPv6 VIPs skip duplicate address detection (as keepalived's do): usable at once, never
  // "tentative" while the takeover's unsolicited NAs go out.
  auto st = present ? netlink::add_address(rtnl_, addr,
                                           {.no_dad = true, .scope = address_scope(vip.scope)})
                    : netlink::delete_address(rtnl_, addr);
  const int benign = present ? EEXIST : EADDRNOTAVAIL;
  if (!st && st.error().code != benign) {
    spdlog::error("VRRP_Instance({}) cannot {} VIP {}: {}", instance_.name,
                  present ? "add" : "remove", vip.prefix.to_string(), st.error().message);
  }
  return st.ok();
}

void VrrpRunner::notify(vrrp::State state, const vrrp::Reason& why) {
  if (notified_ != state) {
    ++counters_.transitions;
    if (state == vrrp::State::master) ++counters_.become_master;
    if (notified_ == vrrp::State::master) ++counters_.release_master;
    counters_.last_transition = std::chrono::system_clock::now();
    notified_ = state;
  }
  const std::string reason = vrrp::to_text(why);
  spdlog::info("VRRP_Instance({}) Entering {} STATE (priority {}, effective {}){}{}",
               instance_.name, vrrp::to_string(state), instance_.priority,
               machine_.effective_priority(), reason.empty() ? "" : ": ", reason);
  const auto& n = instance_.notify;
  const std::optional<config::ScriptCommand>* specific = nullptr;
  switch (state) {
    case vrrp::State::master: specific = &n.master; break;
    case vrrp::State::backup: specific = &n.backup; break;
    case vrrp::State::fault: specific = &n.fault; break;
    case vrrp::State::init: break;
  }
  if (specific && *specific) run(**specific, {});
  // `notify`: keepalived's arguments: "INSTANCE" name state priority.
  if (n.any) {
    run(*n.any, {"INSTANCE", instance_.name, std::string(vrrp::to_string(state)),
                 std::to_string(machine_.effective_priority())});
  }
  run_script_.fifo(notify_fifo_line("INSTANCE", instance_.name, vrrp::to_string(state),
                                    machine_.effective_priority()));
}

void VrrpRunner::run(const config::ScriptCommand& script, const std::vector<std::string>& args) {
  auto as = notify_as_.find(vetting_key(script));
  if (run_script_ && as != notify_as_.end()) run_script_(script.command, args, as->second);
}

}  // namespace lvsctl::director
