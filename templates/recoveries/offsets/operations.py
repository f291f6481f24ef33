{% extends "shared/operations.py" %}

{% block then %}the failed offsets are where a consumer would
start again: Kafka keeps the records, and nothing in this project replays them.{% endblock %}

{% block imports -%}
from typing import TYPE_CHECKING

from .demo import Fate
from ops.failures import list_failures
from ops.reasons import Reasons
{%- endblock %}

{% block bring_back %}
    trace.more("Kafka keeps the records: a consumer starts again at the offsets listed above")
    return running.play(deadline_seconds)
{%- endblock %}
