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


def run_check(name, check, strategy, examples: int, rng_seed: int, stats: dict | None = None):
    """Run `examples` examples of one check; adds to `stats` (examples, slowest, failure)."""
    stats = stats or {"name": name, "examples": 0, "slowest": 0.0, "slowest_input": None}
    stats.setdefault("failure", None)

    def timed(value):
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
    plan = f"{args.minutes:g} minutes" if args.minutes else f"{per_check} examples per check"
    print(f"seed {rng_seed}, {plan}, {len(CHECKS)} checks", flush=True)
    for check, _strategy in CHECKS.values():  # load the data files before timing anything
        check(b"van ban" if check.__name__ == "check_decode_text" else "Số: 1/UBND-VP\n")
    results = {name: None for name in CHECKS}
    if args.minutes:  # rounds of fresh examples for every check until the time is up
        batch, round_ = 300, 0
        while time.monotonic() < stop_at:
            for name, (check, strategy) in CHECKS.items():
                if results[name] is None or not results[name]["failure"]:
                    results[name] = run_check(
                        name, check, strategy, batch, rng_seed + round_, results[name]
                    )
            round_ += 1
    else:
        for name, (check, strategy) in CHECKS.items():
            results[name] = run_check(name, check, strategy, per_check, rng_seed)
    results = list(results.values())
    for stats in results:
        print(
            f"  {stats['name']:34} {stats['examples']:7d} examples  "
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
        f"{shown[:200]}{'…' if len(shown) > 200 else ''} ({len(slowest['slowest_input'])} long)"
    )
    for r in failures:
        print(f"\n--- {r['name']} ---\n{r['failure']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
