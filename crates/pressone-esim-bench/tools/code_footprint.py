#!/usr/bin/env python3
"""Code footprint of one call: how many distinct 64-byte lines of machine code a call runs.

A per-call figure that instruction counts miss: a sequential client sleeps in the kernel
between calls, so each call starts with its code partly evicted, and every distinct cache line
of code it runs is a likely miss. Counted from a callgrind profile taken with per-instruction
costs, as the instructions run at least 0.9 x CALLS times (those of every call), grouped into
64-byte lines:

    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=sdk.out \
        target/release/examples/usage_external one sdk http://127.0.0.1:8089 10000 1
    (the same with `one baseline` into base.out)
    code_footprint.py sdk.out 12000 [base.out]

(10,000 calls after the example's 2,000 warm-up calls: CALLS is 12,000.) With a second profile
it also lists, per function, the lines of the first minus those of the second.
"""

import collections
import re
import sys

NAME = re.compile(r"\((\d+)\)(?:\s+(.*))?")


def lines_by_function(path, calls):
    """{function: set of 64-byte code lines run at least 0.9 x calls times}."""
    names, counts, owner = {}, collections.Counter(), {}
    function, last, call_line = None, 0, False
    with open(path) as profile:
        for line in profile:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith(("fn=", "cfn=")):
                m = NAME.match(line.split("=", 1)[1])
                if m and m.group(2):
                    names[m.group(1)] = m.group(2)
                if line.startswith("fn="):
                    function = names.get(m.group(1)) if m else line[3:]
                continue
            if line.startswith("calls="):
                call_line = True  # the next cost line is the call's inclusive cost
                continue
            if line[0] not in "0123456789+-*":
                continue
            fields = line.split()
            pos = fields[0]
            if pos == "*":
                address = last
            elif pos[0] in "+-":
                step = int(pos[1:], 16) if pos[1:].startswith("0x") else int(pos[1:])
                address = last + step if pos[0] == "+" else last - step
            else:
                address = int(pos, 16) if pos.startswith("0x") else int(pos)
            last = address
            if call_line:
                call_line = False
                continue
            if len(fields) >= 3:
                counts[address] += int(fields[2])
                owner[address] = function
    by_function = collections.defaultdict(set)
    for address, n in counts.items():
        if n >= calls * 0.9:
            by_function[owner[address]].add(address >> 6)
    return by_function


def total(by_function):
    return len(set().union(*by_function.values())) if by_function else 0


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    calls = int(sys.argv[2])
    first = lines_by_function(sys.argv[1], calls)
    print(f"{sys.argv[1]}: {total(first)} lines of code per call")
    if len(sys.argv) == 4:
        second = lines_by_function(sys.argv[3], calls)
        print(f"{sys.argv[3]}: {total(second)} lines of code per call")
        rows = sorted(set(first) | set(second),
                      key=lambda f: len(second.get(f, ())) - len(first.get(f, ())))
        for f in rows[:30]:
            a, b = len(first.get(f, ())), len(second.get(f, ()))
            if a != b:
                print(f"{a - b:+5} {a:5} {b:5}  {(f or '?')[-110:]}")


if __name__ == "__main__":
    main()
