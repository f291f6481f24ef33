    def make_subscription(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        attributes = {
            setting: str(properties[setting]).lower()
            for setting in ("RawMessageDelivery",)
            if setting in properties
        }
        arn = self.client("sns").subscribe(
            TopicArn=self.resolve(properties["TopicArn"]),
            Protocol=properties["Protocol"],
            Endpoint=self.resolve(properties["Endpoint"]),
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        self.values[name] = arn
