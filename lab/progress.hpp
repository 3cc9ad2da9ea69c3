#pragma once
// Progress lines as they happen: "[  4.1 s] text", flushed at once (stdout may be a pipe).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace lvsctl::lab {

class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  Progress() : start_(Clock::now()) {}

  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  void line(const std::string& text) const {
    fmt::print("[{:5.1f} s] {}\n", elapsed(), text);
    std::fflush(stdout);
  }

 private:
  Clock::time_point start_;
};

// Seconds since `t`.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace lvsctl::lab
