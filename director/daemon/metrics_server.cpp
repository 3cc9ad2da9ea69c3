#include "director/daemon/metrics_server.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "director/daemon/metrics_text.hpp"
#include "shared/send_pending.hpp"

namespace lvsctl::director {
namespace {

constexpr int kWorkerNice = 10;

}  // namespace

struct MetricsServer::Client {
  Client(std::uint64_t client_id, Fd client_fd, std::size_t max_request)
      : id(client_id), fd(std::move(client_fd)), request(max_request) {}
  std::uint64_t id;
  Fd fd;
  HttpRequest request;
  bool writing = false;
  std::string out;
  std::size_t written = 0;
  TimerId deadline = 0;
  TimerId overall = 0;
};

Result<std::unique_ptr<MetricsServer>> MetricsServer::listen(EventLoop& loop,
                                                             const ListenEndpoint& at,
                                                             Prepare prepare, MetricsLimits limits) {
  const bool v6 = at.address.is_v6();
  Fd fd(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return Error::from_errno("metrics: cannot create socket");
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage storage{};
  socklen_t length = 0;
  const auto bytes = at.address.bytes();
  if (v6) {
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(at.port);
    std::memcpy(&sa->sin6_addr, bytes.data(), 16);
    length = sizeof(sockaddr_in6);
  } else {
    auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(at.port);
    std::memcpy(&sa->sin_addr, bytes.data(), 4);
    length = sizeof(sockaddr_in);
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    return Error::from_errno("metrics: cannot listen on " + at.to_string());
  }
  if (::listen(fd.get(), 64) != 0) {
    return Error::from_errno("metrics: cannot listen on " + at.to_string());
  }
  Fd done(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!done) return Error::from_errno("metrics: eventfd");
  std::unique_ptr<MetricsServer> server(
      new MetricsServer(loop, std::move(fd), std::move(prepare), limits));
  server->done_ = std::move(done);
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof bound;
  if (::getsockname(server->listener_.get(), reinterpret_cast<sockaddr*>(&bound), &bound_length) == 0) {
    server->port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                             : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  if (auto st = loop.watch(server->done_.get(), io::kReadable,
                           [raw = server.get()](uint32_t) { raw->take_rendered(); });
      !st) {
    return st.error();
  }
  if (auto st = loop.watch(server->listener_.get(), io::kReadable,
                           [raw = server.get()](uint32_t) { raw->accept_clients(); });
      !st) {
    loop.unwatch(server->done_.get());
    return st.error();
  }
  // The worker starts with every signal blocked (it inherits its creator's mask): the loop takes
  // signals through a signalfd, which needs them blocked in every thread; a thread started
  // before the daemon blocks them (at start-up) would otherwise take a SIGHUP's default action.
  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    server->worker_ = std::thread([raw = server.get()] { raw->run_worker(); });
  } catch (...) {
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    throw;
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return server;
}

MetricsServer::MetricsServer(EventLoop& loop, Fd listener, Prepare prepare, MetricsLimits limits)
    : loop_(loop), listener_(std::move(listener)), prepare_(std::move(prepare)), limits_(limits) {}

MetricsServer::~MetricsServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();  // at most the rendering in progress
  while (!clients_.empty()) close_client(clients_.begin()->first);
  if (done_) loop_.unwatch(done_.get());
  if (listener_) loop_.unwatch(listener_.get());
}

// The worker thread: renders one job at a time and posts the response to the loop.
void MetricsServer::run_worker() {
  // This thread only: Linux applies a thread id's nice value to that thread.
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kWorkerNice) != 0) {
    spdlog::debug("metrics: cannot lower the rendering thread's priority: {}", std::strerror(errno));
  }
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    const std::string body = job.render();
    std::string response = http_response(200, kMetricsContentType, body, !job.head);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      rendered_.emplace_back(job.client, std::move(response));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(done_.get(), &one, sizeof one);
  }
}

void MetricsServer::take_rendered() {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(done_.get(), &count, sizeof count);
  std::vector<std::pair<std::uint64_t, std::string>> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(rendered_);
  }
  for (auto& [id, response] : ready) reply(id, std::move(response));  // gone ones are skipped
}

void MetricsServer::reply(std::uint64_t id, std::string response) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  client.out = std::move(response);
  client.writing = true;
  client.written = 0;
  write_reply(id);
}

void MetricsServer::accept_clients() {
  for (int round = 0; round < 64; ++round) {
    Fd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;
    if (clients_.size() >= limits_.max_clients) {
      const auto now = loop_.now();
      if (now - last_busy_log_ >= std::chrono::seconds(10)) {
        last_busy_log_ = now;
        spdlog::warn("metrics: {} clients already served; refusing more (logged at most every "
                     "10 s)", limits_.max_clients);
      }
      continue;  // closed
    }
    const std::uint64_t id = next_id_++;
    auto client = std::make_unique<Client>(id, std::move(fd), limits_.max_request);
    if (auto st = loop_.watch(client->fd.get(), io::kReadable,
                              [this, id](uint32_t events) { on_client(id, events); });
        !st) {
      continue;
    }
    Client& c = *client;
    clients_.emplace(id, std::move(client));
    arm_deadline(c, limits_.request_deadline);
    c.overall = loop_.after(limits_.answer_deadline, [this, id] {
      if (auto it = clients_.find(id); it != clients_.end()) it->second->overall = 0;
      close_client(id);
    });
  }
}

void MetricsServer::arm_deadline(Client& client, std::chrono::milliseconds delay) {
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);
  const std::uint64_t id = client.id;
  client.deadline = loop_.after(delay, [this, id] {
    if (auto it = clients_.find(id); it != clients_.end()) it->second->deadline = 0;
    close_client(id);
  });
}

void MetricsServer::on_client(std::uint64_t id, uint32_t events) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  if (client.writing) {
    if (events & (io::kWritable | io::kError | io::kHangup)) write_reply(id);
    return;
  }
  char buf[4096];
  auto state = client.request.state();
  while (state == HttpRequest::State::Incomplete) {
    const ssize_t n = ::recv(client.fd.get(), buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {  // error, or closed before a complete request
      close_client(id);
      return;
    }
    state = client.request.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);  // the request is in
  client.deadline = 0;
  const auto& method = client.request.method();
  if (state == HttpRequest::State::Complete && client.request.path() == "/metrics" &&
      (method == "GET" || method == "HEAD")) {
    ++scrapes_;
    // Nothing more is read; the fd is watched again once the response is there.
    loop_.unwatch(client.fd.get());
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(Job{id, method == "HEAD", prepare_()});
    }
    wake_.notify_one();
    return;
  }
  reply(id, http_answer(client.request, [] { return std::string(); }));
}

void MetricsServer::write_reply(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  bool progress = false;
  const SendOutcome sent = send_pending(client.fd.get(), client.out, client.written, progress);
  if (sent == SendOutcome::Failed) {
    close_client(id);
    return;
  }
  if (sent == SendOutcome::Done) {
    ::shutdown(client.fd.get(), SHUT_WR);
    close_client(id);
    return;
  }
  // Blocked, or one slice of kSendPerTurn went out (Yielded): the rest when writable again.
  if (progress || client.deadline == 0) arm_deadline(client, limits_.write_stall);
  if (auto st = loop_.watch(client.fd.get(), io::kWritable,
                            [this, id](uint32_t events) { on_client(id, events); });
      !st) {
    close_client(id);
  }
}

void MetricsServer::close_client(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  loop_.unwatch(client.fd.get());
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);
  if (client.overall != 0) loop_.cancel_timer(client.overall);
  clients_.erase(it);
}

}  // namespace lvsctl::director
