"""The pipeline's stages, Prefect-free: each turns a chunk's input into Parquet parts.

``tasks/`` wraps each ``run`` function as a cached Prefect task; anything else (tests,
notebooks, another orchestrator) can call them directly.
"""
