"""{{ cookiecutter.project_name }}: an SQS batch processor with partial batch failure."""
