"""One archive run: plan the files (skip the done ones), run them on an engine, dedup, sum up.

    summary = run_archive(job, sources, engine, progress)

A file is done when its manifest carries this job's fingerprint (same cleaner version, format,
language and filters): a rerun skips it, a new cleaner version cleans it again into the same
part name. Dedup runs at the end of every run over all the parts of the job in the folder, so
a run stopped before it still ends with no article twice once a later run finishes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scraper.archive.dedup import losers
from scraper.archive.engines import Engine
from scraper.archive.inputs import part_name
from scraper.archive.job import ArchiveJob, FileResult, FileTask
from scraper.archive.output import OutputFolder
from scraper.archive.progress import Progress
from scraper.archive.summary import ArchiveSummary
from scraper.archive.writers import prune_part


def plan_tasks(job: ArchiveJob, sources: Sequence[str]) -> list[FileTask]:
    """A task for every input, in order (done or not)."""
    return [FileTask(source, part_name(source, job.format), job) for source in sources]


def is_done(manifest: dict[str, Any] | None, job: ArchiveJob) -> bool:
    """Whether a part's manifest says it is final for this job."""
    return bool(
        manifest and manifest.get("done") and manifest.get("fingerprint") == job.fingerprint
    )


def run_archive(
    job: ArchiveJob, sources: Sequence[str], engine: Engine, progress: Progress
) -> ArchiveSummary:
    """Clean every source that is not done yet, dedup the job's parts, and count it all."""
    out = OutputFolder(job.out)
    summary = ArchiveSummary(files=len(sources))
    planned = plan_tasks(job, sources)
    tasks, done = [], []
    for task in planned:
        manifest = out.read_manifest(task.part)
        if is_done(manifest, job):
            done.append(manifest)
        else:
            tasks.append(task)
    summary.already_done = len(done)
    for manifest in done:  # a file that was broken stays broken: it still fails the run
        if manifest and manifest.get("failure"):
            summary.failed[manifest["failure"]] += 1
    progress.planned(len(tasks), len(done))
    fresh = _run(engine, tasks, progress, summary)
    out.remove_temporaries({task.part for task in tasks})
    again = _dedup(job, out, fresh, summary, rows_missing={t.part: t for t in planned})
    if again:  # rows whose winner has gone must come back: clean those files once more
        progress.note(f"{len(again)} files cleaned again: an article they hold lost its twin")
        for result in _run(engine, again, progress, ArchiveSummary()).values():
            fresh[result.part] = result
        _dedup(job, out, fresh, summary, rows_missing={})
    return summary


def _run(
    engine: Engine, tasks: list[FileTask], progress: Progress, summary: ArchiveSummary
) -> dict[str, FileResult]:
    results: dict[str, FileResult] = {}
    if not tasks:
        return results
    for result in engine.run(tasks, progress.records):
        results[result.part] = result
        summary.add(result)
        progress.file_done(result)
    return results


def _dedup(
    job: ArchiveJob,
    out: OutputFolder,
    fresh: dict[str, FileResult],
    summary: ArchiveSummary,
    rows_missing: dict[str, FileTask],
) -> list[FileTask]:
    """Prune every part of the job to its winning rows; the tasks to run again, if any."""
    everything = out.manifests()
    manifests = [m for m in everything if is_done(m, job)]
    others = len(everything) - len(manifests)
    if others and not summary.notes:
        summary.notes.append(
            f"{others} parts in the folder were made by another cleaner version or options "
            "and are left as they are"
        )
    beaten = losers(manifests)
    again: list[FileTask] = []
    for manifest in manifests:
        part = manifest["part"]
        must_go = beaten.get(part, set())
        gone = set(manifest.get("dropped", []))
        if gone - must_go:
            if part in rows_missing:
                again.append(rows_missing[part])
            continue
        extra = must_go - gone
        if not extra:
            continue
        prune_part(out, part, job.format, extra)
        manifest["dropped"] = sorted(must_go)
        out.write_manifest(part, manifest)
        summary.duplicates += len(extra)
        if part in fresh:
            summary.written -= len(extra)
    return again
