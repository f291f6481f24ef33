    def make_loggroup(self, name: str, properties: dict[str, Any], _visibility: int) -> None:
        """A log group, named after this run. The function's (its LoggingConfig names it) is where
        the harness writes the function's lines, as Lambda does, for `make failures` to read;
        another (the drain state machine's) is only made, under its logical id."""
        group = f"/aws/lambda/{{ cookiecutter.project_slug }}-{self.suffix}"
        if not any(
            resource_name(self.template, function.get("LoggingConfig", {}).get("LogGroup")) == name
            for function in functions(self.template).values()
        ):
            group = f"/local/{name}-{self.suffix}"
        self.client("logs").create_log_group(logGroupName=group)
        arn = f"arn:aws:logs:{self.region}:123456789012:log-group:{group}:*"
        self.values |= {name: group, f"{name}.Arn": arn}
