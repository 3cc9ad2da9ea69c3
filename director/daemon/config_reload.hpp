#pragma once
// ConfigReload: a SIGHUP's read and parse of keepalived.conf, on a worker thread, so a file that
// blocks (a FIFO include, a slow disk) or takes long to parse never holds the event loop: VRRP
// keeps advertising meanwhile. The result is handed back to the loop (an eventfd watched on it)
// and applied there by the `done` callback. Requests while a load runs coalesce: one more load
// follows the current one, whatever their number.
//
// A load that never finishes (a FIFO nobody writes) keeps its thread: it is detached and owns
// only its own state, so stopping the daemon does not wait for it.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "director/config/load.hpp"
#include "shared/conf/source_manifest.hpp"
#include "shared/event_loop.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

struct ReloadOutcome {
  // nullopt: the files are those of `running` (same bytes); nothing was parsed.
  std::optional<config::ParsedConfig> parsed;
  double seconds = 0;  // reading (and parsing) time on the worker
};

class ConfigReload {
 public:
  using Done = std::function<void(ReloadOutcome)>;
  // The default load: unchanged check against `running`, then load_config_file(path).
  using Loader = std::function<ReloadOutcome(const std::string& path,
                                             const conf::SourceManifest* running)>;

  // `running`: the manifest of the running config when a load starts (nullptr: always parse).
  using Running = std::function<const conf::SourceManifest*()>;

  static Result<std::unique_ptr<ConfigReload>> create(EventLoop& loop, std::string path,
                                                      Running running, Done done,
                                                      Loader loader = {});  // {}: default_loader
  ConfigReload(const ConfigReload&) = delete;
  ConfigReload& operator=(const ConfigReload&) = delete;
  ~ConfigReload();  // a load in progress is abandoned (its result dropped)

  // Starts a load now or, when one runs, once after it (after its result was applied).
  void request();
  bool busy() const { return busy_; }

  static ReloadOutcome default_loader(const std::string& path,
                                      const conf::SourceManifest* running,
                                      const conf::LanguageOptions& language);

 private:
  struct Shared;
  ConfigReload(EventLoop& loop, std::string path, Running running, Done done, Loader loader,
               std::shared_ptr<Shared> shared);
  void start();
  void finished();

  EventLoop& loop_;
  std::string path_;
  Running running_;
  Done done_;
  Loader loader_;
  std::shared_ptr<Shared> shared_;
  bool busy_ = false;
  bool again_ = false;
};

}  // namespace lvsctl::director
