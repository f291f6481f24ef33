    def make_table(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        dynamodb = self.client("dynamodb")
        stream = properties.get("StreamSpecification")
        settings: dict[str, Any] = {
            "TableName": f"{name}-{self.suffix}",
            "KeySchema": properties["KeySchema"],
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "ProvisionedThroughput" in properties:
            settings["ProvisionedThroughput"] = properties["ProvisionedThroughput"]
        if stream:
            settings["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        table = dynamodb.create_table(**settings)["TableDescription"]
        self.values |= {name: table["TableName"], f"{name}.Arn": table["TableArn"]}
        if stream:
            self.values[f"{name}.StreamArn"] = table["LatestStreamArn"]
