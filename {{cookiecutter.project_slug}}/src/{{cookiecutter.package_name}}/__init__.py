"""{{ cookiecutter.project_name | replace('\\', '\\\\') | replace('"', '\\"') }}: an SQS batch processor with partial batch failure."""
