"""Benchmarks of the generated project; every figure is a ratio against a baseline measured in
the same run, on the same machine.

    python3 -m benchmarks.bench            # full run (~10 minutes): writes docs/benchmarks.md
    python3 -m benchmarks.bench --quick    # smoke run: small sizes, checks the script works

It bakes the variants it needs into a temporary folder and runs every measurement in the
template tests' shared Python 3.13 environment (.cache/envs/), each in fresh processes. The
chart of the concurrency measurement (matplotlib, of the template's dev group) goes beside the
report, as concurrency.png.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tests.baking import UV, bake, environment_requirements, shared_environment

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROBES = HERE / "probes.py"
PACKAGE = "order_events"

FLOOR_MODULE = """\
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
"""
# A handler as the Powertools docs write it: Logger and Tracer decorators, Tracer patching all.
DOCS_TRACING_MODULE = """\
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

processor = BatchProcessor(event_type=EventType.SQS)
tracer = Tracer()
logger = Logger()


@tracer.capture_method
def record_handler(record: SQSRecord):
    return record.body


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
"""


@dataclass(frozen=True)
class Sizes:
    import_repeats: int
    records: int
    record_repeats: int
    drain_messages: tuple[int, ...]
    package_sizes: tuple[str, ...]
    # concurrency=async: records of the I/O-bound batch, each waiting io_delay seconds
    io_records: int
    io_delay: float
    io_limits: tuple[int, ...]
    io_repeats: int
    cpu_rounds: int  # fresh sequential and async processes, in turns, for the CPU-only cost
    fifo_groups: int
    fifo_per_group: int
    memory_records: int
    # The smoke run's figures mean nothing: its concurrency probes run side by side, and the chart's
    # matplotlib is imported while the cold imports are measured, to be quick.
    side_by_side: bool = False


FULL = Sizes(
    import_repeats=11,
    records=10_000,
    record_repeats=5,
    drain_messages=(1000, 100),
    package_sizes=("pydantic", "jsonschema"),
    io_records=100,
    io_delay=0.02,
    io_limits=(1, 2, 5, 10, 20, 50, 100),
    io_repeats=5,
    cpu_rounds=5,
    fifo_groups=10,
    fifo_per_group=10,
    memory_records=10_000,
)
QUICK = Sizes(
    import_repeats=3,
    records=300,
    record_repeats=1,
    drain_messages=(30,),
    package_sizes=("jsonschema",),
    io_records=20,
    io_delay=0.005,
    io_limits=(10,),
    io_repeats=1,
    cpu_rounds=1,
    fifo_groups=3,
    fifo_per_group=3,
    memory_records=300,
    side_by_side=True,
)
# The generated function's default CONCURRENCY_LIMIT (template.yaml), for the measurements that
# do not vary it.
DEFAULT_LIMIT = 10


def lambda_like_environment(*paths: Path) -> dict[str, str]:
    """What Lambda sets, plus template.yaml's settings; Tracer is enabled as it is in Lambda."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "POWERTOOLS_"))}
    return environment | {
        "PYTHONPATH": os.pathsep.join(str(path) for path in paths),
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        # Powertools enables Tracer only where Lambda's task root is set.
        "LAMBDA_TASK_ROOT": str(paths[0]),
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "POWERTOOLS_SERVICE_NAME": "order-events",
        "POWERTOOLS_METRICS_NAMESPACE": "order-events",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def probe(env: Path, cwd: Path, environment: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [str(env / "bin" / "python"), str(PROBES), *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"probe {arguments} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def cold_imports(env: Path, projects: dict[str, Path], scratch: Path, repeats: int) -> dict[str, float]:
    """Median import seconds of each handler module in fresh interpreters, taken in turns."""
    (scratch / "floor_handler.py").write_text(FLOOR_MODULE)
    (scratch / "docs_tracing_handler.py").write_text(DOCS_TRACING_MODULE)
    modules = {"floor": (scratch, "floor_handler"), "docs_tracing": (scratch, "docs_tracing_handler")}
    modules |= {name: (project / "src", f"{PACKAGE}.handler") for name, project in projects.items()}
    timings: dict[str, list[float]] = {name: [] for name in modules}
    for _ in range(repeats):
        for name, (path, module) in modules.items():
            timings[name].append(float(probe(env, path, lambda_like_environment(path), "import", module)))
    return {name: statistics.median(values) for name, values in timings.items()}


def per_record(env: Path, project: Path, validation: str, sizes: Sizes, failure_rate: float) -> dict[str, float]:
    environment = lambda_like_environment(project / "src", project) | {"POWERTOOLS_TRACE_DISABLED": "true"}
    arguments = ("records", str(sizes.records), str(failure_rate), validation, PACKAGE, str(sizes.record_repeats))
    result: dict[str, float] = json.loads(probe(env, project, environment, *arguments))
    return result


def drain(env: Path, project: Path, messages: int) -> dict[str, float]:
    environment = lambda_like_environment(project / "src", project) | {"POWERTOOLS_TRACE_DISABLED": "true"}
    result: dict[str, float] = json.loads(probe(env, project, environment, "drain", str(messages), PACKAGE))
    return result


def concurrency_environment(project: Path, limit: int = DEFAULT_LIMIT) -> dict[str, str]:
    """The Lambda-like environment with tracing off, and the concurrency limit the IaC would set
    (read by the async processor at import; the sequential one ignores it)."""
    return lambda_like_environment(project / "src", project) | {
        "POWERTOOLS_TRACE_DISABLED": "true",
        "CONCURRENCY_LIMIT": str(limit),
    }


def delayed(env: Path, project: Path, mode: str, sizes: Sizes, groups: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """Median seconds of the generated handler on a batch whose records each wait io_delay."""
    count = groups * sizes.fifo_per_group if groups else sizes.io_records
    arguments = ("io", str(count), str(groups), str(sizes.io_delay), mode, PACKAGE, str(sizes.io_repeats))
    result: dict = json.loads(probe(env, project, concurrency_environment(project, limit), *arguments))
    return result


def per_record_pydantic(env: Path, project: Path, sizes: Sizes) -> dict[str, float]:
    """The per-record probe (generated handler and bare loop) at 1% failing, the limit the IaC sets."""
    arguments = ("records", str(sizes.records), "0.01", "pydantic", PACKAGE, str(sizes.record_repeats))
    result: dict[str, float] = json.loads(probe(env, project, concurrency_environment(project), *arguments))
    return result


def peak_memory(env: Path, project: Path, mode: str, sizes: Sizes) -> dict:
    arguments = ("memory", str(sizes.memory_records), mode, PACKAGE)
    result: dict = json.loads(probe(env, project, concurrency_environment(project), *arguments))
    return result


def draw_concurrency(io: dict, sizes: Sizes, path: Path) -> None:
    """Batch wall time against the concurrency limit, beside the sequential time and the ideal."""
    from matplotlib.figure import Figure  # no pyplot: no display, no global state, a file only
    from matplotlib.ticker import NullFormatter

    limits = sorted(io["limits"])
    delay_ms = sizes.io_delay * 1000
    every = [*range(1, max(limits) + 1), max(limits) * 1.2]  # the last step drawn a little wide
    figure = Figure(figsize=(7.5, 4.5), dpi=110)
    axes = figure.subplots()
    axes.step(
        every,
        [math.ceil(sizes.io_records / limit) * delay_ms for limit in every],
        where="post",
        linestyle="--",
        color="tab:gray",
        label=f"ideal: ceil({sizes.io_records} / limit) x {delay_ms:g} ms",
    )
    axes.plot(
        limits,
        [io["limits"][limit]["seconds"] * 1000 for limit in limits],
        "o-",
        color="tab:blue",
        label="async: ConcurrentBatchProcessor, asyncio.sleep",
    )
    axes.axhline(
        io["sequential"]["seconds"] * 1000,
        color="tab:red",
        linestyle=":",
        label="sequential: BatchProcessor, time.sleep",
    )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xticks(limits, [str(limit) for limit in limits])
    low, high = axes.get_ylim()
    ticks = [tick for tick in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if low <= tick <= high]
    axes.set_yticks(ticks, [f"{tick:g}" for tick in ticks])
    axes.yaxis.set_minor_formatter(NullFormatter())
    axes.set_xlabel("concurrency limit (records run at once)")
    axes.set_ylabel("batch wall time, ms (log)")
    axes.set_title(f"{sizes.io_records}-record SQS batch, {delay_ms:g} ms of I/O per record (median)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})


def deployment_size(project: Path, scratch: Path) -> tuple[float, float]:
    """MB installed and MB zipped of what `sam build` would package for arm64 / Python 3.13: the
    wheels for that platform, unpacked with no bytecode (as `sam build` ships them), and the code."""
    target = scratch / f"package-{project.parent.name}"
    install = [UV, "pip", "install", "--quiet", "--target", str(target), "--no-compile"]
    platform_flags = [
        "--python-platform",
        "aarch64-manylinux2014",
        "--python-version",
        "3.13",
        "--only-binary",
        ":all:",
    ]
    subprocess.run(
        [*install, *platform_flags, "-r", str(project / "src" / "requirements.txt")], check=True, capture_output=True
    )
    shutil.copytree(project / "src" / PACKAGE, target / PACKAGE)
    installed = sum(path.stat().st_size for path in target.rglob("*") if path.is_file())
    archive = scratch / f"{target.name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in target.rglob("*"):
            if path.is_file():
                bundle.write(path, path.relative_to(target))
    return installed / 1e6, archive.stat().st_size / 1e6


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or platform.machine(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.machine()
    )
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}"


def report(results: dict[str, object], sizes: Sizes, quick: bool) -> str:
    imports: dict[str, float] = results["imports"]  # type: ignore[assignment]
    floor, docs = imports["floor"], imports["docs_tracing"]
    lines = [
        f"Measured {datetime.date.today().isoformat()} with `python3 -m benchmarks.bench{' --quick' if quick else ''}`"
        f" on {machine()}; Python 3.13, the template's shared environment. Every ratio divides by a"
        " baseline measured in the same run. Medians.",
        "",
        f"### Cold import of the handler module ({sizes.import_repeats} fresh interpreters each, start-up excluded)",
        "",
        "| module | ms | vs floor | vs docs-style handler with Tracer |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, seconds in imports.items():
        lines.append(f"| {name} | {seconds * 1000:.0f} | {seconds / floor:.2f}x | {seconds / docs:.2f}x |")
    lines += [
        "",
        "`floor` imports only `BatchProcessor`, `EventType` and `process_partial_response`;"
        " `docs_tracing` is a handler written as the Powertools docs show it (Logger and Tracer"
        " decorators, Tracer patching every library). Targets: <= 1.3x the floor with tracing off;"
        " <= 0.6x the docs-style handler with tracing on.",
        "",
        f"### Per-record cost ({sizes.records:,}-record SQS batch through the generated handler)",
        "",
        "| variant | failing | handler ms | bare loop ms | ratio | µs per record |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["records"]:  # type: ignore[attr-defined]
        lines.append(
            f"| {row['variant']} | {row['rate']:.0%} | {row['handler'] * 1000:.1f} | {row['bare'] * 1000:.1f} |"
            f" {row['handler'] / row['bare']:.2f}x | {row['handler'] / sizes.records * 1e6:.1f} |"
        )
    lines += [
        "",
        "The bare loop does the same parsing, validation and business rule and builds the same"
        " `batchItemFailures` (checked equal), with no batch utility, logs or metrics. Target <= 1.4x.",
        "",
        "### Poller drain (moto server on 127.0.0.1, trivial record handler)",
        "",
        "| messages | loop | seconds | messages/s | poller's rate vs it |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for count, drained in results["drain"].items():  # type: ignore[attr-defined]
        for name, seconds in drained.items():
            lines.append(
                f"| {count:,} | {name} | {seconds:.2f} | {count / seconds:.0f} | {seconds / drained['poller']:.2f}x |"
            )
    lines += [
        "",
        "`raw_batched`: receive(10) + delete_message_batch(10), no processing (the API's own limit)."
        " `naive`: receive one, delete one. Targets: poller >= 0.8x the raw rate, >= 5x the naive one.",
        "",
        "### Deployment size (`uv pip install --target` for arm64, Python 3.13, no bytecode, plus the package)",
        "",
        "| validation | installed MB | zipped MB |",
        "| --- | ---: | ---: |",
    ]
    for validation, (installed, zipped) in results["sizes"].items():  # type: ignore[attr-defined]
        lines.append(f"| {validation} | {installed:.1f} | {zipped:.1f} |")
    lines += concurrency_report(results["concurrency"], sizes)  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


CHART = "concurrency.png"  # written beside the report


def concurrency_report(results: dict, sizes: Sizes) -> list[str]:
    """The tables of the concurrency=async measurements."""
    io, delay_ms = results["io"], sizes.io_delay * 1000
    sequential = io["sequential"]["seconds"]
    lines = [
        "",
        f"### Concurrency: I/O-bound batch ({sizes.io_records}-record SQS batch, {delay_ms:g} ms of I/O per record)",
        "",
        "| processor | ms | x faster than sequential | ideal ms | vs ideal | most records waiting at once |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| sequential | {sequential * 1000:.0f} | 1.00x | {sizes.io_records * delay_ms:.0f} |"
        f" {sequential / sizes.io_records / sizes.io_delay:.2f}x | {io['sequential']['most_at_once']} |",
    ]
    for limit, measured in io["limits"].items():
        ideal = math.ceil(sizes.io_records / limit) * sizes.io_delay
        lines.append(
            f"| async, limit {limit} | {measured['seconds'] * 1000:.0f} | {sequential / measured['seconds']:.1f}x |"
            f" {ideal * 1000:.0f} | {measured['seconds'] / ideal:.2f}x | {measured['most_at_once']} |"
        )
    lines += [
        "",
        f"![Batch wall time against the concurrency limit, beside the sequential time and the ideal]({CHART})",
        "",
        "The generated handler, end to end; each record waits after the business rule, in the"
        " async project's `confirm()` (`await asyncio.sleep`), in the sequential one after"
        " `fulfil_order` (`time.sleep`). Ideal: ceil(records / limit) waits one after another."
        " One fresh process per row, a warm-up batch of one record first. Targets, limit 10:"
        " >= 8x faster than sequential, <= 1.3x the ideal.",
    ]
    cpu = results["cpu"]
    seq_ms, async_ms = cpu["sequential"]["handler"] * 1000, cpu["async"]["handler"] * 1000
    per_record = 1000 / sizes.records  # µs per record of one ms of the batch
    lines += [
        "",
        f"### Concurrency: CPU-only cost ({sizes.records:,}-record SQS batch, 1% failing, pydantic, no I/O)",
        "",
        "| processor | handler ms | µs per record | vs sequential | vs bare loop |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, label in (("sequential", "sequential"), ("async", f"async, limit {DEFAULT_LIMIT}")):
        handler_ms = cpu[name]["handler"] * 1000
        lines.append(
            f"| {label} | {handler_ms:.1f} | {handler_ms * per_record:.1f} | {handler_ms / seq_ms:.2f}x |"
            f" {cpu[name]['handler'] / cpu[name]['bare']:.2f}x |"
        )
    lines += [
        "",
        "The generated record handler as it is: parse, validate, the business rule and, async, the"
        " example's `confirm()`, which stands for the I/O and returns at once (no pass through the"
        f" event loop). Fresh processes in turns, {sizes.cpu_rounds} of each, {sizes.record_repeats}"
        f" batch(es) in each. The async processor costs {(async_ms - seq_ms) * per_record:+.1f} µs per"
        " record. Target <= 1.3x.",
    ]
    fifo = results["fifo"]
    ideal = math.ceil(sizes.fifo_groups / DEFAULT_LIMIT) * sizes.fifo_per_group * sizes.io_delay
    lines += [
        "",
        f"### Concurrency: FIFO message groups ({sizes.fifo_groups} groups of {sizes.fifo_per_group}"
        f" records, interleaved; {delay_ms:g} ms of I/O per record; on_first_failure=continue)",
        "",
        "| processor | ms | ideal ms | vs ideal | x faster than sequential | most records waiting at once |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in (("sequential", "sequential FIFO"), ("async", f"async FIFO, limit {DEFAULT_LIMIT}")):
        seconds = fifo[name]["seconds"]
        lines.append(
            f"| {label} | {seconds * 1000:.0f} | {ideal * 1000:.0f} | {seconds / ideal:.2f}x |"
            f" {fifo['sequential']['seconds'] / seconds:.1f}x | {fifo[name]['most_at_once']} |"
        )
    lines += [
        "",
        "Ideal: each group's records one after another, the groups side by side (ceil(groups / limit)"
        " x records per group x the wait). The probe checks that each group's records began in the"
        " order they came. Sequential is `SqsFifoPartialProcessor(skip_group_on_error=True)`.",
    ]
    memory = results["memory"]
    lines += [
        "",
        f"### Concurrency: peak memory ({sizes.memory_records:,}-record Kinesis batch, 1% failing,"
        " on_first_failure=continue)",
        "",
        "| processor | RSS before the batch MB | peak RSS MB | vs sequential | batch's growth MB | ru_maxrss MB |"
        " seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in (
        ("sequential", "sequential"),
        ("async", f"async, limit {DEFAULT_LIMIT}"),
        ("unbounded", "unbounded AsyncBatchProcessor"),
    ):
        measured = memory[name]
        lines.append(
            f"| {label} | {measured['before']:.1f} | {measured['peak']:.1f} |"
            f" {measured['peak'] / memory['sequential']['peak']:.2f}x | {measured['peak'] - measured['before']:.1f} |"
            f" {measured['ru_maxrss']:.1f} | {measured['seconds']:.2f} |"
        )
    lines += [
        "",
        "One batch through the generated handler in a fresh process: its RSS once the imports and the"
        " event are in memory, then its peak RSS while the batch runs (`VmHWM`, reset to the RSS just"
        " before). `ru_maxrss` is shown beside it: Linux carries a parent's peak RSS into its"
        " children's `ru_maxrss`, so where the batch's peak is below the benchmark script's own, it"
        " reads the script's. `unbounded`: the same async record handler through Powertools' own"
        " `AsyncBatchProcessor`, which starts a task for every record at once (for contrast). Target:"
        " the async processor's peak flat against the sequential one.",
    ]
    warned = sorted(
        {
            f"{label}: {warning}"
            for label, runs in (
                ("I/O-bound", [io["sequential"], *io["limits"].values()]),
                ("FIFO", fifo.values()),
                ("memory, sequential", [memory["sequential"]]),
                ("memory, async", [memory["async"]]),
                ("memory, unbounded", [memory["unbounded"]]),
            )
            for run in runs
            for warning in run["warnings"]
        }
    )
    if warned:
        lines += ["", "Warnings raised during the batches: " + "; ".join(f"`{warning}`" for warning in warned) + "."]
    return lines


def bake_concurrency(scratch: Path) -> dict[tuple[str, str], Path]:
    """The bakes of the concurrency measurements: each source's, sequential and async."""
    answers = {
        "sqs": {"event_source": "sqs"},
        "fifo": {"event_source": "sqs_fifo", "on_first_failure": "continue"},
        "kinesis": {"event_source": "kinesis", "on_first_failure": "continue"},
    }
    return {
        (source, concurrency): bake(scratch / f"concurrency-{source}-{concurrency}", concurrency=concurrency, **given)
        for source, given in answers.items()
        for concurrency in ("sequential", "async")
    }


def measure_concurrency(env: Path, projects: dict[tuple[str, str], Path], sizes: Sizes) -> dict[str, object]:
    """The concurrency=async measurements, each against the sequential bake of the same answers."""
    sqs, fifo, kinesis = (
        {mode: projects[source, mode] for mode in ("sequential", "async")} for source in ("sqs", "fifo", "kinesis")
    )
    # Each job one fresh probe process, in this order (the CPU-only rounds take turns).
    jobs: dict[tuple[object, ...], Callable[[], dict]] = {
        ("io", "sequential"): lambda: delayed(env, sqs["sequential"], "sequential", sizes),
        **{
            ("io", limit): partial(delayed, env, sqs["async"], "async", sizes, limit=limit) for limit in sizes.io_limits
        },
        **{
            ("cpu", mode, round_): partial(per_record_pydantic, env, sqs[mode], sizes)
            for round_ in range(sizes.cpu_rounds)
            for mode in ("sequential", "async")
        },
        **{
            ("fifo", mode): partial(delayed, env, fifo[mode], mode, sizes, groups=sizes.fifo_groups)
            for mode in ("sequential", "async")
        },
        ("memory", "sequential"): lambda: peak_memory(env, kinesis["sequential"], "generated", sizes),
        ("memory", "async"): lambda: peak_memory(env, kinesis["async"], "generated", sizes),
        ("memory", "unbounded"): lambda: peak_memory(env, kinesis["async"], "unbounded", sizes),
    }
    print(f"concurrency ({len(jobs)} probes{', side by side' if sizes.side_by_side else ''})...", flush=True)
    if sizes.side_by_side:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            futures = {key: pool.submit(job) for key, job in jobs.items()}
            done = {key: future.result() for key, future in futures.items()}
    else:
        done = {key: job() for key, job in jobs.items()}
    cpu = {
        mode: {
            figure: statistics.median(done["cpu", mode, round_][figure] for round_ in range(sizes.cpu_rounds))
            for figure in ("handler", "bare")
        }
        for mode in ("sequential", "async")
    }
    return {
        "io": {
            "sequential": done["io", "sequential"],
            "limits": {limit: done["io", limit] for limit in sizes.io_limits},
        },
        "cpu": cpu,
        "fifo": {mode: done["fifo", mode] for mode in ("sequential", "async")},
        "memory": {mode: done["memory", mode] for mode in ("sequential", "async", "unbounded")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the script works")
    parser.add_argument("--output", type=Path, help="where to write the report (default docs/benchmarks.md)")
    arguments = parser.parse_args(argv)
    sizes = QUICK if arguments.quick else FULL
    output = arguments.output or (REPO / "docs" / "benchmarks.md")

    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        variants = {
            "pydantic": {"validation": "pydantic"},
            "jsonschema": {"validation": "jsonschema"},
            "pydantic+tracing": {"validation": "pydantic", "tracing": True},
            "jsonschema+tracing": {"validation": "jsonschema", "tracing": True},
            "poller": {"validation": "jsonschema", "invocation": "scheduled_poll", "batch_style": "context_manager"},
        }
        projects = {name: bake(scratch / name.replace("+", "-"), **answers) for name, answers in variants.items()}
        concurrency_projects = bake_concurrency(scratch)  # every bake first: a template error fails at once
        # The template tests' own environment: it holds every variant's dependencies.
        env = shared_environment("3.13", environment_requirements(scratch / "requirements"))
        if sizes.side_by_side:  # matplotlib takes a second to import: meanwhile, this thread waits on probes
            threading.Thread(target=importlib.import_module, args=("matplotlib.figure",), daemon=True).start()

        print("cold imports...", flush=True)
        imports = cold_imports(
            env, {name: projects[name] for name in list(variants)[:4]}, scratch, sizes.import_repeats
        )
        print("per-record cost...", flush=True)
        records = [
            {"variant": validation, "rate": rate, **per_record(env, projects[validation], validation, sizes, rate)}
            for validation in ("pydantic", "jsonschema")
            for rate in (0.01, 0.5)
        ]
        print("poller drain...", flush=True)
        drained = {count: drain(env, projects["poller"], count) for count in sizes.drain_messages}
        print("deployment sizes...", flush=True)
        package_sizes = {
            validation: deployment_size(projects[validation], scratch) for validation in sizes.package_sizes
        }
        concurrency = measure_concurrency(env, concurrency_projects, sizes)

    text = report(
        {"imports": imports, "records": records, "drain": drained, "sizes": package_sizes, "concurrency": concurrency},
        sizes,
        arguments.quick,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    draw_concurrency(concurrency["io"], sizes, output.parent / CHART)
    output.write_text(with_results(output.read_text() if output.exists() else "", text))
    print(text)
    return 0


# The report replaces what stands between these lines of the output file, and nothing else.
RESULTS_START = "<!-- results: written by benchmarks/bench.py -->\n"
RESULTS_END = "<!-- end of results -->\n"


def with_results(document: str, results: str) -> str:
    """The document with its results part replaced; a document without one gets it at its end."""
    start, end = document.find(RESULTS_START), document.find(RESULTS_END)
    if start == -1 or end < start:
        return f"{document}{RESULTS_START}{results}{RESULTS_END}"
    return f"{document[: start + len(RESULTS_START)]}{results}{document[end:]}"


if __name__ == "__main__":
    sys.exit(main())
