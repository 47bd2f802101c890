"""Actors stage: corpus-level identities of speakers and entities, over all published chunks.

Runs once per run, after the chunk stages, on the parts the run is about to publish. It
reads only aggregates of the entities and quotes tables (one row per distinct name, not
per mention) through DuckDB, resolves them into actors (:mod:`newsdag.actors`) and writes
three small tables: ``actors``, ``actor_keys`` (article-level name → actor) and
``quote_speakers`` (each quotation's actor, name, type and gender). Its key hashes the
set of live entity and quote parts and its own code, so a run that changes no chunk
reuses its parts, and a new batch recomputes only this stage.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdag.actors import OTHER, PERSON, Actor, Name, resolve
from newsdag.catalog import read_parquet_sql
from newsdag.entities import NUMERIC_LABELS
from newsdag.gender import FEMALE, MALE
from newsdag.gender import UNKNOWN as GENDER_UNKNOWN
from newsdag.names import name_parts
from newsdag.plan import code_fingerprint, digest
from newsdag.quotes.sources import UNKNOWN, UNNAMED
from newsdag.stages.stage import Stage
from newsdag.store import Manifest, Store, part_name
from newsdag.tables import ACTOR_KEYS, ACTORS, QUOTE_SPEAKERS, to_table

# A role ("prime minister") names one person across the corpus when that person holds at
# least this share of the articles giving it, in at least this many articles.
_ROLE_SHARE = 0.6
_ROLE_ARTICLES = 3
# The corpus tables this stage writes.
TABLES = ("actors", "actor_keys", "quote_speakers")


def corpus_key(manifest: Manifest, *, genders: bool = True) -> str:
    """What the stage's result depends on: the live entity and quote parts and its code."""
    parts = sorted(manifest.parts("entities")) + sorted(manifest.parts("quotes"))
    return digest(STAGE.name, code_fingerprint(STAGE), str(genders), *parts)


def planned(manifest: Manifest, *, genders: bool = True) -> dict[str, str]:
    """The corpus-level parts (table -> part) that ``manifest`` calls for."""
    return _parts(corpus_key(manifest, genders=genders))


def _parts(key: str) -> dict[str, str]:
    return {table: part_name(table, key) for table in TABLES}


def run(store: Store, manifest: Manifest, *, genders: bool = True) -> dict[str, str]:
    """The corpus-level parts for ``manifest`` (table -> part), computed unless a run with
    the same key already wrote them."""
    key = corpus_key(manifest, genders=genders)
    if store.has(_parts(key).values()):
        return _parts(key)
    # each table's empty part first, so a corpus without rows still has the columns
    files = {table: [store.path(store.empty_part(table))] + [store.path(p) for p in manifest.files(table)]
             for table in ("entities", "quotes")}
    tables = build(files["entities"], files["quotes"], genders=genders)
    return {table: store.write_part(table, key, tables[table]) for table in TABLES}


def build(entity_files: list[Path], quote_files: list[Path], *, genders: bool = True) -> dict[str, pa.Table]:
    """The three corpus tables from the entity and quote part files."""
    with duckdb.connect() as con:
        con.execute(f"CREATE VIEW entities AS SELECT * FROM {read_parquet_sql(entity_files)}")
        con.execute(f"CREATE VIEW quotes AS SELECT * FROM {read_parquet_sql(quote_files)}")
        names = _names(con)
        actors = resolve(names.values(), genders=genders, actor_id=lambda kind, name: digest("actor", kind, " ".join(name.casefold().split())))
        actor_of = {key: actor for actor in actors for key in actor.keys}
        roles = _role_holders(con, actor_of)
        speakers = _quote_speakers(con, actor_of, roles)
        con.register("keys", pa.table({"entity_key": list(actor_of), "actor_id": [a.actor_id for a in actor_of.values()]}))
        counts = {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT k.actor_id, count(*), count(DISTINCT e.doc_id) FROM entities e JOIN keys k USING (entity_key) GROUP BY 1"
            ).fetchall()
        }
    quoted = Counter(row[2] for row in speakers if row[2] is not None)
    actor_rows = [
        (a.actor_id, a.name, a.type, a.label, a.aliases, a.gender, a.gender_evidence, a.roles,
         counts.get(a.actor_id, (0, 0))[0], counts.get(a.actor_id, (0, 0))[1], quoted[a.actor_id])
        for a in actors
    ]
    return {
        "actors": to_table(sorted(actor_rows), ACTORS),
        "actor_keys": to_table(sorted((k, a.actor_id) for k, a in actor_of.items()), ACTOR_KEYS),
        "quote_speakers": to_table(speakers, QUOTE_SPEAKERS),
    }


