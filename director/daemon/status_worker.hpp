#pragma once
// StatusWorker: reads the kernel's IPVS table for status answers on its own thread, through its
// own netlink socket, so the dump of a big table (one request per service: seconds at 10,000
// services) never holds the daemon's event loop (VRRP adverts, health checks, reloads).
// One dump at a time; up to kMaxWaiting requests wait for their turn, further ones are answered
// at once with an error in place of the table. The loop and the thread share only the queue:
// each job owns its client connection and its half-built answer, and the thread's netlink
// requests are not IpvsSync's (requests_sent counts programming only).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "director/daemon/control_socket.hpp"
#include "director/daemon/status_report.hpp"
#include "director/ipvs/model.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// The kernel's table with counters, read through a fresh IpvsClient.
Result<ipvs::Table> read_kernel_table();

class StatusWorker {
 public:
  using TableSource = std::function<Result<ipvs::Table>()>;  // runs on the worker thread
  static constexpr std::size_t kMaxWaiting = 4;

  explicit StatusWorker(TableSource source = read_kernel_table) : source_(std::move(source)) {}
  StatusWorker(const StatusWorker&) = delete;
  StatusWorker& operator=(const StatusWorker&) = delete;
  // Answers the waiting requests with an error and waits for the dump in progress, if any.
  ~StatusWorker();

  // Sends `answer` through `reply`: now when it needs no table (or too many wait), otherwise
  // from the worker thread once the table is read. Never blocks on the kernel. Call from one
  // thread only (the event loop).
  void answer(ControlReply reply, StatusAnswer answer);
  // The same, with the table from `source` (the datapath's own listing) instead of the
  // worker's; an empty source means the worker's.
  void answer(ControlReply reply, StatusAnswer answer, TableSource source);

 private:
  struct Job {
    ControlReply reply;
    StatusAnswer answer;
    TableSource source;  // empty: source_
  };
  bool start_thread();
  void run();

  TableSource source_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> waiting_;  // guarded by mutex_
  bool stopping_ = false;    // guarded by mutex_
  std::thread thread_;       // started with the first dump
};

}  // namespace lvsctl::director
