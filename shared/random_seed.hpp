// SPDX-License-Identifier: Apache-2.0
#pragma once
// A seed from the kernel's random pool (getrandom, glibc 2.25), for jitter and TCP sequence
// numbers. Not std::random_device: libstdc++ 12 implements it with arc4random (glibc 2.36), which
// a statically linked libstdc++ would then need from the C library.
#include <cstdint>

namespace lvsctl {

std::uint64_t random_seed();

}  // namespace lvsctl
