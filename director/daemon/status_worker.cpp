#include "director/daemon/status_worker.hpp"

#include <signal.h>

#include <string>
#include <system_error>

#include <fmt/format.h>

#include "director/ipvs/client.hpp"

namespace lvsctl::director {

Result<ipvs::Table> read_kernel_table() {
  auto client = ipvs::IpvsClient::open();
  if (!client) return client.error();
  return client->table();
}

StatusWorker::~StatusWorker() {
  std::deque<Job> abandoned;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(waiting_);
  }
  wake_.notify_all();
  for (auto& job : abandoned) {
    std::move(job.reply).send(std::move(job.answer).finish(Error{"the director is stopping"}));
  }
  if (thread_.joinable()) thread_.join();
}

void StatusWorker::answer(ControlReply reply, StatusAnswer answer) {
  this->answer(std::move(reply), std::move(answer), TableSource{});
}

void StatusWorker::answer(ControlReply reply, StatusAnswer answer, TableSource source) {
  if (!answer.needs_table()) {
    std::move(reply).send(std::move(answer).finish(ipvs::Table{}));
    return;
  }
  std::unique_lock lock(mutex_);
  if (waiting_.size() >= kMaxWaiting) {
    lock.unlock();
    std::move(reply).send(std::move(answer).finish(Error{fmt::format(
        "busy: {} status requests already wait for the IPVS table; try again", kMaxWaiting)}));
    return;
  }
  waiting_.push_back(Job{std::move(reply), std::move(answer), std::move(source)});
  lock.unlock();
  if (!thread_.joinable() && !start_thread()) return;
  wake_.notify_one();
}

// The event loop takes signals through a signalfd, which needs them blocked in every thread:
// the thread starts with all signals blocked (it inherits the mask of its creator).
// When no thread can be created (EAGAIN), the waiting requests are answered with the error.
bool StatusWorker::start_thread() {
  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  std::string failure;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    failure = e.what();
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (failure.empty()) return true;
  std::unique_lock lock(mutex_);
  std::deque<Job> jobs = std::move(waiting_);
  waiting_.clear();
  lock.unlock();
  for (auto& job : jobs) {
    std::move(job.reply).send(
        std::move(job.answer).finish(Error{"cannot start the status thread: " + failure}));
  }
  return false;
}

void StatusWorker::run() {
  for (;;) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping
    Job job = std::move(waiting_.front());
    waiting_.pop_front();
    lock.unlock();
    std::move(job.reply).send(std::move(job.answer).finish(job.source ? job.source() : source_()));
  }
}

}  // namespace lvsctl::director
