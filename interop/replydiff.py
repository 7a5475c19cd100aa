#!/usr/bin/env python3
"""Names the first reply that differs between two pop3.py session transcripts.

usage: replydiff.py EXPECTED ACTUAL CMD...   (the CMDs the session sent, in order)
Prints e.g. 'reply to "RETR 3" differs at octet 343 of 754 (expected b'...', got b'...')'.
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
from pop3 import is_multiline  # noqa: E402


def split(data, cmds):
    replies, pos = [], 0
    for cmd in cmds:
        end = data.find(b"\r\n", pos)
        if end < 0:
            replies.append(data[pos:])
            return replies
        end += 2
        if data[pos:end] == b"+OK\r\n" and is_multiline(cmd):
            stop = data.find(b"\r\n.\r\n", end - 2)
            end = len(data) if stop < 0 else stop + 5
        replies.append(data[pos:end])
        pos = end
    replies.append(data[pos:])  # anything after the last expected reply
    return replies


def main():
    expected_file, actual_file, *cmds = sys.argv[1:]
    exp = split(open(expected_file, "rb").read(), cmds)
    act = split(open(actual_file, "rb").read(), cmds)
    for i, cmd in enumerate(cmds + ["(after the last reply)"]):
        e = exp[i] if i < len(exp) else b""
        a = act[i] if i < len(act) else b""
        if e != a:
            at = next((k for k in range(min(len(e), len(a))) if e[k] != a[k]), min(len(e), len(a)))
            print(f'reply to "{cmd}" differs at octet {at} of {len(e)} '
                  f"(expected {e[max(0, at - 20):at + 20]!r}, got {a[max(0, at - 20):at + 20]!r}, "
                  f"got {len(a)} octets)")
            return
    print("no reply differs")


if __name__ == "__main__":
    main()
