#include "director/check/socket_attempt.hpp"

namespace lvsctl::director::check {

void SocketAttempt::begin(Probe::Done done) {
  close();
  done_ = std::move(done);
}

void SocketAttempt::close() {
  if (fd) {
    loop_.unwatch(fd.get());
    fd.reset();
  }
  if (timer != 0) {
    loop_.cancel_timer(timer);
    timer = 0;
  }
}

void SocketAttempt::finish(ProbeResult result) {
  close();
  Probe::Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

void SocketAttempt::fail_soon(std::string reason) {
  timer = loop_.after(Duration::zero(), [this, reason = std::move(reason)] {
    timer = 0;
    finish(ProbeResult::down(reason));
  });
}

}  // namespace lvsctl::director::check
