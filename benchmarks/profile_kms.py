"""Where the simulator's time goes: cProfile over a KMS workload, split simulator vs botocore.

    python -m benchmarks.profile_kms                     # workload A, N=1000
    python -m benchmarks.profile_kms --workload B --sort tottime --top 40
    python -m benchmarks.profile_kms --startup           # import + Cloud() + first call
    python -m benchmarks.profile_kms --out a.prof        # keep the raw stats (snakeviz, pstats)

Prints three things:

1. the split of the profiled time: inside the simulator (everything under its ``before-send``
   hook, i.e. the backend proper), and outside it (botocore's serializer, signer, event
   system and parser, plus the benchmark loop);
2. self time by area, with standard-library and C functions charged to the nearest caller in
   the project (``simulator/<subpackage>``, ``botocore``, ``cryptography`` ...), so ``json``
   called by the codec counts as the codec's;
3. the top entries by cumulative (or self) time, restricted to ``simulator/`` and to
   ``botocore/``, with paths relative to their package.

cProfile roughly doubles the cost of small Python calls, so read the shares, not the absolute
microseconds; ``benchmarks.kms_roundtrip`` gives the unprofiled figures.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
Func = tuple[str, int, str]  # pstats' key: (filename, line, function name)


def area_of(filename: str) -> str | None:
    """The project area a file belongs to, or None for the standard library and builtins."""
    path = filename.replace("\\", "/")
    if "/site-packages/" in path:
        top = path.split("/site-packages/", 1)[1].split("/", 1)[0]
        return top.removesuffix(".py")
    simulator = str(ROOT / "simulator").replace("\\", "/") + "/"
    if path.startswith(simulator):
        rest = path[len(simulator) :]
        sub = rest.split("/", 2)
        if sub[0] == "services" and len(sub) > 2:
            return f"simulator/services/{sub[1]}"
        return "simulator/" + (sub[0] if len(sub) > 1 else sub[0].removesuffix(".py"))
    benchmarks = str(ROOT / "benchmarks").replace("\\", "/") + "/"
    if path.startswith(benchmarks):
        return "benchmarks (harness)"
    return None


def short(func: Func) -> str:
    filename, line, name = func
    if filename == "~":
        return name  # a C function, shown as pstats does: <built-in method ...>
    path = filename.replace("\\", "/")
    for marker in ("/site-packages/", str(ROOT).replace("\\", "/") + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = Path(path).name
    return f"{path}:{line}({name})"


class Attribution:
    """Charge each function's self time to project areas, following caller edges upward."""

    def __init__(self, stats: dict[Func, Any]) -> None:
        self._stats = stats
        self._memo: dict[Func, dict[str, float]] = {}

    def shares(self, func: Func, seen: frozenset[Func] = frozenset()) -> dict[str, float]:
        if func in self._memo:
            return self._memo[func]
        area = area_of(func[0])
        if area is not None:
            return {area: 1.0}
        callers = self._stats[func][4]
        if not callers or func in seen:
            return {"python (top level)": 1.0}
        # Weight each caller by the inclusive time it spent calling ``func``.
        weights = {c: edge[3] for c, edge in callers.items()}
        total = sum(weights.values()) or 1.0
        out: dict[str, float] = defaultdict(float)
        for caller, w in weights.items():
            for a, share in self.shares(caller, seen | {func}).items():
                out[a] += share * w / total
        result = dict(out)
        if not seen:
            self._memo[func] = result
        return result

    def self_time_by_area(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for func, (_cc, _nc, tt, _ct, _callers) in self._stats.items():
            for a, share in self.shares(func).items():
                totals[a] += tt * share
        return dict(totals)


def top_entries(stats: dict[Func, Any], prefix: str, key: str, limit: int, total: float) -> str:
    index = 3 if key == "cumulative" else 2
    chosen = [(f, s) for f, s in stats.items() if (area_of(f[0]) or "").startswith(prefix)]
    chosen.sort(key=lambda item: item[1][index], reverse=True)
    rows = []
    for func, (cc, nc, tt, ct, _callers) in chosen[:limit]:
        calls = str(nc) if cc == nc else f"{nc}/{cc}"
        rows.append(
            [
                calls,
                f"{tt:.3f}",
                f"{ct:.3f}",
                f"{100 * ct / total:.1f}%",
                f"{ct / max(nc, 1) * 1e6:.1f}",
                short(func),
            ]
        )
    return report.table(
        ["ncalls", "tottime s", "cumtime s", "cum %", "us/call", "function"], rows, align=">>>>><"
    )


def inclusive(stats: dict[Func, Any], prefix: str) -> tuple[float, str]:
    """Time spent under an area's frames, and its busiest entry point.

    Sums the cumulative time of every call that enters the area from outside it (caller not
    in the area), so nested calls are not counted twice. During a workload the simulator's one
    entry is its before-send hook.
    """

    def inside(func: Func) -> bool:
        return (area_of(func[0]) or "").startswith(prefix)

    total = 0.0
    entries: dict[Func, float] = defaultdict(float)
    for func, (_cc, _nc, _tt, ct, callers) in stats.items():
        if not inside(func):
            continue
        if not callers:
            total += ct
            entries[func] += ct
        for caller, edge in callers.items():
            if not inside(caller):
                total += edge[3]
                entries[func] += edge[3]
    busiest = short(max(entries, key=entries.__getitem__)) if entries else "-"
    return total, busiest


def profile_workload(
    workload_name: str, n: int, warmup: int, seed: int | None
) -> tuple[cProfile.Profile, int, str]:
    from benchmarks.targets import open_target
    from benchmarks.workloads import WORKLOADS, warm_up

    workload = WORKLOADS[workload_name]
    profiler = cProfile.Profile()
    with open_target("simulator", workload, seed=seed) as (client, key_id):
        warm_up(workload, client, key_id, warmup)
        profiler.enable()
        workload.run(client, key_id, n)
        profiler.disable()
    title = f"workload {workload.name} ({workload.title}), N={n}, on the simulator"
    return profiler, n * workload.calls_per_iteration, title


def profile_startup() -> tuple[cProfile.Profile, int, str]:
    if "simulator" in sys.modules or "botocore" in sys.modules:
        raise SystemExit("--startup must run in a fresh interpreter (simulator already imported)")
    profiler = cProfile.Profile()
    profiler.enable()
    from simulator import Cloud

    cloud = Cloud()
    cloud.client("kms", region_name="us-east-1").create_key(Description="bench")
    profiler.disable()
    return profiler, 1, "startup: import simulator, Cloud(), client('kms'), CreateKey"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.profile_kms",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--workload", choices=["A", "B", "C", "D"], default="A")
    p.add_argument(
        "--n", type=int, help="iterations profiled (default: 1000 for A and B, 200 for C and D)"
    )
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--top", type=int, default=25, help="entries per list")
    p.add_argument("--sort", choices=["cumulative", "tottime"], default="cumulative")
    p.add_argument(
        "--scope",
        choices=["simulator", "botocore", "both"],
        default="both",
        help="which package's entries to list",
    )
    p.add_argument(
        "--startup",
        action="store_true",
        help="profile import + Cloud() + first call instead of a workload",
    )
    p.add_argument("--unseeded", action="store_true", help="Cloud() instead of Cloud(seed=7)")
    p.add_argument("--out", type=Path, help="also dump the raw stats here (pstats format)")
    args = p.parse_args(argv)

    if args.startup:
        profiler, calls, title = profile_startup()
    else:
        n = args.n if args.n is not None else (1000 if args.workload in "AB" else 200)
        profiler, calls, title = profile_workload(
            args.workload, n, args.warmup, None if args.unseeded else 7
        )
    if args.out:
        profiler.dump_stats(args.out)
    ps = pstats.Stats(profiler)
    stats: dict[Func, Any] = ps.stats  # type: ignore[attr-defined]
    # The outermost frame's cumulative time can exceed the summed self times by rounding.
    total: float = max(ps.total_tt, *(s[3] for s in stats.values()))  # type: ignore[attr-defined]

    sim, entry = inclusive(stats, "simulator")
    print(f"cProfile of {title}")
    per_call = f" = {total / calls * 1e6:.1f} us per API call" if calls > 1 else ""
    print(
        f"profiled time {total:.3f} s{per_call} "
        "(inflated by the profiler: compare shares, not absolutes)"
    )
    print()
    if not args.startup:
        # At startup imports nest through importlib's frames, so entries into simulator/ would
        # be counted more than once; the self-time split below is the view to use there.
        print(
            report.table(
                ["where", "seconds", "share"],
                [
                    [
                        f"inside simulator/ (entry: {entry})",
                        f"{sim:.3f}",
                        f"{100 * sim / total:.1f}%",
                    ],
                    [
                        "outside: botocore client, harness loop",
                        f"{total - sim:.3f}",
                        f"{100 * (total - sim) / total:.1f}%",
                    ],
                ],
                align="<>>",
            )
        )
        print()
    by_area = sorted(Attribution(stats).self_time_by_area().items(), key=lambda kv: -kv[1])
    print("Self time by area (stdlib and C functions charged to their nearest project caller)")
    print(
        report.table(
            ["area", "seconds", "share"],
            [[a, f"{t:.3f}", f"{100 * t / total:.1f}%"] for a, t in by_area if t >= 0.0005 * total],
            align="<>>",
        )
    )
    scopes = ["simulator", "botocore"] if args.scope == "both" else [args.scope]
    for scope in scopes:
        print()
        print(f"Top {args.top} by {args.sort} time inside {scope}/")
        print(top_entries(stats, scope, args.sort, args.top, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
