{#- local/mapping.py's parts for the poller EventBridge Scheduler invokes: each tick invokes the
function. Each macro's lines start with their newline. #}
{%- macro docstring() %}{% endmacro %}

{%- macro imports() %}{% endmacro %}

{#- Within a line: what else local/template.py gives. #}
{%- macro template_imports() %}{% endmacro %}

{%- macro constants() %}{% endmacro %}

{%- macro setup() %}{% endmacro %}

{%- macro turn() %}
        self.report(f"run {self.runs}", function.invoke(self.schedule_event()))
{%- endmacro %}

{%- macro methods() %}{% endmacro %}
