{% extends "shared/ranges.py" %}

{% block holds -%}
`KafkaBatchInfo` the cluster (`eventSourceArn` for MSK, `bootstrapServers`) and, in `recordsInfo`,
each partition's range by `<topic>-<partition>`: its first and last offset and their timestamps.
The records stay in the topic while its retention keeps them.
{%- endblock %}

{% block expected %}
# What each partition of recordsInfo holds.
PARTITION_FIELDS = (
    "firstRecordOffset",
    "lastRecordOffset",
    "firstRecordTimestamp",
    "lastRecordTimestamp",
)
EXPECTED = (
    f"Lambda's on-failure record: a JSON object whose {BATCH_INFO} has recordsInfo "
    f"({', '.join(PARTITION_FIELDS)} by <topic>-<partition>) and batchSize"
)
{%- endblock %}

{% block place %}partition{% endblock %}
{% block source %}The cluster: an MSK cluster's ARN, or a self-managed cluster's bootstrap servers.{% endblock %}
{% block place_is %}The partition, as the event names it: `<topic>-<partition>`.{% endblock %}
{% block bound %}offset{% endblock %}
{% block arrived %}was produced (its timestamp){% endblock %}

{% block record_id %}`<topic>-<partition>@<offset>`."""
        return f"{self.place}@{self.first}"
{%- endblock %}

{% block where %}

    @property
    def where(self) -> str:
        return f"partition {self.place}, offsets {self.first}..{self.last}"

    @property
    def first_seen(self) -> str:
        """What the time of its first record is."""
        return "first produced"
{%- endblock %}

{% block ranges_of %}
    """A range per partition of recordsInfo. batchSize counts the records of every partition: a
    partition's own count is its offset span (offsets run on without gaps, but for compaction
    and transaction markers)."""
    partitions = field(info, "recordsInfo", dict)
    if not partitions:
        raise ShapeError("recordsInfo is empty")
    servers = info.get("bootstrapServers")
    cluster = info.get("eventSourceArn") or servers
    if not isinstance(cluster, str) or not cluster:
        raise ShapeError("no eventSourceArn nor bootstrapServers")
    batch_size = int(number(info, "batchSize"))
    ranges = []
    for place, partition in partitions.items():
        if not isinstance(partition, dict):
            raise ShapeError(f"recordsInfo's {place} is not an object")
        first = number(partition, "firstRecordOffset")
        last = number(partition, "lastRecordOffset")
        if int(last) < int(first):
            raise ShapeError(f"{place}'s lastRecordOffset is before its firstRecordOffset")
        count = batch_size if len(partitions) == 1 else int(last) - int(first) + 1
        ranges.append(
            Range(
                source=cluster,
                place=str(place),
                first=first,
                last=last,
                count=count,
                first_arrival=moment(partition, "firstRecordTimestamp"),
                condition=condition,
            )
        )
    return ranges
{%- endblock %}
