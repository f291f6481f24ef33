{% extends "families/queue/mapping.py" %}

{% block about %}

A FIFO queue delivers each message group in order: while a message of a group is in flight or
has been returned, no later message of that group is received. moto keeps that order, but after
a visibility timeout it brings back only the last in-flight message of each group (SQS brings
back every one), so this mapping returns the messages itself: it keeps the ones a batch left on
the queue hidden, and makes them all visible again, in their order, once the visibility timeout
has passed. Receive counts and the redrive to the DLQ stay SQS's own (moto's).
{%- endblock %}

{% block constants %}

# The demo's message groups, by customer: a failure holds back only the later messages of its
# group when the processor skips groups, and every later message of its batch when it stops.
GROUPS = {
    "good-1": "A",
    "corrupt": "B",
    "good-2": "A",
    "invalid": "C",
    "transient": "A",
    "rejected": "B",
    "good-3": "A",
}
# Longer than any demo: the mapping, not moto's visibility timeout, returns a held message.
HIDDEN_SECONDS = 3600
{%- endblock %}

{% block more_state %}
        # Messages the function did not succeed with, hidden until they are returned, by when.
        self.held: list[tuple[float, list[dict[str, Any]]]] = []
{%- endblock %}

{% block send %}
    def send(self, mix: list[DemoOrder]) -> None:
        """Send each message to the queue, in order, in its message group."""
        for message in mix:
            sent = self.sqs.send_message(
                QueueUrl=self.queue_url,
                MessageBody=message.as_text(),
                MessageGroupId=f"customer-{GROUPS[message.label].lower()}",
                MessageDeduplicationId=message.label,
            )
            self.fates[sent["MessageId"]] = Fate(message)
        self.trace(f"sent {len(self.fates)}: {labels(list(self.fates.values()))}")
        for group in sorted(set(GROUPS.values())):
            members = [fate for fate in self.fates.values() if GROUPS[fate.message.label] == group]
            self.trace.more(f"group {group}: {labels(members)}")
{% endblock %}

{% block turn %}
    def turn(self, function: LocalFunction) -> None:
        """Return what is due, receive a batch, invoke the function with it, delete what
        succeeded, and hold the rest until the visibility timeout has passed."""
        self.return_due()
        messages = self.receive_batch()
        if messages:
            deleted = self.deliver(function, messages)
            self.hold([message for message in messages if message["MessageId"] not in deleted])
        self.watch_dead_letter_queue()

    def hold(self, messages: list[dict[str, Any]]) -> None:
        """Keep these messages hidden until the visibility timeout has passed."""
        for message in messages:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue_url,
                ReceiptHandle=message["ReceiptHandle"],
                VisibilityTimeout=HIDDEN_SECONDS,
            )
        if messages:
            self.held.append((time.monotonic() + self.visibility_timeout, messages))

    def return_due(self) -> None:
        """Make visible again, in their order, the messages whose visibility timeout passed."""
        now = time.monotonic()
        for returns_at, messages in [held for held in self.held if held[0] <= now]:
            self.held.remove((returns_at, messages))
            for message in messages:
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=0,
                )
{% endblock %}
