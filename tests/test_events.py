"""The sample events of every source have the shape Lambda sends: checked against the events
`sam local generate-event` prints (AWS's own samples, offline). The generated projects' own
tests read them with Powertools' data classes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from template_facts import SOURCES

from .baking import bake, shared_environment

# Keys a real record has only sometimes: FIFO and traced messages' attributes, message attribute
# digests, and the images a DynamoDB change carries by its kind (REMOVE has no NewImage).
OPTIONAL_KEYS = frozenset(
    {
        "AWSTraceHeader",
        "MessageDeduplicationId",
        "MessageGroupId",
        "SequenceNumber",
        "md5OfMessageAttributes",
        "NewImage",
        "OldImage",
    }
)
# Whose contents are the producer's own: compared as objects, not key by key.
FREE_FORM_KEYS = frozenset({"Keys", "NewImage", "OldImage", "messageAttributes"})
# Values that are the same in every record of a source.
CONSTANT_KEYS = frozenset({"eventSource", "eventVersion", "kinesisSchemaVersion", "StreamViewType"})


def kind(value: Any) -> str:
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def shape_differences(ours: Any, theirs: Any, path: str = "record") -> list[str]:
    """Where our record's keys or value types differ from AWS's sample, ignoring optional keys."""
    if kind(ours) != kind(theirs):
        return [f"{path}: {kind(ours)} where AWS has {kind(theirs)}"]
    if not isinstance(ours, dict):
        return []
    differences = [f"{path}.{key}: missing" for key in theirs.keys() - ours.keys() - OPTIONAL_KEYS]
    differences += [f"{path}.{key}: not in AWS's record" for key in ours.keys() - theirs.keys() - OPTIONAL_KEYS]
    for key in ours.keys() & theirs.keys():
        if key in CONSTANT_KEYS and ours[key] != theirs[key]:
            differences.append(f"{path}.{key}: {ours[key]!r} where AWS has {theirs[key]!r}")
        elif key not in FREE_FORM_KEYS:
            differences += shape_differences(ours[key], theirs[key], f"{path}.{key}")
    return differences


@pytest.fixture(scope="module")
def sam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sam command, from the IaC tools' shared environment."""
    project = bake(tmp_path_factory.mktemp("sam"))
    lines = (project / "local" / "requirements-iac.txt").read_text().splitlines()
    env = shared_environment("3.13", [line for line in lines if line and not line.startswith("#")])
    return env / "bin" / "sam"


def records_of(event: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """An event's records: its Records list, or (Kafka) its lists by topic-partition."""
    if SOURCES[source].records_by_partition:
        return [record for partition in event["records"].values() for record in partition]
    records: list[dict[str, Any]] = event["Records"]
    return records


def batch_keys(event: dict[str, Any]) -> dict[str, Any]:
    """What an event holds beside its records (Kafka: the cluster it comes from)."""
    return {key: value for key, value in event.items() if key not in ("Records", "records")}


def sam_event(sam: Path, service: str, event: str) -> dict[str, Any]:
    environment = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    result = subprocess.run(
        [str(sam), "local", "generate-event", service, event],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    generated: dict[str, Any] = json.loads(result.stdout)
    return generated


# SAM has no sample for the others (Kafka): their projects check their events against
# Powertools' event model (tests/test_records.py).
@pytest.mark.parametrize("source", [name for name, row in SOURCES.items() if row.aws_sample])
def test_sample_events_have_the_shape_lambda_sends(source: str, sam: Path, tmp_path: Path) -> None:
    sample = SOURCES[source].aws_sample
    assert sample is not None
    generated = sam_event(sam, *sample)
    theirs = records_of(generated, source)[0]
    project = bake(tmp_path, event_source=source)

    for name in (f"{sample}.json" for sample in SOURCES[source].sample_events):
        event = json.loads((project / "events" / name).read_text())
        assert shape_differences(batch_keys(event), batch_keys(generated), "event") == [], name
        records = records_of(event, source)
        assert len(records) >= 3, f"{name} holds {len(records)} records"
        for position, ours in enumerate(records):
            assert shape_differences(ours, theirs) == [], f"{name}, record {position + 1}"


def test_a_changed_shape_is_caught() -> None:
    theirs = {"messageId": "1", "attributes": {"SentTimestamp": "1"}, "eventSource": "aws:sqs"}
    ours = {"messageID": "1", "attributes": {"SentTimestamp": 1}, "eventSource": "aws:sqs"}

    assert sorted(shape_differences(ours, theirs)) == [
        "record.attributes.SentTimestamp: number where AWS has str",
        "record.messageID: not in AWS's record",
        "record.messageId: missing",
    ]
