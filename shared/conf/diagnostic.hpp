#pragma once
// A problem found in a configuration file, with the place it was found.
#include <iosfwd>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace lvsctl::conf {

// The name of a configuration file, read-only. Every Location in one file shares one copy of the
// name, so copying a Location never allocates (a big config has a million words, each with its
// Location). Converts to `const std::string&`, compares with strings and formats with fmt.
class FileName {
 public:
  FileName() = default;
  FileName(const char* name) : FileName(std::string(name)) {}  // NOLINT(google-explicit-constructor)
  FileName(std::string name);  // NOLINT(google-explicit-constructor)
  explicit FileName(std::string_view name) : FileName(std::string(name)) {}
  FileName(const FileName& other) noexcept : rep_(other.rep_) { acquire(); }
  FileName(FileName&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  FileName& operator=(const FileName& other) noexcept {
    FileName copy(other);
    std::swap(rep_, copy.rep_);
    return *this;
  }
  FileName& operator=(FileName&& other) noexcept {
    std::swap(rep_, other.rep_);
    return *this;
  }
  ~FileName() { release(); }

  const std::string& str() const noexcept;
  operator const std::string&() const noexcept { return str(); }  // NOLINT
  bool empty() const noexcept { return rep_ == nullptr; }
  std::size_t size() const noexcept { return str().size(); }
  const char* c_str() const noexcept { return str().c_str(); }

  friend bool operator==(const FileName& a, const FileName& b) {
    return a.rep_ == b.rep_ || a.str() == b.str();
  }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }

 private:
  struct Rep;  // the name and a reference count; one pointer keeps Location small
  void acquire() noexcept;
  void release() noexcept;
  Rep* rep_ = nullptr;  // null: no name
};

std::ostream& operator<<(std::ostream& out, const FileName& name);

struct Location {
  FileName file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  Location where;
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

// "file:line:col: error: message" (or "warning:").
std::string format(const Diagnostic& d);
bool has_errors(const Diagnostics& diags);

// At most this many diagnostics are printed for one load (a file of a million '{' has a
// million errors); the rest are counted.
inline constexpr std::size_t kMaxDiagnosticsShown = 100;

// The lines to print for `diags`: the first `limit` formatted, then, when more were found,
// "... and N more (E errors, W warnings not shown)".
std::vector<std::string> format_capped(const Diagnostics& diags,
                                       std::size_t limit = kMaxDiagnosticsShown);

}  // namespace lvsctl::conf

template <>
struct fmt::formatter<lvsctl::conf::FileName> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const lvsctl::conf::FileName& name, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(name.str(), ctx);
  }
};
