    def make_queue(self, name: str, properties: dict[str, Any], visibility_timeout: int) -> None:
        fifo = str(self.resolve(properties.get("FifoQueue", False))).lower() == "true"
        attributes: dict[str, str] = {
            setting: str(self.resolve(properties[setting])).lower()
            for setting in ("FifoQueue", "ContentBasedDeduplication")
            if setting in properties
        }
        for setting in ("MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds"):
            if setting in properties:
                attributes[setting] = str(properties[setting])
        if "VisibilityTimeout" in properties:
            attributes["VisibilityTimeout"] = str(visibility_timeout)
        if "RedrivePolicy" in properties:
            attributes["RedrivePolicy"] = json.dumps(self.resolve(properties["RedrivePolicy"]))
        sqs = self.sqs()
        url = sqs.create_queue(
            QueueName=f"{name}-{self.suffix}" + (".fifo" if fifo else ""),
            Attributes=cast("dict[QueueAttributeNameType, str]", attributes),
        )["QueueUrl"]
        found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        self.values |= {
            name: url,
            f"{name}.Arn": found["QueueArn"],
            f"{name}.QueueName": url.rsplit("/", 1)[-1],
            f"{name}.QueueUrl": url,
        }
