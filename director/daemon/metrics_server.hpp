#pragma once
// The Prometheus endpoint (`--metrics-listen ADDR:PORT`, global_defs `metrics_listen`): a TCP
// listener served on the daemon's event loop. For GET /metrics the loop only takes the daemon's
// snapshot (a copy of values, its real servers shared while unchanged); the text is rendered on
// the server's worker thread (megabytes at thousands of real servers: tens of milliseconds the
// adverts must not wait for; MetricsRenderer reuses the unchanged part), at a lower CPU priority
// than the loop (nice +10: on a busy machine the loop's adverts get the CPU first), and handed
// back to the loop through an eventfd, which writes it kSendPerTurn bytes per loop turn.
//
// Never blocks the loop, whatever a client does: the listener and clients are non-blocking,
// at most `max_clients` connections are served at once (more are closed at once), accepts are
// bounded per round, a request head is at most 8 KiB and must be complete within
// `request_deadline`, a response is written as the client reads it and the connection is closed
// when the client reads nothing for `write_stall` or the exchange outlives `answer_deadline`.
// Every response closes its connection.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "director/config/listen_endpoint.hpp"
#include "director/daemon/metrics_http.hpp"
#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

using config::ListenEndpoint;

struct MetricsLimits {
  std::size_t max_request = HttpRequest::kDefaultMaxLength;
  std::size_t max_clients = 8;
  std::chrono::milliseconds request_deadline{2000};
  std::chrono::milliseconds write_stall{2000};
  std::chrono::milliseconds answer_deadline{10000};
};

class MetricsServer {
 public:
  // Runs on the loop and returns the work for the worker thread (which must own all it reads).
  using Render = std::function<std::string()>;
  using Prepare = std::function<Render()>;

  static Result<std::unique_ptr<MetricsServer>> listen(EventLoop& loop, const ListenEndpoint& at,
                                                       Prepare prepare, MetricsLimits limits = {});
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();

  std::uint16_t port() const { return port_; }  // the bound port (for port 0: the kernel's)
  std::size_t clients() const { return clients_.size(); }
  std::uint64_t scrapes() const { return scrapes_; }

 private:
  struct Client;
  struct Job {
    std::uint64_t client;
    bool head;
    Render render;
  };
  MetricsServer(EventLoop& loop, Fd listener, Prepare prepare, MetricsLimits limits);
  void accept_clients();
  void run_worker();
  void take_rendered();
  void reply(std::uint64_t id, std::string response);
  void on_client(std::uint64_t id, uint32_t events);
  void write_reply(std::uint64_t id);
  void close_client(std::uint64_t id);
  void arm_deadline(Client& client, std::chrono::milliseconds delay);

  EventLoop& loop_;
  Fd listener_;
  std::uint16_t port_ = 0;
  Prepare prepare_;
  MetricsLimits limits_;
  Fd done_;  // eventfd: rendered responses wait in rendered_
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;                                          // guarded by mutex_
  std::vector<std::pair<std::uint64_t, std::string>> rendered_;  // guarded by mutex_
  bool stopping_ = false;                                         // guarded by mutex_
  std::thread worker_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Client>> clients_;
  std::uint64_t next_id_ = 1;
  std::uint64_t scrapes_ = 0;
  Clock::time_point last_busy_log_{};
};

}  // namespace lvsctl::director
