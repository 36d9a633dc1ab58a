"""The benchmark: `bench/run` (see README, Benchmarks)."""
