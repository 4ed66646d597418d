"""A long fuzzing run (hypothesis) of the parser and the decoders: the checks of
tests/test_fuzz_parser.py, with many more examples and fresh random seeds.

    .venv/bin/python bench/fuzz.py [--examples 20000] [--minutes N] [--seed S]

Prints, per check and in total: examples run, failures found (with the shrunk failing input),
and the slowest input with its time. Exits 1 when a check failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from tests.test_fuzz_parser import CHECKS  # noqa: E402


class _OutOfTime(Exception):
    pass


def run_check(name, check, strategy, examples: int, stop_at: float, rng_seed: int) -> dict:
    stats = {"name": name, "examples": 0, "slowest": 0.0, "slowest_input": None, "failure": None}

    def timed(value):
        if time.monotonic() > stop_at:
            raise _OutOfTime
        stats["examples"] += 1
        started = time.perf_counter()
        try:
            check(value)
        finally:
            took = time.perf_counter() - started
            if took > stats["slowest"]:
                stats["slowest"], stats["slowest_input"] = took, value

    test = seed(rng_seed)(
        settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )(given(strategy)(timed))
    )
    try:
        test()
    except _OutOfTime:
        pass
    except Exception:  # a failure found is what this run reports
        stats["failure"] = traceback.format_exc(limit=-6)
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="in all, over every check")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng_seed = args.seed if args.seed is not None else random.randrange(2**32)
    per_check = max(1, args.examples // len(CHECKS))
    started = time.monotonic()
    stop_at = started + args.minutes * 60 if args.minutes else float("inf")
    print(f"seed {rng_seed}, {per_check} examples per check, {len(CHECKS)} checks", flush=True)
    for check, _strategy in CHECKS.values():  # load the data files before timing anything
        check(b"van ban" if check.__name__ == "check_decode_text" else "Số: 1/UBND-VP\n")
    results = []
    for name, (check, strategy) in CHECKS.items():
        if args.minutes:  # share what is left of the time among the checks still to run
            left = len(CHECKS) - len(results)
            check_stop = time.monotonic() + (stop_at - time.monotonic()) / left
            examples = 10**9
        else:
            check_stop, examples = float("inf"), per_check
        stats = run_check(name, check, strategy, examples, check_stop, rng_seed)
        results.append(stats)
        print(
            f"  {name:34} {stats['examples']:7d} examples  "
            f"{'FAILED' if stats['failure'] else 'ok':6}  "
            f"slowest {stats['slowest'] * 1000:7.1f} ms",
            flush=True,
        )
    total = sum(r["examples"] for r in results)
    failures = [r for r in results if r["failure"]]
    slowest = max(results, key=lambda r: r["slowest"])
    shown = repr(slowest["slowest_input"])
    print(f"examples run: {total} in {time.monotonic() - started:.0f} s")
    print(f"failures found: {len(failures)}")
    print(
        f"slowest input: {slowest['slowest'] * 1000:.1f} ms ({slowest['name']}): "
        f"{shown[:200]}{'…' if len(shown) > 200 else ''} ({len(shown)} chars)"
    )
    for r in failures:
        print(f"\n--- {r['name']} ---\n{r['failure']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
