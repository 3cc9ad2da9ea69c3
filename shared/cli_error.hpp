#pragma once
// How every lvsctl command reports a failure, so scripts see one shape in every role:
// - exit codes shared by all roles: 1 failure, 2 bad usage, 4 not privileged (not root: the
//   command needs CAP_NET_ADMIN or files only root may write; LSB's "insufficient privilege");
//   3 stays each status command's "stopped / not accepted" answer;
// - text: "lvsctl ROLE COMMAND: message" on stderr;
// - with --json: one JSON object on stdout, written by JsonWriter:
//     {"error": {"command": "firewall status", "message": "...", "exit_code": 4}}
#include <cstdio>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace lvsctl::cli {

inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotPrivileged = 4;

// EPERM or EACCES: the command lacks a privilege (root, CAP_NET_ADMIN).
bool is_privilege_error(const Error& e);

// The JSON error object of a failed command (one line, newline-terminated).
std::string error_json(std::string_view command, std::string_view message, int exit_code);

// Prints the failure of `command` ("firewall status") as text on stderr or, with `json`, as
// error_json() on stdout; returns `exit_code`.
int report_error(std::string_view command, std::string_view message, int exit_code, bool json);

// Whether argv asks for JSON (a "--json" flag before any "--"): for errors found while parsing
// the command line, before the command's own --json option is known.
bool argv_wants_json(int argc, const char* const* argv);

// The command named on the command line ("firewall status"): its first words that are not
// options (the values of --log-level and --log-target skipped), at most two.
std::string command_words(int argc, const char* const* argv);

// Whether this process may do what a director or firewall command needs: CAP_NET_ADMIN in its
// effective set (root has it; so does a systemd unit that keeps it).
bool has_net_admin();

}  // namespace lvsctl::cli
