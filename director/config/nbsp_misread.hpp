#pragma once
// Internal to the config builder: lines that carry U+00A0 no-break spaces (pasted from web pages).
// lvsctl reads U+00A0 as whitespace; keepalived 2.2.7 reads it as part of a word, so a line
// indented with it becomes an unknown keyword that keepalived ignores with its whole block. One
// warning per affected block says which lines keepalived loses and what it then runs instead
// (a virtual_server left with no real servers, a vrrp_script without its script, ...).
#include "director/config/build_context.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

// Walks `top` (a top-level statement) and its blocks.
void report_nbsp_misreads(BuildContext& ctx, const conf::Statement& top);

}  // namespace lvsctl::director::config
