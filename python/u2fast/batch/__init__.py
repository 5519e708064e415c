"""Batch mode: a run's requests through the providers' batch APIs, at batch prices, crash-safe.

``wire`` is what a provider plugin implements (sans-I/O, one model); ``shards`` cuts requests into
files under each provider's limits; ``ledger`` records each lifecycle step in ``batches.jsonl``;
``lifecycle`` drives the steps; ``answers`` turns results into the run's journal records; ``exchange`` writes
and reads the OpenAI batch JSONL of ``vllm run-batch`` and Ray Data (``u2fast export`` / ``import``).
See docs/batch.md.
"""
