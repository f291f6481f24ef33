"""How `make failures` shows a message of the on-failure destination: each range it names, and
why the range's first record failed."""

from datetime import UTC, datetime, timedelta

from .queues import QueueMessage
from .ranges import CLOCK_SKEW, Range, parse_ranges
from .reasons import Reasons


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def age(elapsed: timedelta) -> str:
    """A duration in its two largest units: `3 d 4 h`, `5 min 2 s`, `7 s`."""
    seconds = max(int(elapsed.total_seconds()), 0)
    units = [(86400, "d"), (3600, "h"), (60, "min"), (1, "s")]
    for index, (size, unit) in enumerate(units):
        if seconds >= size or size == 1:
            text = f"{seconds // size} {unit}"
            if size > 1:
                smaller, smaller_unit = units[index + 1]
                rest = seconds % size // smaller
                text += f" {rest} {smaller_unit}" if rest else ""
            return text
    raise AssertionError("unreachable: the last unit is one second")


def describe_range(span: Range, now: datetime | None = None) -> str:
    """One line: where the range is, how many records, how old, and why Lambda gave it up."""
    now = now or datetime.now(UTC)
    noun = "record" if span.count == 1 else "records"
    return (
        f"{span.where} ({span.count} {noun}) of {span.source}, {span.first_seen} "
        f"{when(span.first_arrival)} ({age(now - span.first_arrival)} ago), {span.condition}"
    )


def describe_reason(span: Range, reasons: Reasons | None) -> str:
    """Why the range's first record failed, as the failure hook logged it."""
    if reasons is None:
        return f"first record {span.first_record_id}: reason unknown (no log group)"
    reason = reasons.of(span.first_record_id, since=span.first_arrival - CLOCK_SKEW)
    if reason is None:
        return f"first record {span.first_record_id}: reason not in the logs"
    return f"first record {span.first_record_id}: {reason.summary()}"


def describe_ranges(body: str, reasons: Reasons | None) -> list[str]:
    """The lines of one destination message: each range, then the reason of its first record
    when the logs have it."""
    lines = []
    for span in parse_ranges(body):
        lines += [describe_range(span), f"  {describe_reason(span, reasons)}"]
    return lines


def failed_since(message: QueueMessage) -> datetime:
    """From when the logs hold the failures of the message's records."""
    return min(span.first_arrival for span in parse_ranges(message.body)) - CLOCK_SKEW


def describe(message: QueueMessage, reasons: Reasons | None) -> list[str]:
    """The message's lines, below its head (id and history)."""
    return describe_ranges(message.body, reasons)
