#include "shared/result.hpp"

#include <cstring>

namespace lvsctl {

Error Error::from_errno(std::string what, int err) {
  return Error{what + ": " + std::strerror(err), err};
}

}  // namespace lvsctl
