"""Operating the failures of the deployed function: `python -m ops --help` (or
`make failures`{% for command in facts.commands %}, `make {{ command }}`{% endfor %}) lists what failed and why, to bring it back
once the cause is fixed."""
