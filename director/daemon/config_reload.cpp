#include "director/daemon/config_reload.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "shared/fd.hpp"

namespace lvsctl::director {

// What the loop and a worker share; a worker holds it alive until it ends.
struct ConfigReload::Shared {
  Fd event;
  std::mutex mutex;
  std::optional<ReloadOutcome> result;  // guarded
  bool abandoned = false;               // guarded: the ConfigReload is gone

  void post(ReloadOutcome outcome) {
    {
      std::lock_guard lock(mutex);
      if (abandoned) return;
      result = std::move(outcome);
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event.get(), &one, sizeof one);
  }
};

ReloadOutcome ConfigReload::default_loader(const std::string& path,
                                           const conf::SourceManifest* running,
                                           const conf::LanguageOptions& language) {
  const auto started = std::chrono::steady_clock::now();
  ReloadOutcome outcome;
  if (running == nullptr || config::config_files_changed(*running)) {
    outcome.parsed = config::load_config_file(path, language);
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

Result<std::unique_ptr<ConfigReload>> ConfigReload::create(EventLoop& loop, std::string path,
                                                           Running running, Done done,
                                                           Loader loader) {
  if (!loader) {
    loader = [](const std::string& p, const conf::SourceManifest* r) {
      return default_loader(p, r, conf::LanguageOptions{});
    };
  }
  auto shared = std::make_shared<Shared>();
  shared->event.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!shared->event) return Error::from_errno("eventfd");
  std::unique_ptr<ConfigReload> reload(
      new ConfigReload(loop, std::move(path), std::move(running), std::move(done),
                       std::move(loader), shared));
  if (auto st = loop.watch(shared->event.get(), io::kReadable,
                           [r = reload.get()](uint32_t) { r->finished(); });
      !st) {
    return st.error();
  }
  return reload;
}

ConfigReload::ConfigReload(EventLoop& loop, std::string path, Running running, Done done,
                           Loader loader, std::shared_ptr<Shared> shared)
    : loop_(loop),
      path_(std::move(path)),
      running_(std::move(running)),
      done_(std::move(done)),
      loader_(std::move(loader)),
      shared_(std::move(shared)) {}

ConfigReload::~ConfigReload() {
  loop_.unwatch(shared_->event.get());
  std::lock_guard lock(shared_->mutex);
  shared_->abandoned = true;
  shared_->result.reset();
}

void ConfigReload::request() {
  if (busy_) {
    if (again_) {
      spdlog::info("Reload: one more load is already queued after the one in progress");
    } else {
      spdlog::info("Reload: a load is in progress; one more follows it");
    }
    again_ = true;
    return;
  }
  start();
}

// The worker starts with every signal blocked: the loop takes signals through a signalfd, which
// needs them blocked in every thread.
void ConfigReload::start() {
  std::optional<conf::SourceManifest> manifest;
  if (const auto* running = running_ ? running_() : nullptr) manifest = *running;
  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  std::string failure;
  try {
    std::thread([shared = shared_, loader = loader_, path = path_,
                 manifest = std::move(manifest)]() mutable {
      ReloadOutcome outcome;
      try {
        outcome = loader(path, manifest ? &*manifest : nullptr);
      } catch (const std::exception& e) {
        // (bad_alloc on a huge file): reported as a rejected load
        config::ParsedConfig failed;
        failed.diags.push_back(conf::Diagnostic{conf::Severity::Error, {path, 0, 0},
                                                std::string("cannot load: ") + e.what()});
        outcome.parsed = std::move(failed);
      }
      shared->post(std::move(outcome));
    }).detach();
  } catch (const std::system_error& e) {
    failure = e.what();
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (!failure.empty()) {
    spdlog::error("Reload: cannot start the loading thread: {}", failure);
    return;
  }
  busy_ = true;
}

void ConfigReload::finished() {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(shared_->event.get(), &count, sizeof count);
  std::optional<ReloadOutcome> outcome;
  {
    std::lock_guard lock(shared_->mutex);
    outcome.swap(shared_->result);
  }
  if (!outcome) return;
  busy_ = false;
  done_(std::move(*outcome));  // may call request() again
  if (again_ && !busy_) {
    again_ = false;
    start();
  }
}

}  // namespace lvsctl::director
