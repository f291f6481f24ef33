{% include recovery.part("ranges.py") ignore missing -%}
