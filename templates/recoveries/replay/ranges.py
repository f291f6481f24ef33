{% extends "shared/ranges.py" %}

{% block holds -%}
`KinesisBatchInfo` (a Kinesis stream) or `DDBStreamBatchInfo` (a DynamoDB stream) the shard, its
first and last sequence number, their arrival times, the batch size and the stream's ARN. The
records stay readable in the stream until its retention passes (DynamoDB Streams: 24 hours).
{%- endblock %}

{% block expected %}
FIELDS = (
    "shardId",
    "startSequenceNumber",
    "endSequenceNumber",
    "approximateArrivalOfFirstRecord",
    "batchSize",
    "streamArn",
)
EXPECTED = f"Lambda's on-failure record: a JSON object whose {BATCH_INFO} has {', '.join(FIELDS)}"
{%- endblock %}

{% block place %}shard{% endblock %}
{% block source %}The stream's ARN.{% endblock %}
{% block place_is %}The shard's id.{% endblock %}
{% block bound %}sequence number{% endblock %}
{% block arrived %}reached the stream{% endblock %}

{% block record_id %}its sequence number."""
        return self.first
{%- endblock %}

{% block where %}

    @property
    def where(self) -> str:
        return f"shard {self.place}, sequence numbers {self.first}..{self.last}"

    @property
    def first_seen(self) -> str:
        """What the time of its first record is."""
        return "first arrived"
{%- endblock %}

{% block ranges_of %}
    """The one range of a stream's record."""
    first = number(info, "startSequenceNumber")
    last = number(info, "endSequenceNumber")
    if int(last) < int(first):
        raise ShapeError("endSequenceNumber is before startSequenceNumber")
    return [
        Range(
            source=field(info, "streamArn", str),
            place=field(info, "shardId", str),
            first=first,
            last=last,
            count=int(number(info, "batchSize")),
            first_arrival=moment(info, "approximateArrivalOfFirstRecord"),
            condition=condition,
        )
    ]
{%- endblock %}