def _names(con: duckdb.DuckDBPyConnection) -> dict[str, Name]:
    """Every article-level name with its corpus-wide counts and evidence, one per entity_key.
    Each aggregate is read in a fixed order, so ties resolve alike on every run and ids
    do not change while the data does not."""
    names: dict[str, Name] = {}
    rows = con.execute(
        """
        SELECT entity_key, label, canonical, count(*) AS mentions, count(DISTINCT doc_id) AS articles
        FROM entities WHERE entity_key IS NOT NULL AND NOT list_contains($numeric, label)
        GROUP BY ALL ORDER BY ALL
        """,
        {"numeric": sorted(NUMERIC_LABELS)},
    ).fetchall()
    for key, label, canonical, mentions, articles in rows:
        item = names.get(key)
        if item is None or mentions > item.mentions:
            names[key] = Name(key, label, canonical, mentions, articles)
    for key, kind, gender, n in con.execute(
        """SELECT entity_key, gender_evidence, gender, count(DISTINCT doc_id) FROM entities
           WHERE gender IS NOT NULL GROUP BY ALL ORDER BY ALL"""
    ).fetchall():
        if key in names:
            names[key].votes[kind, gender] += n
    for key, role, n in con.execute(
        "SELECT entity_key, role, count(DISTINCT doc_id) FROM entities WHERE role IS NOT NULL GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        if key in names:
            names[key].roles[role] += n
    for key, n in con.execute(
        """SELECT e.entity_key, count(DISTINCT e.doc_id) FROM entities e JOIN entities before
             ON before.doc_id = e.doc_id AND before.end_char = e.start_char - 1
           WHERE before.label IN ('TIME', 'CARDINAL', 'DATE', 'QUANTITY') GROUP BY ALL ORDER BY ALL"""
    ).fetchall():
        if key in names:
            names[key].after_numbers += n
    for key, text, n in con.execute(
        "SELECT entity_key, text, count(*) FROM entities WHERE text <> canonical GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        if key in names:
            names[key].aliases[" ".join(text.split())] += n
    return names


def _role_holders(con: duckdb.DuckDBPyConnection, actor_of: dict[str, Actor]) -> dict[str, Actor]:
    """Roles that name one person across the corpus ("prime minister" → the person most
    articles call so, when nearly all do), keyed by the lowercase role."""
    holders: dict[str, Counter] = defaultdict(Counter)
    for key, role, n in con.execute(
        "SELECT entity_key, lower(role), count(DISTINCT doc_id) FROM entities WHERE role IS NOT NULL AND label = 'PERSON' GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        actor = actor_of.get(key)
        if actor is not None and actor.type == PERSON:
            holders[" ".join(role.split())][actor.actor_id] += n
    by_id = {a.actor_id: a for a in actor_of.values()}
    found = {}
    for role, counts in holders.items():
        best, n = counts.most_common(1)[0]
        if n >= _ROLE_ARTICLES and n / sum(counts.values()) >= _ROLE_SHARE:
            found[role] = by_id[best]
    return found


def _quote_speakers(con: duckdb.DuckDBPyConnection, actor_of: dict[str, Actor], roles: dict[str, Actor]) -> list[tuple]:
    """Each quotation's actor: the one its speaker's name denotes (another of the same
    surname when the article marks a gender the first one does not have: "Mrs Howard"),
    or for "the prime minister" the person the corpus gives that role."""
    def surname(name: str) -> str:
        parts = name_parts(name)
        return parts[-1] if parts else ""

    people: dict[tuple[str, str], list[Actor]] = defaultdict(list)  # (surname, gender) -> persons
    for actor in {a.actor_id: a for a in actor_of.values()}.values():
        if actor.type == PERSON and actor.gender in (MALE, FEMALE):
            people[surname(actor.name), actor.gender].append(actor)
    rows = []
    for doc_id, quote_id, key, kind, role, gender, mention, canonical in con.execute(
        "SELECT doc_id, quote_id, speaker_key, speaker_kind, speaker_role, speaker_article_gender, speaker, speaker_canonical "
        "FROM quotes ORDER BY 1, 2"
    ).fetchall():
        actor = actor_of.get(key) if key else None
        if actor is None and kind == UNNAMED and role and (mention or "").lower().startswith("the "):
            actor = roles.get(" ".join(role.lower().split()))
        if actor is not None and actor.type == PERSON and gender and actor.gender in (MALE, FEMALE) and gender != actor.gender:
            others = people.get((surname(canonical or actor.name), gender), [])
            if len(others) != 1:
                rows.append((doc_id, quote_id, None, canonical, PERSON, gender))
                continue
            actor = others[0]
        if actor is not None:
            kind = UNKNOWN if actor.type == OTHER else actor.type  # a place or a work that "said"
            rows.append((doc_id, quote_id, actor.actor_id, actor.name, kind, actor.gender or GENDER_UNKNOWN))
        else:
            rows.append((doc_id, quote_id, None, None, kind or UNKNOWN, gender or GENDER_UNKNOWN))
    return rows


STAGE = Stage(
    name="actors",
    sources=("actors.py", "stages/actors.py", "gender.py", "names.py", "quotes/sources.py", "resources/names*", "resources/sources*"),
    pipes=(),
    tables=TABLES,
    run=run,
    scope="corpus",
)
