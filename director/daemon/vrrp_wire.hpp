#pragma once
// VrrpWire: one VrrpSocket shared by every VRRP instance with the same interface, source address
// and unicast peers (keepalived does the same). With one socket per instance, the kernel clones
// every advert for each of N sockets and runs each one's filter, and that cost lands on whoever
// sends; with a shared socket it delivers each advert once, and the wire hands it to the
// instance of its VRID in user space. The kernel filter lets only our VRIDs through.
//
// Reading in bursts: a master sends the adverts of all its instances together, and they reach us
// one by one. After reading some, the wire stops listening for kBurstWindow and then reads what
// came meanwhile in one go, so a burst of N adverts costs a couple of wake-ups instead of up to N.
// Adverts are so handled at most kBurstWindow late (a priority-0 advert too; Skew_Time is longer).
//
// Sending: adverts queued during one loop round (the masters whose timers fell due together)
// leave in one sendmmsg before the loop waits again.
//
// Instances join() the wire of their key on the loop and subscribe their VRID; the socket closes
// when the last instance lets go of the wire.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "director/daemon/vrrp_socket.hpp"
#include "shared/event_loop.hpp"
#include "shared/log_rate_limit.hpp"

namespace lvsctl::director {

class VrrpWire {
 public:
  static constexpr std::chrono::microseconds kBurstWindow{2000};

  using Receiver =
      std::function<void(std::span<const std::uint8_t> packet, const vrrp::PacketContext&)>;

  // The wire for (ifname, source, peers) on `loop`: opened by the first caller, shared after.
  static Result<std::shared_ptr<VrrpWire>> join(EventLoop& loop, const std::string& ifname,
                                                const IpAddress& source,
                                                const std::vector<IpAddress>& peers);
  ~VrrpWire();
  VrrpWire(const VrrpWire&) = delete;
  VrrpWire& operator=(const VrrpWire&) = delete;

  // Packets of `vrid` go to `receiver` until unsubscribe(vrid, owner). Two owners of one VRID
  // both receive.
  void subscribe(std::uint8_t vrid, const void* owner, Receiver receiver);
  void unsubscribe(std::uint8_t vrid, const void* owner);

  std::vector<IpAddress> destinations() const { return socket_.destinations(); }
  // Queues an encoded packet for `destination`: what is queued during one loop round leaves in
  // one sendmmsg before the loop waits again (or when the wire closes). `sender` names the
  // instance in the log line of a packet the kernel refuses.
  void send(std::span<const std::uint8_t> packet, const IpAddress& destination,
            const std::string& sender);

 private:
  struct Subscriber {
    const void* owner;
    Receiver receiver;
  };
  VrrpWire(EventLoop& loop, std::string key, VrrpSocket socket);
  void on_readable();
  std::size_t read_all();
  void update_filter();
  void flush();
  static void log_send_summary(const LogRateLimiter::Line& line);

  EventLoop& loop_;
  std::string key_;
  VrrpSocket socket_;
  std::vector<std::vector<Subscriber>> by_vrid_;  // index: VRID
  std::unique_ptr<VrrpSocket::Batch> batch_;      // receive buffers
  TimerId resume_ = 0;                            // listening again after a burst window
  struct Queued {
    std::size_t offset;  // in queued_bytes_
    std::size_t size;
    IpAddress destination;
    std::string sender;
  };
  std::vector<std::uint8_t> queued_bytes_;  // packets waiting for flush(), back to back
  std::vector<Queued> queued_;
  HookId flush_hook_ = 0;
  LogRateLimiter send_log_;  // refused sends, per instance and error
};

}  // namespace lvsctl::director
