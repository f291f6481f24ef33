{% extends source.part("stack.py") %}
