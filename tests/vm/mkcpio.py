#!/usr/bin/env python3
"""mkcpio.py DIR: writes DIR's tree to stdout as a newc ("070701") cpio archive, the format the
kernel unpacks as an initramfs. Used by run-in-vm.sh when the cpio tool is not installed."""
import os
import stat
import sys


def header(name, st, size, ino):
    fields = [ino, st.st_mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad(n):
    return b"\0" * ((4 - n % 4) % 4)


def main(root):
    out = sys.stdout.buffer
    ino = 1
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for entry in [""] + sorted(filenames):
            path = os.path.join(dirpath, entry) if entry else dirpath
            name = os.path.relpath(path, root)
            if name == ".":
                continue
            st = os.lstat(path)
            data = b""
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    data = f.read()
            h = header(name, st, len(data), ino) + name.encode() + b"\0"
            out.write(h + pad(len(h)) + data + pad(len(data)))
            ino += 1
    trailer = header("TRAILER!!!", os.lstat(root), 0, 0) + b"TRAILER!!!\0"
    out.write(trailer + pad(len(trailer)))


if __name__ == "__main__":
    main(sys.argv[1])
