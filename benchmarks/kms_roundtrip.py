"""Per-call cost of KMS workloads: Secrets Lab vs moto vs the botocore floor (+ crypto).

    python -m benchmarks.kms_roundtrip                 # N=2000 (A, B) / 200 (C, D), best of 3
    python -m benchmarks.kms_roundtrip --n 500 --repeat 5 --workload A

Each (workload, target) run happens in a fresh interpreter (this module re-run with
``--worker``), so moto's global botocore handlers, the simulator's growing audit trail and
garbage from one target never tax another. Runs are interleaved round-robin (every target
once, then again) so that drift in the machine's speed spreads evenly; each target keeps its
best run. A run is: open the target, warm up (checking the answers), then time ``n``
iterations of the workload with ``time.perf_counter``. The figure reported is microseconds per
API call: the loop's total time divided by the number of calls (``2n``, or ``n`` for C).
The ``crypto`` target times the same iterations done by ``cryptography`` alone (no API), so
``floor + crypto`` is the least any backend behind botocore could take.
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
    # Why the target could not run the workload (e.g. an operation it does not support).
    error: str | None = None

    @property
    def best_us(self) -> float | None:
        return min(self.runs_us) if self.runs_us else None


def measure(target: str, workload_name: str, n: int, warmup: int, seed: int | None) -> float:
    """One run in this process; microseconds per API call."""
    workload = WORKLOADS[workload_name]
    if target == "crypto":
        workload.crypto(warmup)
        seconds = workload.crypto(n)
        return seconds / (n * workload.calls_per_iteration) * 1e6
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


def iterations(workload: str, n: int | None) -> int:
    """``--n`` when given, else the workload's own default (2000 for A and B, 200 for C, D)."""
    return n if n is not None else WORKLOADS[workload].default_n


def run_all(
    workloads: list[str],
    targets: list[str],
    n: int | None,
    repeat: int,
    warmup: int,
    seed: int | None,
    progress: bool = True,
) -> dict[tuple[str, str], Result]:
    results = {(w, t): Result(w, t, iterations(w, n)) for w in workloads for t in targets}
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
                result = results[(w, t)]
                if result.error is not None:
                    if progress:
                        print(" skipped (failed before)", file=sys.stderr, flush=True)
                    continue
                try:
                    us = _spawn(t, w, iterations(w, n), warmup, seed)
                except RuntimeError as exc:
                    # One target failing a workload (say, a key spec it does not support)
                    # must not lose the other figures: the table shows "failed".
                    result.error = str(exc).strip().splitlines()[-1]
                    if progress:
                        print(f" failed: {result.error}", file=sys.stderr, flush=True)
                    continue
                result.runs_us.append(us)
                if progress:
                    print(f" {us:.1f} us/call", file=sys.stderr, flush=True)
    return results


def render(
    results: dict[tuple[str, str], Result],
    workloads: list[str],
    n: int | None,
    repeat: int,
    seed: int | None = 7,
) -> str:
    def best(w: str, t: str) -> float | None:
        r = results.get((w, t))
        return r.best_us if r else None

    def fmt(v: float | None, w: str = "", t: str = "") -> str:
        if v is not None:
            return f"{v:.1f}"
        r = results.get((w, t))
        return "failed" if r is not None and r.error is not None else "skipped"

    headers = [
        "workload",
        "N",
        "floor us",
        "crypto us",
        "floor+crypto us",
        "simulator us",
        "moto us",
        "sim/floor",
        "sim/(floor+crypto)",
        "moto/floor",
        "sim/moto",
    ]
    rows = []
    for w in workloads:
        f, c, s, m = best(w, "floor"), best(w, "crypto"), best(w, "simulator"), best(w, "moto")
        fc = f + c if f is not None and c is not None else None
        rows.append(
            [
                f"{w}: {WORKLOADS[w].title}",
                str(iterations(w, n)),
                fmt(f, w, "floor"),
                fmt(c, w, "crypto"),
                fmt(fc),
                fmt(s, w, "simulator"),
                fmt(m, w, "moto"),
                report.ratio(s, f),
                report.ratio(s, fc),
                report.ratio(m, f),
                report.ratio(s, m),
            ]
        )
    lines = [
        f"KMS per-call cost: microseconds per API call, best of {repeat} runs of N iterations "
        "(2 calls each; 1 for C); simulator "
        + (f"Cloud(seed={seed})" if seed is not None else "Cloud() unseeded"),
        "",
        report.table(headers, rows),
        "",
    ]
    for w in workloads:
        f, c, s = best(w, "floor"), best(w, "crypto"), best(w, "simulator")
        fc = f + c if f is not None and c is not None else None
        lines.append(
            f"target simulator <= {report.TARGET_RATIO}x, workload {w}: "
            f"vs floor {report.verdict(s, f)} ({report.ratio(s, f)}), "
            f"vs floor + crypto {report.verdict(s, fc)} ({report.ratio(s, fc)})"
        )
    failures = [r for r in results.values() if r.error is not None]
    if failures:
        lines.append("")
        lines.extend(f"{r.target} failed workload {r.workload}: {r.error}" for r in failures)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.kms_roundtrip",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--n", type=int, help="iterations per run (default: 2000 for A and B, 200 for C and D)"
    )
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
        workload = (args.workload or ["A"])[0]
        us = measure(args.worker, workload, iterations(workload, args.n), args.warmup, seed)
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
    print(render(results, workloads, args.n, args.repeat, seed))
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
