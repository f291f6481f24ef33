{% include recovery.part("operations.py") -%}
