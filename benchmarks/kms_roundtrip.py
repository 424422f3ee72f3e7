"""Per-call cost of KMS round-trips: Secrets Lab vs moto vs the botocore floor.

    python -m benchmarks.kms_roundtrip                 # N=2000, best of 3
    python -m benchmarks.kms_roundtrip --n 500 --repeat 5 --workload A

Each (workload, target) run happens in a fresh interpreter (this module re-run with
``--worker``), so moto's global botocore handlers, the simulator's growing audit trail and
garbage from one target never tax another. Runs are interleaved round-robin (every target
once, then again) so that drift in the machine's speed spreads evenly; each target keeps its
best run. A run is: open the target, warm up (checking the answers), then time ``n``
iterations of the workload with ``time.perf_counter``. The figure reported is microseconds per
API call: the loop's total time divided by ``2n``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report
from benchmarks.targets import TARGETS, moto_available, open_target
from benchmarks.workloads import WORKLOADS, warm_up

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    workload: str
    target: str
    n: int
    runs_us: list[float] = field(default_factory=list)

    @property
    def best_us(self) -> float | None:
        return min(self.runs_us) if self.runs_us else None


def measure(target: str, workload_name: str, n: int, warmup: int, seed: int | None) -> float:
    """One run in this process; microseconds per API call."""
    workload = WORKLOADS[workload_name]
    with open_target(target, workload, seed=seed) as (client, key_id):
        warm_up(workload, client, key_id, warmup)
        seconds = workload.run(client, key_id, n)
    return seconds / (n * workload.calls_per_iteration) * 1e6


def _spawn(target: str, workload: str, n: int, warmup: int, seed: int | None) -> float:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.kms_roundtrip",
        "--worker",
        target,
        "--workload",
        workload,
        "--n",
        str(n),
        "--warmup",
        str(warmup),
    ]
    if seed is None:
        cmd.append("--unseeded")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{target} worker for workload {workload} failed:\n{proc.stderr}")
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["us_per_call"])


def run_all(
    workloads: list[str],
    targets: list[str],
    n: int,
    repeat: int,
    warmup: int,
    seed: int | None,
    progress: bool = True,
) -> dict[tuple[str, str], Result]:
    results = {(w, t): Result(w, t, n) for w in workloads for t in targets}
    for rep in range(1, repeat + 1):
        for w in workloads:
            for t in targets:
                if progress:
                    print(
                        f"  run {rep}/{repeat}: workload {w} on {t} ...",
                        end="",
                        file=sys.stderr,
                        flush=True,
                    )
                us = _spawn(t, w, n, warmup, seed)
                results[(w, t)].runs_us.append(us)
                if progress:
                    print(f" {us:.1f} us/call", file=sys.stderr, flush=True)
    return results


def render(
    results: dict[tuple[str, str], Result], workloads: list[str], n: int, repeat: int
) -> str:
    def best(w: str, t: str) -> float | None:
        r = results.get((w, t))
        return r.best_us if r else None

    def fmt(v: float | None) -> str:
        return f"{v:.1f}" if v is not None else "skipped"

    headers = [
        "workload",
        "floor us",
        "simulator us",
        "moto us",
        "sim/floor",
        "moto/floor",
        "sim/moto",
    ]
    rows = []
    for w in workloads:
        f, s, m = best(w, "floor"), best(w, "simulator"), best(w, "moto")
        rows.append(
            [
                f"{w}: {WORKLOADS[w].title}",
                fmt(f),
                fmt(s),
                fmt(m),
                report.ratio(s, f),
                report.ratio(m, f),
                report.ratio(s, m),
            ]
        )
    lines = [
        f"KMS per-call cost: microseconds per API call, best of {repeat} runs, "
        f"N={n} iterations = {2 * n} calls per run",
        "",
        report.table(headers, rows),
        "",
    ]
    for w in workloads:
        s, f = best(w, "simulator"), best(w, "floor")
        lines.append(
            f"target simulator <= {report.TARGET_RATIO}x floor per call, workload {w}: "
            f"{report.verdict(s, f)} ({report.ratio(s, f)})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.kms_roundtrip",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--n", type=int, default=2000, help="iterations per run (2 calls each)")
    p.add_argument("--repeat", type=int, default=3, help="runs per target; the best is kept")
    p.add_argument("--warmup", type=int, default=50, help="untimed iterations before each run")
    p.add_argument(
        "--workload",
        choices=sorted(WORKLOADS),
        action="append",
        help="run only this workload (may repeat; default: all)",
    )
    p.add_argument(
        "--target",
        choices=TARGETS,
        action="append",
        help="run only this target (may repeat; default: all)",
    )
    p.add_argument(
        "--unseeded",
        action="store_true",
        help="Cloud() without a seed (OS randomness) instead of Cloud(seed=7)",
    )
    p.add_argument("--json", type=Path, help="also write the raw runs to this file")
    p.add_argument("--worker", choices=TARGETS, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    seed = None if args.unseeded else 7

    if args.worker:
        us = measure(args.worker, (args.workload or ["A"])[0], args.n, args.warmup, seed)
        print(json.dumps({"us_per_call": us}))
        return 0

    workloads = args.workload or sorted(WORKLOADS)
    targets = args.target or list(TARGETS)
    if "moto" in targets and not moto_available():
        print("note: moto is not installed (pip install -e '.[bench]'); skipping it.")
        targets.remove("moto")
    print(report.machine())
    results = run_all(workloads, targets, args.n, args.repeat, args.warmup, seed)
    print()
    print(render(results, workloads, args.n, args.repeat))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"workload": r.workload, "target": r.target, "n": r.n, "runs_us": r.runs_us}
                    for r in results.values()
                ],
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
