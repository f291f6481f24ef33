"""What the local end to end sends, the trace it prints, and where each message ended."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .flaky_runtime import TRANSIENT_PREFIX

PROCESSED = "processed"
DEAD_LETTERED = "DLQ"


@dataclass(frozen=True)
class DemoOrder:
    """One message of the demo: `order` is the payload, None for one that is not an order."""

    label: str
    kind: str
    order_id: str
    order: dict[str, Any] | None

    def as_text(self) -> str:
        """The payload as JSON text; a corrupt one cut off mid-way."""
        if self.order is None:
            return json.dumps({"order_id": self.order_id, "customer_id": "c-1"})[:-10]
        return json.dumps(self.order)


def order(order_id: str, **changes: Any) -> dict[str, Any]:
    """A valid order (2 books at 12.5), with these fields changed."""
    lines = [{"sku": "BOOK-042", "quantity": 2, "unit_price": 12.5}]
    return {"order_id": order_id, "customer_id": "c-1", "items": lines, "amount": 25, **changes}


# The documented mix, in the order it is sent.
MIX = (
    DemoOrder("good-1", "good", "ord-1", order("ord-1")),
    DemoOrder("corrupt", "corrupt: not JSON", "ord-2", None),
    DemoOrder("good-2", "good", "ord-3", order("ord-3")),
    DemoOrder("invalid", "invalid: no items", "ord-4", order("ord-4", items=[])),
    DemoOrder(
        "transient",
        "fails once (a timeout), then succeeds",
        f"{TRANSIENT_PREFIX}-5",
        order(f"{TRANSIENT_PREFIX}-5"),
    ),
    DemoOrder("rejected", "business rule: amount is wrong", "ord-6", order("ord-6", amount=99)),
    DemoOrder("good-3", "good", "ord-7", order("ord-7")),
)


@dataclass
class Fate:
    """What became of one message: in how many batches the function got it, how often it
    succeeded there, and where it ended (PROCESSED, DEAD_LETTERED, or "" while it is still on
    its way)."""

    message: DemoOrder
    deliveries: int | None = 0  # None: not seen from outside the function
    successes: int | None = 0
    ended: str = ""
    detail: str = ""


@dataclass
class Trace:
    """Prints what happens as it happens, each line with the seconds since the start."""

    write: Callable[[str], None] = print
    started: float = field(default_factory=time.monotonic)

    def __call__(self, line: str) -> None:
        self.write(f"[{time.monotonic() - self.started:5.1f}s] {line}")

    def more(self, line: str) -> None:
        """A line that belongs to the one before."""
        self.write(f"{'':9}{line}")


def labels(fates: list[Fate]) -> str:
    return " ".join(fate.message.label for fate in fates) or "-"


def table(fates: list[Fate]) -> list[str]:
    """Every message and where it ended, and the totals."""
    rows = [f"{'message':<10} {'what it is':<38} {'batches':>7} {'ok':>3}  ended"]
    for fate in fates:
        ended = f"{fate.ended}: {fate.detail}" if fate.ended else f"still on its way: {fate.detail}"
        runs, successes = (
            "-" if count is None else str(count) for count in (fate.deliveries, fate.successes)
        )
        rows.append(
            f"{fate.message.label:<10} {fate.message.kind:<38} {runs:>7} {successes:>3}  {ended}"
        )
    counts = {end: sum(fate.ended == end for fate in fates) for end in (PROCESSED, DEAD_LETTERED)}
    rows.append(
        f"{len(fates)} messages: {counts[PROCESSED]} processed, {counts[DEAD_LETTERED]} in the "
        f"DLQ, {len(fates) - sum(counts.values())} lost or still on their way"
    )
    return rows
