"""Fuzz the cleaners with hostile recipes: they never fail and always return a sound Article.

`make fuzz` runs this for FUZZ_SECONDS (600 by default) on inputs up to ~2 MB, prints the
slowest case, and fails any case whose cleaning takes over FUZZ_CASE_SECONDS of CPU (5; CPU, not
wall time, so that other work on the machine does not count). FUZZ_SEED makes a run repeatable
(batch n draws with seed FUZZ_SEED + n). A plain `make test` runs a few dozen small cases,
reproducibly, and checks no time.
"""

from __future__ import annotations

import faulthandler
import os
import resource
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from cleaners import clean_html, clean_text
from cleaners.pipeline import explain_html
from tests.cleaners.pathological import ENGLISH, VIETNAMESE, Recipe, assert_sound, recipes

FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS") or 0)
FUZZ_CASE_SECONDS = float(os.environ.get("FUZZ_CASE_SECONDS") or 5)
FUZZ_SEED = os.environ.get("FUZZ_SEED")
# A case still running after this is a hang: the process dumps its stack and exits.
HANG_SECONDS = 120
# per process: a test run beside the fuzzing (its few cases) must not overwrite the hung case
LAST_CASE = Path(tempfile.gettempdir()) / f"newsclean-fuzz-case-{os.getpid()}.txt"


@dataclass
class Run:
    """What the fuzzing has seen so far."""

    cases: int = 0
    slowest_cpu: float = 0.0
    slowest_wall: float = 0.0
    slowest: str = ""
    by_cleaner: dict[str, int] = field(default_factory=dict)


def check(run: Run, recipe: Recipe, cleaner: str, as_bytes: bool, language: str | None) -> None:
    """Clean one expanded recipe, check the Article, time it."""
    page = recipe.expand()
    LAST_CASE.write_text(f"{cleaner} bytes={as_bytes} language={language} {recipe!r}\n")
    if FUZZ_SECONDS:
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        if cleaner in {"html", "explain"}:
            data = page.encode("utf-8", "surrogatepass") if as_bytes else page
            front = explain_html if cleaner == "explain" else clean_html
            article = front(data, "https://e.vnexpress.net/news/a-2025.html", language=language)
        else:
            article = clean_text(page, language=language)
    finally:
        if FUZZ_SECONDS:
            faulthandler.cancel_dump_traceback_later()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert_sound(article)
    run.cases += 1
    run.by_cleaner[cleaner] = run.by_cleaner.get(cleaner, 0) + 1
    if cpu > run.slowest_cpu:
        run.slowest_cpu, run.slowest_wall = cpu, wall
        run.slowest = f"{cleaner} ({len(page):,} chars) {recipe!r}"[:600]
    if FUZZ_SECONDS:
        assert cpu < FUZZ_CASE_SECONDS, f"{cpu:.1f} s of CPU ({wall:.1f} s) for {recipe!r}"


def fuzz_batch(
    run: Run, examples: int, scale: int, *, derandomize: bool, with_seed: int | None = None
) -> None:
    """One hypothesis run of `examples` cases, each piece repeated up to `scale` times."""

    chosen = settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        suppress_health_check=list(HealthCheck),
        # a slow case prints small already (a recipe); shrinking one takes many slow runs
        phases=[p for p in Phase if p is not Phase.shrink or derandomize],
    )
    if derandomize:  # the same cases every run: no failures replayed from earlier runs
        chosen = settings(chosen, database=None)

    @chosen
    @given(
        recipe=recipes(scale),
        cleaner=st.sampled_from(["html", "html", "text", "explain"]),
        as_bytes=st.booleans(),
        language=st.sampled_from(["en", None]),
    )
    def one(recipe: Recipe, cleaner: str, as_bytes: bool, language: str | None) -> None:
        check(run, recipe, cleaner, as_bytes, language)

    (seed(with_seed)(one) if with_seed is not None else one)()


def test_cleaners_survive_hostile_inputs() -> None:
    run = Run()
    if not FUZZ_SECONDS:
        fuzz_batch(run, examples=20, scale=2_000, derandomize=True)
        assert run.cases >= 20
        return
    # one-time costs (langdetect's profiles, trafilatura, the marks' class) are not a case's
    clean_html(f"<p>{ENGLISH}</p><p>{VIETNAMESE}</p><p>{ENGLISH} {VIETNAMESE}</p>")
    clean_text("Vie\u0323\u0302t Nam " + ENGLISH)
    started = time.monotonic()
    batch = 0
    while time.monotonic() - started < FUZZ_SECONDS:
        with_seed = int(FUZZ_SEED) + batch if FUZZ_SEED else None
        fuzz_batch(run, examples=25, scale=200_000, derandomize=False, with_seed=with_seed)
        batch += 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nfuzz: {run.cases} cases in {time.monotonic() - started:.0f} s "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(run.by_cleaner.items()))}), "
        f"no exception, every Article sound; peak RSS {peak:.0f} MB\n"
        f"slowest: {run.slowest_cpu:.2f} s CPU ({run.slowest_wall:.2f} s wall), "
        f"limit {FUZZ_CASE_SECONDS:.0f} s: {run.slowest}"
    )
