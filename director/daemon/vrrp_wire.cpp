#include "director/daemon/vrrp_wire.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace lvsctl::director {
namespace {

// Open wires by key; entries expire with their last user.
std::map<std::string, std::weak_ptr<VrrpWire>>& open_wires() {
  static std::map<std::string, std::weak_ptr<VrrpWire>> wires;
  return wires;
}

std::string wire_key(const EventLoop& loop, const std::string& ifname, const IpAddress& source,
                     const std::vector<IpAddress>& peers) {
  std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&loop)) + " " + ifname +
                    " " + source.to_string();
  for (const auto& p : peers) key += " " + p.to_string();
  return key;
}

// The VRID of a packet as the socket returns it: after the IPv4 header, or at offset 1 of a bare
// (IPv6) VRRP message. nullopt when the packet is too short to have one.
std::optional<std::uint8_t> vrid_of(std::span<const std::uint8_t> packet, bool bare) {
  const std::size_t at = bare ? 1 : (packet.empty() ? 0 : (packet[0] & 0x0fu) * 4u + 1);
  if (at == 0 || at >= packet.size()) return std::nullopt;
  return packet[at];
}

}  // namespace

Result<std::shared_ptr<VrrpWire>> VrrpWire::join(EventLoop& loop, const std::string& ifname,
                                                 const IpAddress& source,
                                                 const std::vector<IpAddress>& peers) {
  std::string key = wire_key(loop, ifname, source, peers);
  auto& wires = open_wires();
  if (auto it = wires.find(key); it != wires.end()) {
    if (auto wire = it->second.lock()) return wire;
  }
  auto socket = VrrpSocket::open(ifname, source, peers);
  if (!socket) return socket.error();
  std::shared_ptr<VrrpWire> wire(new VrrpWire(loop, key, std::move(*socket)));
  wire->update_filter();  // nothing subscribed yet: no packet at all
  wire->flush_hook_ = loop.before_wait([w = wire.get()] { w->flush(); });
  if (auto st = loop.watch(wire->socket_.fd(), io::kReadable,
                           [w = wire.get()](std::uint32_t) { w->on_readable(); });
      !st) {
    return st.error();
  }
  wires[key] = wire;
  return wire;
}

VrrpWire::VrrpWire(EventLoop& loop, std::string key, VrrpSocket socket)
    : loop_(loop),
      key_(std::move(key)),
      socket_(std::move(socket)),
      by_vrid_(256),
      batch_(std::make_unique<VrrpSocket::Batch>()) {}

VrrpWire::~VrrpWire() {
  flush();  // a priority-0 advert queued by an instance that stopped leaves before the socket closes
  loop_.cancel_before_wait(flush_hook_);
  loop_.cancel_timer(resume_);
  loop_.unwatch(socket_.fd());
  auto& wires = open_wires();
  if (auto it = wires.find(key_); it != wires.end() && it->second.expired()) wires.erase(it);
}

void VrrpWire::subscribe(std::uint8_t vrid, const void* owner, Receiver receiver) {
  auto& subs = by_vrid_[vrid];
  const bool first = subs.empty();
  subs.push_back(Subscriber{owner, std::move(receiver)});
  if (first) update_filter();
}

void VrrpWire::unsubscribe(std::uint8_t vrid, const void* owner) {
  auto& subs = by_vrid_[vrid];
  const auto before = subs.size();
  std::erase_if(subs, [&](const Subscriber& s) { return s.owner == owner; });
  if (before != 0 && subs.empty()) update_filter();
}

void VrrpWire::update_filter() {
  std::vector<std::uint8_t> vrids;
  for (std::size_t v = 0; v < by_vrid_.size(); ++v) {
    if (!by_vrid_[v].empty()) vrids.push_back(static_cast<std::uint8_t>(v));
  }
  if (auto st = socket_.accept_only_vrids(vrids); !st) {
    // Still correct without it (packets of other VRIDs are dropped here), only slower.
    spdlog::warn("VRRP socket {}: {}", key_, st.error().message);
  }
}

void VrrpWire::send(std::span<const std::uint8_t> packet, const IpAddress& destination,
                    const std::string& sender) {
  queued_.push_back(Queued{queued_bytes_.size(), packet.size(), destination, sender});
  queued_bytes_.insert(queued_bytes_.end(), packet.begin(), packet.end());
}

void VrrpWire::flush() {
  if (queued_.empty()) return;
  std::vector<VrrpSocket::Outgoing> out;
  out.reserve(queued_.size());
  for (const auto& q : queued_) {
    out.push_back({{queued_bytes_.data() + q.offset, q.size}, q.destination});
  }
  // A refused send repeats every interval (network unreachable, ...): one line per reason,
  // then a count per interval.
  const auto now = loop_.now();
  socket_.send(out, [this, now](std::size_t i, const Error& error) {
    const auto line = send_log_.occurred("VRRP_Instance(" + queued_[i].sender + ") " + error.message,
                                         queued_[i].destination.to_string(), now);
    if (line.kind == LogRateLimiter::Line::Kind::full) {
      spdlog::error("VRRP_Instance({}) {}", queued_[i].sender, error.message);
    } else if (line) {
      log_send_summary(line);
    }
  });
  for (const auto& line : send_log_.due(now)) log_send_summary(line);
  queued_.clear();
  queued_bytes_.clear();
}

void VrrpWire::log_send_summary(const LogRateLimiter::Line& line) {
  spdlog::error("VRRP: {} more adverts not sent: {} (last to {})", line.suppressed,
                line.reason, line.last_detail);
}

void VrrpWire::on_readable() {
  if (read_all() == 0 || resume_ != 0) return;
  // Deaf for one burst window (interest 0 keeps the registration), then read the rest at once.
  if (!loop_.modify(socket_.fd(), 0)) return;
  resume_ = loop_.after(kBurstWindow, [this] {
    resume_ = 0;
    (void)loop_.modify(socket_.fd(), io::kReadable);
    read_all();
  });
}

std::size_t VrrpWire::read_all() {
  auto& batch = *batch_;
  std::size_t total = 0;
  do {
    socket_.receive(batch);
    total += batch.count;
    for (std::size_t i = 0; i < batch.count; ++i) {
      const auto packet = batch.packet(i);
      const auto vrid = vrid_of(packet, socket_.is_v6());
      if (!vrid) continue;
      const auto& subs = by_vrid_[*vrid];
      // By index: a receiver may subscribe or unsubscribe others.
      for (std::size_t s = 0; s < subs.size(); ++s) subs[s].receiver(packet, batch.context[i]);
    }
  } while (batch.count == VrrpSocket::Batch::kPackets);
  return total;
}

}  // namespace lvsctl::director
