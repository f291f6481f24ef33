{#- The parts of the project's infra/stack.py (a CDK project's) that depend on the event source,
as blocks, the way templates/shared/template.yaml holds template.yaml's.

A source's templates/sources/<name>/stack.py extends its family's
(templates/families/<family>/stack.py), which extends this file; the scheduled poller's extends
the source's in turn. infra/stack.py imports the chosen one and renders each part with
`here.slot(name)`: a part made of whole lines starts each line with its newline, a value is its
text alone. #}
{%- macro slot(name) %}{{ self[name]() }}{% endmacro %}

{#- A value: what the stack holds besides the function, in a sentence's words. #}
{%- block summary %}{% endblock %}

{#- Lines: the standard library's imports the parts use, beside typing's. #}
{%- block imports %}{% endblock %}

{#- A value: the aws_cdk modules the parts use beside those every stack uses, space-separated. #}
{%- block modules %}{% endblock %}

{#- Lines: the module's constants that the parts use. #}
{%- block constants %}{% endblock %}

{#- Lines: the source's own CfnParameters. #}
{%- block parameters %}{% endblock %}

{#- Lines: the dead-letter queue (`dead_letter_queue`) and the source's resources. #}
{%- block resources %}{% endblock %}

{#- Lines: why the function has a role of its own. #}
{%- block role_comment %}
            # A role of our own, which the event source grants what it reads: the role CDK
            # makes attaches AWSLambdaBasicExecutionRole, which may write to every log group.
{%- endblock %}

{#- Lines: the function's other settings (reserved concurrency). #}
{%- block function %}{% endblock %}

{#- Lines: the source's entries of the function's environment. #}
{%- block environment %}{% endblock %}

{#- Lines: what invokes the function, and what the role may read. #}
{%- block events %}{% endblock %}

{#- Lines: a comment on what ProcessorErrorsAlarm counts. #}
{%- block errors_comment %}{% endblock %}

{#- Lines: the metric SourceLagAlarm watches (the source row's `lag`), an argument of alarm(). #}
{%- block lag_metric %}{% endblock %}

{#- Lines: the CfnOutputs that name the source. #}
{%- block outputs %}{% endblock %}
