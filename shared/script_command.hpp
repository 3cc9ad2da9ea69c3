#pragma once
// A script's command line (notify_*, vrrp_script `script`, misc_path, quorum_up/down) turned into
// the argv it is executed with, as keepalived 2.2.7 does it: no shell is involved. The rules:
//  - words are separated by whitespace (space, tab, \f, \n, \r, \v);
//  - "..." and '...' group text into one word, and a quote may start or end in the middle of a
//    word (a"b c"d is `ab cd`); inside one kind of quote the other kind is an ordinary character;
//    "" is an empty word;
//  - a backslash escapes, outside and inside quotes alike: \a \b \E(ESC) \f \n \r \t \v, \xHH...
//    (all hex digits that follow), \cX (control-X), \N \NN \NNN (octal), and any other character
//    stands for itself (\" \' \\ \ and so on);
//  - shell syntax means nothing: `&&`, `;`, `|`, `>`, `$(...)`, `*` are passed as arguments.
// Errors: a quote left open, a backslash at the very end, an escape that makes a NUL character
// (no argument can hold one), or no word at all. Error::code is EINVAL; the message says where
// (character position in `text`, counted from 1).
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace lvsctl {

// Pure.
Result<std::vector<std::string>> split_script_command(std::string_view text);

// The escapes of a "..." word of keepalived.conf decoded (the config reader keeps them raw;
// keepalived decodes them once when it reads the line and again when it splits the script):
// `notify "/x.sh \"a b\""` is the command line `/x.sh "a b"`. Errors as above. Pure.
Result<std::string> decode_script_escapes(std::string_view text);

// The words of shell syntax in `argv` (`&&`, `;`, `|`, `$(`, a backquote, `>`, ...) that a
// reader might expect a shell to act on; nothing runs them. Empty when there are none. Pure.
std::vector<std::string> shell_syntax_words(const std::vector<std::string>& argv);

// split_script_command() with argv[0] looked up in PATH the way execvp() would when it has no
// '/' (find_program), so the program that is run is exactly the one that was vetted.
Result<std::vector<std::string>> script_argv(std::string_view text);

}  // namespace lvsctl
