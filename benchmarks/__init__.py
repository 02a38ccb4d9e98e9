"""foodcam benchmarks: latency, throughput and accuracy of every artifact."""
