{#- local/operations.py, what `make local` does after the demo as an operator would: its
    recovery's piece (recoveries/<name>/operations.py) fills the blocks. -#}
"""After the demo, what an operator does next (see the README's "When records fail"), on moto:
`make failures` lists what the demo left in the DLQ and why; the fix of the business rule is
deployed (the function restarted with it); then {% block then %}{% endblock %}
"""

{% block imports %}{% endblock %}

if TYPE_CHECKING:
    from .end_to_end import Running
{%- block definitions %}{% endblock %}


def after_the_demo(running: "Running", deadline_seconds: float = 30) -> list[Fate]:
    """List the failures, deploy the fix, bring back what it fixes; the messages' fates."""
    resources, trace = running.resources, running.trace
    running.logs.ship()
    sqs = resources.sqs()
    dead_letter_queue = str(resources.values["DeadLetterQueue"])
    reasons = Reasons(resources.client("logs"), str(resources.values["ProcessorLogGroup"]))
    trace("make failures:")
    list_failures(sqs, dead_letter_queue, reasons, trace.more)
    trace("the fix is deployed: the business rule takes the order whose amount was wrong")
    running.deploy_fix()
{%- block bring_back %}{% endblock %}
{%- block helpers %}{% endblock %}
