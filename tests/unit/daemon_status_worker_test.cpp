// StatusWorker and the control socket: a status answer that needs the kernel's IPVS table never
// blocks the caller (the daemon's event loop), however long the table read takes; waiting
// requests are bounded; stopping answers the waiting ones.
#include "director/daemon/status_worker.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "director/daemon/control_socket.hpp"
#include "director/daemon/status_report.hpp"

namespace lvsctl::director {
namespace {

// A table read that blocks until released: stands in for a 20 s kernel dump.
class SlowTable {
 public:
  Result<ipvs::Table> read() {
    std::unique_lock lock(mutex_);
    ++started_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
    ipvs::Service s;
    s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, *IpAddress::parse("203.0.113.100"), 80);
    s.scheduler = "wrr";
    return ipvs::Table{s};
  }
  void wait_started(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= n; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int started_ = 0;
  bool released_ = false;
};

// One client connection: the daemon's end becomes a ControlReply, the test reads the other.
struct Client {
  Fd daemon_end, client_end;
  Client() {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    daemon_end.reset(sv[0]);
    client_end.reset(sv[1]);
  }
  ControlReply reply() { return ControlReply(std::move(daemon_end)); }
  bool answered_within(std::chrono::milliseconds ms) {
    pollfd p{client_end.get(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(ms.count())) == 1;
  }
  std::string read_answer() {  // until the daemon closes the connection
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(client_end.get(), buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
};

DaemonSnapshot ipvs_on() {
  DaemonSnapshot s;
  s.datapath.backend = "ipvs";
  s.datapath.available = true;
  s.datapath.requests_sent = 7;
  return s;
}
DaemonSnapshot ipvs_off() {
  DaemonSnapshot s;
  s.datapath.backend = "ipvs";
  s.datapath.unavailable_reason = "no ip_vs module";
  return s;
}
bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(StatusWorker, AnswerReturnsAtOnceWhileTheTableIsRead) {
  SlowTable slow;
  StatusWorker worker([&] { return slow.read(); });
  Client json, text;
  const auto before = std::chrono::steady_clock::now();
  worker.answer(json.reply(), StatusAnswer::json(ipvs_on()));
  worker.answer(text.reply(), StatusAnswer::text(ipvs_on()));
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
  slow.wait_started(1);
  EXPECT_FALSE(json.answered_within(std::chrono::milliseconds(100)));  // still reading
  slow.release();
  const std::string j = json.read_answer();
  EXPECT_NE(j.find("\"address\": \"203.0.113.100\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"scheduler\": \"wrr\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"requests_sent\": 7"), std::string::npos) << j;
  EXPECT_EQ(j.find("\"error\""), std::string::npos) << j;
  EXPECT_EQ(j.back(), '\n');
  EXPECT_NE(text.read_answer().find("TCP  203.0.113.100:80 wrr\n"), std::string::npos);
}

TEST(StatusWorker, WithoutIpvsAnswersOnTheCallersThread) {
  StatusWorker worker([]() -> Result<ipvs::Table> { ADD_FAILURE() << "table read"; return ipvs::Table{}; });
  Client json, text;
  worker.answer(json.reply(), StatusAnswer::json(ipvs_off()));
  worker.answer(text.reply(), StatusAnswer::text(ipvs_off()));
  ASSERT_TRUE(json.answered_within(std::chrono::milliseconds(0)));
  const std::string j = json.read_answer();
  EXPECT_NE(j.find("\"available\": false"), std::string::npos) << j;
  EXPECT_NE(j.find("\"reason\": \"no ip_vs module\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"services\": []"), std::string::npos) << j;
  EXPECT_TRUE(ends_with(text.read_answer(), "IPVS: off (no ip_vs module)\n"));
}

TEST(StatusWorker, ReadErrorIsShownInTheAnswer) {
  StatusWorker worker([]() -> Result<ipvs::Table> { return Error{"netlink: Permission denied"}; });
  Client json, text;
  worker.answer(json.reply(), StatusAnswer::json(ipvs_on()));
  worker.answer(text.reply(), StatusAnswer::text(ipvs_on()));
  EXPECT_NE(json.read_answer().find("\"error\": \"netlink: Permission denied\""), std::string::npos);
  EXPECT_TRUE(ends_with(text.read_answer(), "IPVS: netlink: Permission denied\n"));
}

TEST(StatusWorker, TooManyWaitingRequestsGetBusyAtOnce) {
  SlowTable slow;
  StatusWorker worker([&] { return slow.read(); });
  std::vector<Client> clients(StatusWorker::kMaxWaiting + 2);
  worker.answer(clients[0].reply(), StatusAnswer::text(ipvs_on()));
  slow.wait_started(1);  // the first is being read; the next kMaxWaiting wait
  for (size_t i = 1; i < clients.size(); ++i) {
    worker.answer(clients[i].reply(), StatusAnswer::text(ipvs_on()));
  }
  Client& extra = clients.back();
  ASSERT_TRUE(extra.answered_within(std::chrono::milliseconds(0)));
  EXPECT_NE(extra.read_answer().find("IPVS: busy: 4 status requests"), std::string::npos);
  EXPECT_FALSE(clients[StatusWorker::kMaxWaiting].answered_within(std::chrono::milliseconds(0)));
  slow.release();
  for (size_t i = 0; i + 1 < clients.size(); ++i) {
    EXPECT_NE(clients[i].read_answer().find("203.0.113.100:80"), std::string::npos) << i;
  }
}

TEST(StatusWorker, StoppingAnswersWaitingRequestsAndFinishesTheReadInProgress) {
  SlowTable slow;
  Client reading, waiting;
  std::thread releaser;
  {
    StatusWorker worker([&] { return slow.read(); });
    worker.answer(reading.reply(), StatusAnswer::text(ipvs_on()));
    slow.wait_started(1);
    worker.answer(waiting.reply(), StatusAnswer::text(ipvs_on()));
    // Release the read only once the destructor has answered the waiting request.
    releaser = std::thread([&] {
      waiting.answered_within(std::chrono::seconds(10));
      slow.release();
    });
  }  // ~StatusWorker joins its thread
  releaser.join();
  EXPECT_TRUE(ends_with(waiting.read_answer(), "IPVS: the director is stopping\n"));
  EXPECT_NE(reading.read_answer().find("203.0.113.100:80"), std::string::npos);
}

// The control socket itself (served on an event loop): daemon_control_socket_test.cpp.

}  // namespace
}  // namespace lvsctl::director
