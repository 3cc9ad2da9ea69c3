// SPDX-License-Identifier: Apache-2.0
// Linked only into the portable build (LVSCTL_PORTABLE). libstdc++ 12, linked statically, reaches
// std::random_device's arc4random (glibc 2.36) from its std::runtime_error objects, although
// lvsctl never uses random_device (shared/random_seed reads getrandom). Defining arc4random here
// keeps the binary free of glibc symbols above 2.34 (tests/tools/check-portable.sh).
#include <sys/random.h>

#include <cerrno>
#include <cstdint>

extern "C" std::uint32_t arc4random() noexcept {
  std::uint32_t value = 0;
  for (;;) {
    const ssize_t n = ::getrandom(&value, sizeof value, 0);
    if (n == static_cast<ssize_t>(sizeof value) || (n < 0 && errno != EINTR)) return value;
  }
}
