    def make_loggroup(self, name: str, properties: dict[str, Any], _visibility: int) -> None:
        """The function's log group, named after this run: the harness writes the function's
        lines to it, as Lambda does, for `make failures` to read."""
        group = f"/aws/lambda/{{ cookiecutter.project_slug }}-{self.suffix}"
        self.client("logs").create_log_group(logGroupName=group)
        arn = f"arn:aws:logs:{self.region}:123456789012:log-group:{group}:*"
        self.values |= {name: group, f"{name}.Arn": arn}
