/* guest_init: PID 1 of the throw-away test VM started by tests/vm/run-in-vm.sh.
 *
 * Compiled statically by the runner at test time and placed in a tiny initramfs together with
 * the kernel modules listed in /modules.order (one file name per line, dependencies first).
 * It:
 *   1. mounts devtmpfs, proc and sysfs, and puts the serial console in raw output mode;
 *   2. loads the modules (virtio_pci, 9pnet_virtio, 9p, overlay and their dependencies);
 *      after the root switch it also loads those listed in /run/lvsctl-vm/modules.late
 *      (absolute paths, dependencies first: ip_vs, its schedulers, veth, bridge...);
 *   3. mounts the host root (9p tag "hostroot", read-only) under a tmpfs overlay, mounts the
 *      writable 9p share "vmio" at /run/lvsctl-vm and switches root to the overlay;
 *   4. runs "/bin/bash /run/lvsctl-vm/guest.sh" (written by the runner), reaping every orphan;
 *   5. writes the command's exit status to /run/lvsctl-vm/rc and reboots, which ends qemu
 *      (it runs with -no-reboot).
 * Any failure before the command runs is printed with the step and errno, and rc gets 125.
 * This is a test tool, not product code; it depends on nothing but libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void say(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "[vm-init] ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void finish(int rc) {
  char buf[16];
  int fd = open("/run/lvsctl-vm/rc", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fd = open("/newroot/run/lvsctl-vm/rc", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    int n = snprintf(buf, sizeof buf, "%d\n", rc);
    if (write(fd, buf, (size_t)n) < 0) say("writing rc: %s", strerror(errno));
    fsync(fd);
    close(fd);
  } else {
    say("cannot write the exit status (rc=%d): %s", rc, strerror(errno));
  }
  sync();
  reboot(RB_AUTOBOOT);
  for (;;) pause();
}

static void fail(const char* what) {
  say("%s failed: %s", what, strerror(errno));
  finish(125);
}

static void must_mount(const char* src, const char* dst, const char* type, unsigned long flags,
                       const char* data) {
  mkdir(dst, 0755);
  if (mount(src, dst, type, flags, data) != 0) {
    char what[512];
    snprintf(what, sizeof what, "mount %s (%s) on %s", src, type, dst);
    fail(what);
  }
}

/* Loads every module named in LIST (one per line, dependencies first); PREFIX is prepended to
 * each line. A module that is already loaded (EEXIST) is fine. */
static void load_modules(const char* list, const char* prefix) {
  FILE* f = fopen(list, "r");
  if (!f) fail(list);
  char line[512];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (!line[0]) continue;
    char path[600];
    snprintf(path, sizeof path, "%s%s", prefix, line);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path);
    if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) {
      char what[620];
      snprintf(what, sizeof what, "loading %s", path);
      fail(what);
    }
    close(fd);
  }
  fclose(f);
}

static void raw_console(void) {
  int fd = open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) return;
  dup2(fd, 0);
  dup2(fd, 1);
  dup2(fd, 2);
  if (fd > 2) close(fd);
  struct termios t;
  if (tcgetattr(1, &t) == 0) {
    t.c_oflag &= (tcflag_t)~OPOST; /* no \n -> \r\n: the host sees the bytes as written */
    t.c_lflag &= (tcflag_t)~ECHO;
    tcsetattr(1, TCSANOW, &t);
  }
}

int main(void) {
  mkdir("/dev", 0755);
  mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  raw_console();
  must_mount("proc", "/proc", "proc", 0, NULL);
  must_mount("sysfs", "/sys", "sysfs", 0, NULL);
  load_modules("/modules.order", "/modules/");

  must_mount("hostroot", "/lower", "9p", MS_RDONLY,
             "trans=virtio,version=9p2000.L,cache=loose,msize=512000");
  must_mount("tmpfs", "/rw", "tmpfs", 0, "mode=0755");
  mkdir("/rw/upper", 0755);
  mkdir("/rw/work", 0755);
  must_mount("overlay", "/newroot", "overlay", 0,
             "lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work");
  /* Fresh /run and /tmp-like state: host pid files under /run must not leak into the guest. */
  must_mount("tmpfs", "/newroot/run", "tmpfs", 0, "mode=0755");
  must_mount("vmio", "/newroot/run/lvsctl-vm", "9p", 0,
             "trans=virtio,version=9p2000.L,msize=512000");
  must_mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL);
  must_mount("/proc", "/newroot/proc", NULL, MS_MOVE, NULL);
  must_mount("/sys", "/newroot/sys", NULL, MS_MOVE, NULL);

  if (chdir("/newroot") != 0) fail("chdir /newroot");
  if (mount(".", "/", NULL, MS_MOVE, NULL) != 0) fail("move overlay to /");
  if (chroot(".") != 0) fail("chroot");
  if (chdir("/") != 0) fail("chdir /");
  load_modules("/run/lvsctl-vm/modules.late", "");

  pid_t child = fork();
  if (child < 0) fail("fork");
  if (child == 0) {
    setsid();
    execl("/bin/bash", "bash", "/run/lvsctl-vm/guest.sh", (char*)NULL);
    say("exec /bin/sh: %s", strerror(errno));
    _exit(126);
  }
  for (;;) {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR) continue;
      fail("wait");
    }
    if (pid == child) {
      int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      finish(rc);
    }
  }
}
