    def make_topic(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        topic = f"{name}-{self.suffix}"
        arn = self.client("sns").create_topic(Name=topic)["TopicArn"]
        self.values |= {name: arn, f"{name}.TopicArn": arn, f"{name}.TopicName": topic}
