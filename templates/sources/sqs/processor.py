# fires and the event source mapping backs off, while SQS still returns every message.
#
{% block ordering -%}
# Each record stands alone: exactly the failed ones are returned to the queue.
processor = ObservedBatchProcessor(event_type=EVENT_TYPE)
{% endblock -%}
