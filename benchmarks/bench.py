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
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
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
    cpu_rounds=3,
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
    io_limits=(1, 10),
    io_repeats=1,
    cpu_rounds=1,
    fifo_groups=3,
    fifo_per_group=3,
    memory_records=300,
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
    result: dict = json.loads(probe(env, project, concurrency_environment(project, limit), *arguments[1:]))
    return result


def io_bound(env: Path, sequential: Path, concurrent: Path, sizes: Sizes) -> dict[str, object]:
    """The I/O-bound batch through the sequential project, then the async one at each limit."""
    return {
        "sequential": delayed(env, sequential, "sequential", sizes),
        "limits": {limit: delayed(env, concurrent, "async", sizes, limit=limit) for limit in sizes.io_limits},
    }


def cpu_only(env: Path, sequential: Path, concurrent: Path, sizes: Sizes) -> dict[str, dict[str, float]]:
    """The per-record probe (generated handler and bare loop, 1% failing) of both projects, in
    fresh processes taken in turns; the median of each figure over the rounds."""
    runs: dict[str, list[dict[str, float]]] = {"sequential": [], "async": []}
    arguments = ("records", str(sizes.records), "0.01", "pydantic", PACKAGE, str(sizes.record_repeats))
    for _ in range(sizes.cpu_rounds):
        for name, project in (("sequential", sequential), ("async", concurrent)):
            runs[name].append(json.loads(probe(env, project, concurrency_environment(project), *arguments)))
    return {
        name: {key: statistics.median(run[key] for run in values) for key in values[0]} for name, values in runs.items()
    }


def peak_memory(env: Path, project: Path, mode: str, sizes: Sizes) -> dict:
    arguments = ("memory", str(sizes.memory_records), mode, PACKAGE)
    result: dict = json.loads(probe(env, project, concurrency_environment(project), *arguments))
    return result


def draw_concurrency(io: dict, sizes: Sizes, path: Path) -> None:
    """Batch wall time against the concurrency limit, beside the sequential time and the ideal."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file only
    import matplotlib.pyplot as plt

    limits = sorted(io["limits"])
    delay_ms = sizes.io_delay * 1000
    every = range(1, max(limits) + 1)
    figure, axes = plt.subplots(figsize=(7.5, 4.5), dpi=110)
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
    axes.set_xlabel("concurrency limit (records run at once)")
    axes.set_ylabel("batch wall time, ms (log)")
    axes.set_title(f"{sizes.io_records}-record SQS batch, {delay_ms:g} ms of I/O per record (median)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


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
    return "\n".join(lines) + "\n"


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
        # The template tests' own environment: it holds every variant's dependencies.
        env = shared_environment("3.13", environment_requirements(scratch / "requirements"))

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

    text = report(
        {"imports": imports, "records": records, "drain": drained, "sizes": package_sizes}, sizes, arguments.quick
    )
    output.parent.mkdir(parents=True, exist_ok=True)
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
