"""newsdag from a notebook: connect to a data dir, analyse one text, and the README's example."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import duckdb
import pytest

import newsdag
from newsdag.tables import ENTITIES, QUOTES
from tests.conftest import REPO, SEED


def test_connect_has_every_table_and_reads_nothing_else(seed_data) -> None:
    with newsdag.connect(seed_data) as con:
        assert con.sql("select count(*) from quotes").fetchall() == [(26,)]
        assert con.sql("select count(*) from actors").fetchall()[0][0] > 0
        assert con.sql("select doc_id from articles").arrow().read_all().num_rows == 1
        with pytest.raises(duckdb.Error):
            con.sql(f"select * from read_text('{SEED}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.sql(f"copy quotes to '{seed_data}/tables/x.parquet'")


def test_connect_says_when_there_is_no_data_dir(tmp_path) -> None:
    from newsdag.errors import NoData

    with pytest.raises(NoData):
        newsdag.connect(tmp_path / "nothing")


def test_analyse_gives_the_rows_a_run_writes(seed_data, seed_text) -> None:
    result = newsdag.analyse(seed_text)
    assert result.quotes.schema == QUOTES and result.entities.schema == ENTITIES
    with newsdag.connect(seed_data) as con:
        written = con.sql(f"select {', '.join(QUOTES.names)} from quotes order by quote_id").to_arrow_table()
        entities = con.sql(f"select {', '.join(ENTITIES.names)} from entities order by entity_id").to_arrow_table()
    assert result.quotes.to_pylist() == written.to_pylist()
    assert result.entities.to_pylist() == entities.to_pylist()
    assert result.doc_id == written.column("doc_id")[0].as_py()


def test_importing_newsdag_loads_neither_prefect_nor_spacy() -> None:
    code = "import sys, newsdag; assert newsdag.connect and 'prefect' not in sys.modules and 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    core = "import sys, newsdag.show, newsdag.terminal, newsdag.api, newsdag.report; assert 'prefect' not in sys.modules"
    subprocess.run([sys.executable, "-c", core], check=True, cwd=REPO)


def readme_example() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Notebooks", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(seed_data, tmp_path, monkeypatch, capsys) -> None:
    shutil.copytree(seed_data, tmp_path / "data")
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "[(26,)]"
    assert "Antony J. Blinken" in printed[1]
    assert printed[-1] == "88 entity mentions"
