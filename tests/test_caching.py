"""The stage tasks: one per stage record, and a job is done only when every record's files exist."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

# In a fresh interpreter that imports only tasks.caching, as a flow run's process may.
_FRESH = """
import sys
from newsdag.defaults import DEFAULT_MODEL
from newsdag.plan import ChunkJob, stage_keys
from newsdag.stages import CHUNK_STAGES
from tasks.caching import is_done
keys = stage_keys("c", DEFAULT_MODEL, CHUNK_STAGES)
print(is_done(sys.argv[1], ChunkJob("c", ("d",), "tables/articles/c.parquet", keys, new=True)))
"""


def test_a_job_without_files_is_not_done_whatever_was_imported(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FRESH, str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_chunk_runs_one_cached_task_per_chunk_stage() -> None:
    from newsdag.stages import CHUNK_STAGES
    from tasks.chunk import STAGE_TASKS

    assert [(stage, task.name) for stage, task in STAGE_TASKS] == [(stage, stage.name) for stage in CHUNK_STAGES]
