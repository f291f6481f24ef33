{% extends "families/queue/mapping.py" %}

{% block about %} The orders are published to the topic, which delivers them to
the queue in SNS envelopes.
{%- endblock %}

{% block imports -%}
import json
{% endblock %}

{% block more_state %}
        subscriptions = [
            name
            for name, resource in template["Resources"].items()
            if resource["Type"] == "AWS::SNS::Subscription"
            and resource_name(template, resource["Properties"]["Endpoint"]) == queue
        ]
        self.topic_arn = resources.resolve(resources.properties(subscriptions[0])["TopicArn"])
        self.sns = resources.client("sns")
{%- endblock %}

{% block fate_id %}SNS message id{% endblock %}

{% block send %}
    def send(self, mix: list[DemoOrder]) -> None:
        """Publish each message to the topic, in order."""
        for message in mix:
            sent = self.sns.publish(TopicArn=self.topic_arn, Message=message.as_text())
            self.fates[sent["MessageId"]] = Fate(message)
        self.trace(f"published {len(self.fates)}: {labels(list(self.fates.values()))}")
{% endblock %}

{% block fate %}
        return self.fates[json.loads(message["Body"])["MessageId"]]  # the SNS envelope's
{%- endblock %}
