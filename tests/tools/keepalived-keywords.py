#!/usr/bin/env python3
"""Lists keepalived 2.2.7's configuration keywords as `block keyword` lines.

Writes tests/data/keepalived-2.2.7-keywords.txt (used by tests/unit/config_compat_doc_test.cpp):

    tests/tools/keepalived-keywords.py [--man keepalived.conf.5.gz] [--source KEEPALIVED_TREE] \
        > tests/data/keepalived-2.2.7-keywords.txt

--man (default: Debian's /usr/share/man/man5/keepalived.conf.5.gz): every bold word
(`\\fBword\\fR`) that starts a line of keepalived.conf(5) before its ADVANCED CONFIGURATION
section, in the innermost `{ ... }` block the man page writes it in (`top` outside any);
CHECKER_TYPE's lines (the options common to checkers) are listed under each checker that takes
them.
--source: a checkout of keepalived's tag v2.2.7 (github:acassen/keepalived): the keywords its
parsers register (install_keyword_root / install_keyword / install_sublevel / ..._end calls, in
file order), added to those of the man page. Only names and nesting are read.
"""
import argparse
import gzip
import os
import re
import sys

# Checkers taking keepalived's common checker options (check_api.c's
# install_checker_common_keywords): with the connection options (true) or without (false).
CONNECT_CHECKERS = ["TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK",
                    "PING_CHECK"]
CONNECTION_ONLY = ["connect_ip", "connect_port", "bindto", "bind_port", "bind_if",
                   "connect_timeout", "fwmark"]
COMMON = ["retry", "delay_before_retry", "warmup", "delay_loop", "alpha", "log_all_failures"]
NAME = re.compile(r"^([a-z_][a-z0-9_-]*|[A-Z0-9]+_[A-Z_]+|SSL)$")


def from_man(path):
    text = gzip.open(path, "rt", errors="replace").read() if path.endswith(".gz") \
        else open(path, errors="replace").read()
    bold = re.compile(r"^\s*\\fB([A-Za-z_][A-Za-z0-9_|-]*)(?=\s*\\fR)")
    first_bold = re.compile(r"^\s*\\fB([A-Za-z_][A-Za-z0-9_]*)")
    plain_block = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\b[^#]*\{\s*$")
    stack, found = [], []
    for raw in text.split("\n"):
        if raw.startswith(".SH ADVANCED CONFIGURATION"):
            break
        code = re.sub(r"#.*$", "", raw).rstrip()
        m = bold.match(raw)
        names = m.group(1).split("|") if m else []
        if not all(NAME.match(n) for n in names):
            names = []
        # `HTTP_GET|SSL_GET {`: what follows belongs to both.
        for block in stack[-1] if stack else ["top"]:
            for n in names:
                if block == "CHECKER_TYPE":
                    for c in CONNECT_CHECKERS + (["MISC_CHECK"] if n in COMMON else []):
                        found.append((c, n))
                else:
                    found.append((block, n))
        if code.endswith("{"):
            if not names:
                # `\fBvirtual_server group \fR<STRING> {`, `interface_up_down_delays {`
                pm = first_bold.match(code) or plain_block.match(code)
                names = [pm.group(1)] if pm else ["?"]
                if not stack and pm and NAME.match(names[0]):
                    found.append(("top", names[0]))
            stack.append(names)
        elif re.match(r"^\s*\}$", code) and stack:
            stack.pop()
    return found


SOURCE_FILES = [
    ("keepalived/core/global_parser.c", None),
    ("keepalived/vrrp/vrrp_parser.c", None),
    ("keepalived/trackers/track_file.c", None),
    ("keepalived/bfd/bfd_parser.c", None),
    ("keepalived/check/check_parser.c", None),
    ("keepalived/check/check_misc.c", "real_server"),
    ("keepalived/check/check_smtp.c", "real_server"),
    ("keepalived/check/check_tcp.c", "real_server"),
    ("keepalived/check/check_ping.c", "real_server"),
    ("keepalived/check/check_udp.c", "real_server"),
    ("keepalived/check/check_http.c", "real_server"),
    ("keepalived/check/check_dns.c", "real_server"),
    ("keepalived/check/check_file.c", "real_server"),
    ("keepalived/check/check_bfd.c", "real_server"),
]
CALL = re.compile(r'\b(install_keyword_root|install_keyword_conditional|install_keyword|'
                  r'install_sublevel_end|install_sublevel|install_checker_common_keywords)\s*\('
                  r'\s*("([^"]*)"|keyword|true|false)?')


def from_source(tree):
    found = []
    for rel, start in SOURCE_FILES:
        text = open(os.path.join(tree, rel), errors="replace").read()
        # check_http.c registers HTTP_GET and SSL_GET through one function (a `keyword` argument).
        variants = ["HTTP_GET", "SSL_GET"] if rel.endswith("check_http.c") else [None]
        for variant in variants:
            stack, last = ([start] if start else []), None
            for m in CALL.finditer(text):
                fn, arg, literal = m.group(1), m.group(2), m.group(3)
                name = literal if literal is not None else (variant if arg == "keyword" else None)
                if fn == "install_keyword_root" and name:
                    stack, last = [name], name
                    found.append(("top", name))
                elif fn in ("install_keyword", "install_keyword_conditional") and name:
                    found.append((stack[-1] if stack else "top", name))
                    last = name
                elif fn == "install_sublevel" and last:
                    stack.append(last)
                elif fn == "install_sublevel_end" and stack:
                    stack.pop()
                elif fn == "install_checker_common_keywords" and arg in ("true", "false"):
                    names = (CONNECTION_ONLY if arg == "true" else []) + COMMON
                    found.extend((stack[-1], n) for n in names)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--man", default="/usr/share/man/man5/keepalived.conf.5.gz")
    ap.add_argument("--source")
    a = ap.parse_args()
    man = from_man(a.man)
    src = from_source(a.source) if a.source else []
    seen, rows = set(), []
    for r in man + src:
        if r not in seen:
            seen.add(r)
            rows.append(r)
    man_set, src_set = set(man), set(src)
    out = sys.stdout
    out.write("# keepalived 2.2.7's configuration keywords, one `block keyword` per line (`top`: the\n"
              "# top level). Generated by tests/tools/keepalived-keywords.py from keepalived.conf(5)\n"
              "# (Debian's keepalived 1:2.2.7-1, /usr/share/man/man5/keepalived.conf.5.gz: the bold\n"
              "# word starting each line of its syntax blocks, in the { } block around it; CHECKER_TYPE's\n"
              "# lines under every checker that takes them)")
    if a.source:
        out.write(" and from keepalived's source at tag v2.2.7\n# (github:acassen/keepalived: the "
                  "install_keyword_root/install_keyword/install_sublevel calls\n# of its "
                  "parsers, nesting followed; names only).\n")
        out.write("# %d from the man page, %d registered by the source, %d in all.\n"
                  % (len(man_set), len(src_set), len(rows)))
        only_man = sorted(man_set - src_set)
        if only_man:
            out.write("# In the man page but not registered by the source: %s.\n"
                      % ", ".join(f"{b} {k}" for b, k in only_man))
    else:
        out.write(".\n")
    # Grouped by block, blocks and keywords in the order first seen.
    order = []
    for b, _ in rows:
        if b not in order:
            order.append(b)
    for b in order:
        for rb, k in rows:
            if rb == b:
                out.write(f"{b} {k}\n")


if __name__ == "__main__":
    main()
