"""`make bench`: run every benchmark section in order and print what it measures.

    python -m bench [--only NAME] [--quick]

Sections: aeb, wcxb and realtext (quality and speed beside trafilatura), rules (what each
removal reason costs and gains on every set), text (clean_text speed), memory, poison (hostile
pages: time and memory of each in a fresh process), get, crawl and archive (the shell's,
when present).
`--quick` asks each section for its short form.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
import traceback

SECTIONS = {
    "aeb": "bench.aeb",
    "wcxb": "bench.wcxb",
    "realtext": "bench.realtext",
    "rules": "bench.rule_account",
    "text": "bench.text_bench",
    "memory": "bench.memory_bench",
    "poison": "bench.poison",
    "get": "bench.get_bench",
    "crawl": "bench.crawl_bench",
    "archive": "bench.archive_bench",
}


def run_section(name: str, quick: bool) -> int:
    """Import one section and call its main(); a missing module is skipped, a crash reported."""
    module_name = SECTIONS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        print(f"[{name}] {module_name} is not there yet; skipped")
        return 0
    takes_argv = bool(inspect.signature(module.main).parameters)
    argv = ["--quick"] if quick else []
    if quick and not takes_argv:
        print(f"[{name}] has no quick form; running it in full")
    result = module.main(argv) if takes_argv else module.main()
    return result if isinstance(result, int) else 0


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections; exit 1 when one of them failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), help="run just this section")
    parser.add_argument("--quick", action="store_true", help="short forms: scores only, fewer runs")
    args = parser.parse_args(argv)
    failed = []
    for name in [args.only] if args.only else list(SECTIONS):
        print(f"\n== {name} ==", flush=True)
        start = time.perf_counter()
        try:
            code = run_section(name, args.quick)
        except Exception:  # one broken section must not hide the others' numbers
            traceback.print_exc()
            code = 1
        if code:
            failed.append(name)
        print(f"[{name}] {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        print(f"\nfailed sections: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
