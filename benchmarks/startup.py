"""Process startup: from ``python -c`` to the first answered KMS call, in fresh interpreters.

    python -m benchmarks.startup              # best of 5 per target
    python -m benchmarks.startup --repeat 10

Each target's child does what a learner's first cell does, and nothing else:

- ``python``: an empty interpreter (``pass``), for reference only;
- ``floor``: import botocore, create a KMS client with the canned ``before-send`` handler,
  call CreateKey once;
- ``simulator``: ``import simulator``, ``Cloud()``, ``cloud.client("kms")``, CreateKey;
- ``moto``: import moto, enter ``mock_aws()``, create a botocore KMS client, CreateKey.

The parent times each child from spawn to exit with ``time.perf_counter`` (that is the figure
compared); the child also reports its own phases (imports, setup, first call) to show where
the time goes. One untimed run per target first fills the bytecode and OS file caches.
Rounds are interleaved (each target once per round) and each target keeps its fastest run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from benchmarks import report
from benchmarks.targets import MOTO_CREDENTIALS, moto_available

ROOT = Path(__file__).resolve().parent.parent

# Each child prints one JSON line of phase durations in seconds.
_PRELUDE = "from time import perf_counter as _pc\n_t0 = _pc()\n"
CHILDREN: dict[str, str] = {
    "python": "pass",
    "floor": _PRELUDE
    + textwrap.dedent("""
        from benchmarks.floor import floor_client
        _t1 = _pc()
        client = floor_client()
        _t2 = _pc()
        client.create_key(Description="bench")
        _t3 = _pc()
        import json
        print(json.dumps({"imports": _t1 - _t0, "setup": _t2 - _t1, "first call": _t3 - _t2}))
    """),
    "simulator": _PRELUDE
    + textwrap.dedent("""
        from simulator import Cloud
        _t1 = _pc()
        cloud = Cloud()
        client = cloud.client("kms", region_name="us-east-1")
        _t2 = _pc()
        client.create_key(Description="bench")
        _t3 = _pc()
        import json
        print(json.dumps({"imports": _t1 - _t0, "setup": _t2 - _t1, "first call": _t3 - _t2}))
    """),
    "moto": _PRELUDE
    + textwrap.dedent(f"""
        import os
        os.environ.update({MOTO_CREDENTIALS!r})
        import botocore.session
        from moto import mock_aws
        _t1 = _pc()
        with mock_aws():
            client = botocore.session.Session().create_client(
                "kms", region_name="us-east-1",
                aws_access_key_id="testing", aws_secret_access_key="testing")
            _t2 = _pc()
            client.create_key(Description="bench")
            _t3 = _pc()
        import json
        print(json.dumps({{"imports": _t1 - _t0, "setup": _t2 - _t1, "first call": _t3 - _t2}}))
    """),
}
PHASES = ("imports", "setup", "first call")


def run_child(name: str) -> tuple[float, dict[str, float]]:
    from time import perf_counter

    cmd = [sys.executable, "-c", CHILDREN[name]]
    start = perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"startup child {name!r} failed:\n{proc.stderr}")
    lines = proc.stdout.strip().splitlines()
    phases = json.loads(lines[-1]) if lines else {}
    return wall, phases


def measure(
    targets: list[str], repeat: int, progress: bool = True
) -> dict[str, tuple[float, dict[str, float]]]:
    """Best (wall seconds, phases of that run) per target."""
    for name in targets:
        run_child(name)  # untimed: bytecode caches, OS page cache
    best: dict[str, tuple[float, dict[str, float]]] = {}
    for rep in range(1, repeat + 1):
        for name in targets:
            wall, phases = run_child(name)
            if progress:
                print(
                    f"  startup round {rep}/{repeat}: {name} {wall:.3f} s",
                    file=sys.stderr,
                    flush=True,
                )
            if name not in best or wall < best[name][0]:
                best[name] = (wall, phases)
    return best


def render(best: dict[str, tuple[float, dict[str, float]]], repeat: int) -> str:
    floor = best.get("floor", (None, {}))[0]
    headers = ["process", "wall s", "vs floor", *(f"{p} s" for p in PHASES), "rest s"]
    rows = []
    for name, (wall, phases) in best.items():
        # rest = what the child's own clock cannot see: interpreter start and shutdown.
        rest = wall - sum(phases.values())
        rows.append(
            [
                name,
                f"{wall:.3f}",
                report.ratio(wall, floor),
                *(f"{phases[p]:.3f}" if p in phases else "-" for p in PHASES),
                f"{rest:.3f}",
            ]
        )
    sim = best.get("simulator", (None, {}))[0]
    return "\n".join(
        [
            f"Startup: fresh process to first answered call, best of {repeat} "
            "(wall = spawn to exit, measured by the parent; phases measured inside the child;",
            " rest = wall minus the phases: interpreter start-up, site imports and shutdown)",
            "",
            report.table(headers, rows),
            "",
            f"target simulator startup <= {report.TARGET_RATIO}x floor: "
            f"{report.verdict(sim, floor)} ({report.ratio(sim, floor)})",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.startup",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--repeat", type=int, default=5, help="timed runs per target; best kept")
    p.add_argument(
        "--target",
        choices=list(CHILDREN),
        action="append",
        help="only this process (may repeat; default: all)",
    )
    args = p.parse_args(argv)
    targets = args.target or list(CHILDREN)
    if "moto" in targets and not moto_available():
        print("note: moto is not installed (pip install -e '.[bench]'); skipping it.")
        targets.remove("moto")
    print(report.machine())
    best = measure(targets, args.repeat)
    print()
    print(render(best, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
