// SPDX-License-Identifier: Apache-2.0
#include "shared/random_seed.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <chrono>

namespace lvsctl {

std::uint64_t random_seed() {
  std::uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof seed)) {
    return seed;
  }
  // No entropy yet (early boot): the clock and the pid still differ between two directors.
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return static_cast<std::uint64_t>(now) ^ (static_cast<std::uint64_t>(::getpid()) << 32);
}

}  // namespace lvsctl
