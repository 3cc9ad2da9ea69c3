#pragma once
// Named network namespaces, as `ip netns` and keepalived's `net_namespace NAME` use them: a
// file /run/netns/NAME holding the namespace. Entering one moves the calling thread (and the
// sockets and threads it makes afterwards) into it.
#include <string>
#include <string_view>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl {

// /run/netns/NAME.
std::string net_namespace_path(std::string_view name);

// Pure: why NAME cannot be a namespace under /run/netns (empty, ".", "..", a '/' or a NUL), or
// empty when it can.
std::string net_namespace_name_problem(std::string_view name);

// The namespace's file, opened read-only (close-on-exec).
Result<Fd> open_net_namespace(std::string_view name);

// setns(CLONE_NEWNET) of the calling thread into /run/netns/NAME.
Status enter_net_namespace(std::string_view name);

}  // namespace lvsctl
