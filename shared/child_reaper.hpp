#pragma once
// child_reaper: watches children without pidfds, for kernels before Linux 5.3 where pidfd_open
// answers ENOSYS (ChildProcess falls back to it). One thread per process, started on first use,
// waits for SIGCHLD (sigtimedwait) and reaps the registered children with waitpid(pid, WNOHANG);
// it also looks every 20 ms while a child runs (and sleeps while none does), since a SIGCHLD
// delivered to a thread that does not block it is dropped: an exit is seen within 20 ms. A reaped child's eventfd is then written, so it turns readable as its pidfd would, and
// its wait status is kept until forget(). Only registered pids are waited for (never waitpid(-1)),
// and every wait and every signal to a registered pid happens under one lock, so a pid the thread
// reaped (and the kernel may reuse) is never signalled.
#include <sys/types.h>

#include <optional>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::child_reaper {

// Registers `pid` (our child) and returns an eventfd that turns readable once it was reaped.
// The caller keeps the eventfd open until forget(pid).
Result<Fd> watch(pid_t pid);

// The wait status of `pid` once the thread reaped it; nullopt while it runs.
std::optional<int> status(pid_t pid);

// Sends `sig` to the process group of `pid` (to `pid` itself when the group is gone) unless the
// thread has reaped it already.
void signal_group(pid_t pid, int sig);

// Stops watching `pid`: its wait status when the thread had reaped it; nullopt when it had not
// (the caller reaps it now; the thread no longer will).
std::optional<int> forget(pid_t pid);

// Children registered and not yet forgotten (for tests).
std::size_t watched();

}  // namespace lvsctl::child_reaper
