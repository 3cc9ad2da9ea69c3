#pragma once
// Pure readers for the value syntax of keepalived.conf: unsigned and signed integers, timers
// (seconds with up to six decimals: "0.5", "3"), and booleans (on|off|true|false|yes|no).
// Each returns nullopt for anything else; callers turn that into a diagnostic.
#include <cstdint>
#include <optional>
#include <string_view>

#include "director/config/model.hpp"

namespace lvsctl::director::config {

std::optional<std::uint64_t> parse_unsigned(std::string_view text);
std::optional<std::int64_t> parse_signed(std::string_view text);
// Non-negative seconds with an optional fraction; more than six decimals are rejected.
std::optional<Duration> parse_timer(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);

// "1.5s", "3s", "250ms" style rendering used by summaries and JSON-free output.
std::string format_duration(Duration d);
// Seconds as a decimal number ("1", "0.25") for JSON.
std::string duration_seconds(Duration d);

// The first shell operator in a script command line (`>`, `<`, `|`, `&&`, `;`, `$(`, a backtick,
// `&` at the end), or empty when there is none or the command is itself a shell given the line
// with -c (`/bin/sh -c '...'`). keepalived runs scripts without a shell.
std::string_view shell_operator(std::string_view command);

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b);

}  // namespace lvsctl::director::config
