#pragma once
// The state file on disk (default /run/lvsctl/realserver.state). Adapter: file I/O only.
#include <filesystem>
#include <optional>

#include "realserver/state.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

inline const std::filesystem::path kDefaultStateDir = "/run/lvsctl";
inline constexpr const char* kStateFileName = "realserver.state";

// nullopt when the file does not exist. Errors: unreadable (errno), or unparsable (EINVAL,
// message naming the file and line).
Result<std::optional<State>> load_state(const std::filesystem::path& file);

// Creates the directory if needed (mode 0755) and replaces the file atomically (write a
// temporary file beside it, fsync, rename). Errors carry errno (EACCES when not root).
Status save_state(const std::filesystem::path& file, const State& state);

// Removes the file; a file that is not there is success.
Status remove_state(const std::filesystem::path& file);

}  // namespace lvsctl::realserver
