"""Operating the failures of the deployed function: `python -m ops --help` (or `make failures`,
`make redrive`{% if facts.stream %}, `make replay`{% endif %}) lists what failed and why, and brings it back once the cause is fixed."""
