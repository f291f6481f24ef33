{% extends "families/queue/mapping.py" %}

{% block about %}

SQS FIFO: moto brings back only the last in-flight message of a group after a visibility
timeout (SQS brings back every one), so failures, retries and the DLQ cannot be shown
faithfully here. The demo sends the good orders only; tests/test_handler.py proves the FIFO
failure handling at the handler's level.
{%- endblock %}

{% block setup %}
            "SQS FIFO: moto's redelivery of FIFO messages is wrong, so good orders only (see "
            "local/mapping.py)",
{%- endblock %}

{% block send %}
    def send(self, mix: list[DemoOrder]) -> None:
        """Send each message to the queue, in order."""
        for position, message in enumerate(mix):
            if message.kind != "good":
                continue
            sent = self.sqs.send_message(
                QueueUrl=self.queue_url,
                MessageBody=message.as_text(),
                MessageGroupId=f"customer-{position % 2}",
                MessageDeduplicationId=message.label,
            )
            self.fates[sent["MessageId"]] = Fate(message)
        self.trace(f"sent {len(self.fates)}: {labels(list(self.fates.values()))}")
{% endblock %}
