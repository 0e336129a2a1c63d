"""The streaming layer: wires the pure core to Kafka (topics, producer, Faust worker)."""
