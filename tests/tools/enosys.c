// SPDX-License-Identifier: Apache-2.0
// enosys SYSCALL[,SYSCALL...] -- COMMAND [ARG...]: runs COMMAND under a seccomp filter (libseccomp)
// that makes the named system calls fail with ENOSYS, as a kernel that predates them would. Tests
// use it to run lvsctl's fallbacks for real (e.g. epoll_pwait2, Linux 5.11).
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: enosys SYSCALL[,SYSCALL...] -- COMMAND [ARG...]\n");
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    fprintf(stderr, "enosys: seccomp_init failed\n");
    return 2;
  }
  char* names = strdup(argv[1]);
  for (char* name = strtok(names, ","); name; name = strtok(NULL, ",")) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
      fprintf(stderr, "enosys: unknown system call: %s\n", name);
      return 2;
    }
    const int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
    if (rc != 0) {
      fprintf(stderr, "enosys: cannot filter %s: %s\n", name, strerror(-rc));
      return 2;
    }
  }
  free(names);
  const int rc = seccomp_load(ctx);
  if (rc != 0) {
    fprintf(stderr, "enosys: seccomp_load: %s\n", strerror(-rc));
    return 2;
  }
  seccomp_release(ctx);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "enosys: cannot run %s: %s\n", argv[3], strerror(errno));
  return 127;
}
