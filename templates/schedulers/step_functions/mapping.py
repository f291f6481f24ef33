{#- local/mapping.py's parts for the poller the drain state machine invokes: each tick starts a
drain on moto's Step Functions (local/drain.py), whose rounds run the function. Each macro's
lines start with their newline. #}
{%- macro docstring() %} Each tick
starts the drain state machine (local/drain.py), which invokes the poller again while it reports
more_available.
{%- endmacro %}

{%- macro imports() %}
from .drain import Drain
{%- endmacro %}

{#- Within a line: what else local/template.py gives. #}
{%- macro template_imports() %}, state_machines{% endmacro %}

{%- macro constants() %}
ROUND_SIZE = 3  # messages a run of the function receives locally
{%- endmacro %}

{%- macro setup() %}
        machine = next(iter(state_machines(template, function)), None)
        if machine is None:
            raise LookupError(f"no state machine of {{ facts.stack }} invokes {function}")
        self.drain = Drain(resources, machine, function, trace)
        # Fewer messages a run than the demo sends, so that a drain takes rounds, as a backlog
        # larger than a run does.
        variables = declared["Environment"]["Variables"]
        self.setup += [
            f"MAX_MESSAGES_PER_INVOCATION {variables['MAX_MESSAGES_PER_INVOCATION']} -> "
            f"{ROUND_SIZE} locally, so that a drain of the demo takes rounds",
            self.drain.setup,
        ]
        variables["MAX_MESSAGES_PER_INVOCATION"] = str(ROUND_SIZE)
{%- endmacro %}

{%- macro turn() %}
        self.drain.run(function, self.runs, self.schedule_event(), self.report_round)
{%- endmacro %}

{%- macro methods() %}

    def report_round(self, round_number: int, answer: Invocation) -> None:
        self.report(f"drain {self.runs}, round {round_number}", answer)
{%- endmacro %}
