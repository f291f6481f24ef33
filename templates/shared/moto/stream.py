    def make_stream(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        kinesis = self.client("kinesis")
        stream = f"{name}-{self.suffix}"
        mode = properties.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED")
        if mode == "ON_DEMAND":
            kinesis.create_stream(StreamName=stream, StreamModeDetails={"StreamMode": mode})
        else:
            shards = int(properties.get("ShardCount", 1))
            kinesis.create_stream(StreamName=stream, ShardCount=shards)
        summary = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        self.values |= {name: stream, f"{name}.Arn": summary["StreamARN"]}
