{% extends "sources/sqs/processor.py" %}
{% block ordering -%}
# No model= here: this processor parses the records it skips after a failure, and one that
# would not parse would crash the whole batch. The record handler reads the payload instead.
{% include source.part("processor." ~ facts.ordering ~ ".py") -%}
{% endblock %}
