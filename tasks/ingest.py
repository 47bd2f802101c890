from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsdag.plan import Plan
from newsdag.readers.common import ReadOptions
from newsdag.stages import ingest as stage
from newsdag.store import Store
from tasks.retries import IO_RETRIES


@task(name="ingest", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest(
    data_dir: str, paths: list[str], model: str, chunk_size: int, max_chars: int, fields: dict[str, str]
) -> Plan:
    """Read the batch (always: files may have changed) and plan its chunks."""
    options = ReadOptions(max_chars=max_chars).with_fields(fields)
    return stage.run(Store(data_dir), paths, model=model, chunk_size=chunk_size, options=options)
