"""Runs the benchmarks: `make bench` runs them all, `make bench BENCH=worktime` one of them.

Each bench/bench_<name>.py is a script that prints its own figures (a markdown table) and compares
against a baseline measured in the same run. Copy the figures into docs/benchmarks.md.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    wanted = sys.argv[1:] or os.environ.get("BENCH", "").split()
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
        if not scripts:
            print(f"Không có benchmark nào tên {' '.join(wanted)}.", file=sys.stderr)
            return 2
    failed = 0
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        failed += subprocess.call([sys.executable, str(script)], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
