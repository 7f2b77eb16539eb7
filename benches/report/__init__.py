"""The benchmark report of `scripts/bench.sh`: runs scrm and its peers on the same seeded data,
checks that their answers agree, and writes BENCHMARKS.md with a chart per workload."""
