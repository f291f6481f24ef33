"""{{ cookiecutter.project_name | replace('\\', '\\\\') | replace('"', '\\"') }}: a batch processor with partial batch failure."""
