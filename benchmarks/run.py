"""Run every benchmark: per-call KMS workloads, then process startup.

python benchmarks/run.py                       # N=2000 (A, B), 200 (C, D), best of 3;
                                               # startup best of 5
python benchmarks/run.py --n 500 --repeat 1 --startup-repeat 3
python -m benchmarks.run --skip-startup
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (python benchmarks/run.py): make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import kms_roundtrip, report, startup  # noqa: E402
from benchmarks.targets import moto_available  # noqa: E402
from benchmarks.workloads import WORKLOADS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--n", type=int, help="iterations per run (default: 2000 for A and B, 200 for C and D)"
    )
    p.add_argument("--repeat", type=int, default=3, help="runs per target; the best is kept")
    p.add_argument("--warmup", type=int, default=50, help="untimed iterations per run")
    p.add_argument("--startup-repeat", type=int, default=5, help="startup runs per process")
    p.add_argument(
        "--workload",
        choices=sorted(WORKLOADS),
        action="append",
        help="per-call workloads to run (may repeat; default: all)",
    )
    p.add_argument("--skip-startup", action="store_true")
    p.add_argument("--skip-calls", action="store_true")
    p.add_argument(
        "--unseeded", action="store_true", help="Cloud() without a seed for the per-call workloads"
    )
    args = p.parse_args(argv)

    # A date, not a timestamp: the README's results table records when they were measured.
    print(f"Secrets Lab benchmarks, {_dt.date.today().isoformat()}")
    print(report.machine() + ", " + report.botocore_version())
    targets = ["floor", "simulator", "moto"]
    if not moto_available():
        print("note: moto is not installed (pip install -e '.[bench]'); skipping it.")
        targets.remove("moto")
    if not args.skip_calls:
        workloads = args.workload or sorted(WORKLOADS)
        results = kms_roundtrip.run_all(
            workloads,
            ["floor", "crypto", *targets[1:]],
            args.n,
            args.repeat,
            args.warmup,
            None if args.unseeded else 7,
        )
        print()
        seed = None if args.unseeded else 7
        print(kms_roundtrip.render(results, workloads, args.n, args.repeat, seed))
    if not args.skip_startup:
        best = startup.measure(["python", *targets], args.startup_repeat)
        print()
        print(startup.render(best, args.startup_repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
