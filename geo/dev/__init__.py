"""Developer tools: benchmarks, synthetic stores, database copies. Nothing in the product imports these."""
