#!/usr/bin/env python3
"""Pooled SDK/baseline ratio of many `usage_external run` outputs, with a bootstrap interval.

One `run` gives the median of its rounds; on this shared 2-core machine the medians of runs of
the same binary differ by +/-3-4 %, more than the effects measured. Pooling the rounds of many
runs, alternated with the build they are compared against, and bootstrapping the pooled median
gives a figure and an interval that say whether a ratio is above 1.0 or only within noise. The
interval resamples whole runs (their rounds share the machine's state of those seconds, so
they are not independent draws):

    for i in $(seq 1 10); do
        taskset -c 1 usage_external run http://127.0.0.1:8089 30000 32 15 > after-c32-$i.txt
        taskset -c 1 /tmp/before     run http://127.0.0.1:8089 30000 32 15 > before-c32-$i.txt
    done
    pooled_ratio.py after-c32-*.txt before-c32-*.txt

Files are grouped by name without the trailing `-N.txt` (`after-c32`, `before-c32`).
"""

import random
import re
import statistics
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    groups = {}
    for path in sys.argv[1:]:
        label = re.sub(r"-\d+$", "", path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        text = open(path).read()
        runs, medians = groups.setdefault(label, ([], []))
        ratios = [float(m) for m in re.findall(r"ratio (\d+\.\d+)", text)]
        found = [float(m) for m in re.findall(r"median (\d+\.\d+)", text)]
        if ratios and found:  # a finished run
            runs.append(ratios)
            medians.extend(found)
    random.seed(1)
    for label, (runs, medians) in sorted(groups.items()):
        if not runs:
            print(f"{label}: no finished run")
            continue
        rounds = [r for run in runs for r in run]
        boots = sorted(
            statistics.median([r for run in random.choices(runs, k=len(runs)) for r in run])
            for _ in range(2000)
        )
        print(
            f"{label}: {len(medians)} runs, {len(rounds)} rounds; pooled median "
            f"{statistics.median(rounds):.3f} (95 % interval {boots[50]:.3f}-{boots[1949]:.3f}); "
            f"rounds >= 1.0: {sum(r >= 1.0 for r in rounds)}/{len(rounds)}; run medians "
            + " ".join(f"{m:.3f}" for m in medians)
        )


if __name__ == "__main__":
    main()
