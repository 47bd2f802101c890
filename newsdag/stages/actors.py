"""Actors stage: corpus-level identities of speakers and entities, over all published chunks.

Runs once per run, after the chunk stages, on the parts the run is about to publish, and
writes three small tables: ``actors``, ``actor_keys`` (article-level name → actor) and
``quote_speakers`` (the actor, name, type and gender of each distinct speaker as the
articles give it, joined into the ``quotes`` view by ``speaker_ref``).

A new batch must cost little however large the corpus, so nothing is read twice:

- each chunk's aggregates (per name: mentions, articles, gender votes, roles, aliases;
  per speaker: quotations) are computed once, when its entity and quote parts are new,
  and kept in ``cache/actors/`` named by those parts and this stage's code. A doc is in
  one chunk, so the corpus's totals are the sum of its chunks';
- the previous run's totals and actors are kept in a state file that says which chunk
  aggregates it covers; a run adds the new chunks', subtracts those of chunks no longer
  published, and resolves again only the names that can interact with a changed one
  (those sharing a comparison form or a surname, transitively: :func:`_affected`).
  Without a state that matches, everything is summed and resolved afresh; the result is
  the same either way.

Its parts are keyed by the live entity and quote parts and its code, so a run that
changes no chunk reuses them.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.actors import OTHER, PERSON, Actor, Name, resolve
from newsdag.catalog import read_parquet_sql
from newsdag.entities import NUMERIC_LABELS
from newsdag.gender import FEMALE, MALE
from newsdag.gender import UNKNOWN as GENDER_UNKNOWN
from newsdag.lifeline import stop_if_orphaned
from newsdag.names import NAME_SUFFIXES, clean_person_name, name_key, name_parts, strip_name
from newsdag.plan import code_fingerprint, digest
from newsdag.quotes.sources import UNKNOWN, UNNAMED, speaker_ref
from newsdag.stages.stage import Stage
from newsdag.store import ACTORS_DIR, ACTORS_STATE, Chunk, Manifest, Store, actors_cache_name, atomic_parquet, atomic_write, file_ok, part_name
from newsdag.tables import ACTOR_KEYS, ACTORS, QUOTE_SPEAKERS, to_table

# A role ("prime minister") names one person across the corpus when that person holds at
# least this share of the articles giving it, in at least this many articles.
_ROLE_SHARE = 0.6
_ROLE_ARTICLES = 3
# The corpus tables this stage writes.
TABLES = ("actors", "actor_keys", "quote_speakers")
# The aggregates of a chunk (and of the corpus), each {entity_key: {group: counts}}:
# names (label, canonical) -> (mentions, articles); keys () -> (mentions, articles) over
# all labels; votes (evidence, gender) -> articles; roles (role,) -> articles; after
# () -> articles where a number comes just before; aliases (text,) -> mentions; holders
# (lowercase role,) -> articles, for persons.
_KEYED = ("names", "keys", "votes", "roles", "after", "aliases", "holders")
# ... and the flat ones: speakers (key, kind, role, gender, "the ...", canonical) ->
# quotations; overlaps (sorted keys of one block written in one article) -> articles.
_FLAT = ("speakers", "overlaps")
_MAGIC = b"newsdag-actors-1\n"


def _code() -> str:
    return code_fingerprint(STAGE)[:8]


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
    the same key already wrote them. Runs in the run's own process once its chunks are
    done, when no worker writes any more: what a killed run left half written is swept."""
    for left in store.path(ACTORS_DIR).glob(".new-*.tmp"):
        shutil.rmtree(left, ignore_errors=True)
    key = corpus_key(manifest, genders=genders)
    if store.has(_parts(key).values()):
        return _parts(key)
    collecting = gc.isenabled()
    gc.disable()  # the state is many small objects, none cyclic garbage: the collector would only rescan them
    try:
        state = _load(store.path(ACTORS_STATE), _tag(genders))
        tables, state = build(store, manifest, genders=genders, state=state)
        written = {table: store.write_part(table, key, tables[table]) for table in TABLES}
        _save(store.path(ACTORS_STATE), state)
    finally:
        if collecting:
            gc.enable()
    return written


def _tag(genders: bool) -> str:
    """What a state is valid for: this code, these settings and this Python's marshal format."""
    return digest(_code(), str(genders), str(marshal.version), "%d.%d" % sys.version_info[:2])


# ------------------------------------------------------------------ the state file
def _save(path: Path, state: dict) -> None:
    """Write ``state`` to ``path`` under a temporary name first: its tag, a checksum and
    the state in ``marshal``'s format (plain values; several times faster than pickle,
    and the tag names the Python that wrote it). Actors go as tuples, the token index not
    at all (it is rebuilt from the tokens)."""
    plain = {name: value for name, value in state.items() if name not in ("actor_of", "index")}
    unique = {id(a): a for a in state["actor_of"].values()}.values()
    plain["actors"] = [(a.actor_id, a.name, a.type, a.label, a.gender, a.gender_evidence, a.keys, a.aliases, a.roles) for a in unique]
    payload = marshal.dumps(plain)
    atomic_write(path, _MAGIC + state["tag"].encode() + b"\n" + hashlib.sha256(payload).digest() + payload)


def _load(path: Path, tag: str) -> dict | None:
    """The state :func:`_save` wrote, or None when the file is missing or damaged, or
    was written by other code, settings or Python (its ``tag`` differs)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = _MAGIC + tag.encode() + b"\n"
    digest_end = len(head) + 32
    payload = raw[digest_end:]
    if not raw.startswith(head) or raw[len(head) : digest_end] != hashlib.sha256(payload).digest():
        return None
    try:
        state = marshal.loads(payload)
        actors = [Actor(*fields) for fields in state.pop("actors")]
    except (ValueError, EOFError, TypeError, KeyError):
        return None
    state["actor_of"] = {key: actor for actor in actors for key in actor.keys}
    index: dict[str, set[str]] = {}
    for key, tokens in state["tokens"].items():
        for token in tokens:
            index.setdefault(token, set()).add(key)
    state["index"] = index
    return state


# ------------------------------------------------------------------ chunk aggregates
def _empty() -> dict[str, dict]:
    return {name: {} for name in _KEYED + _FLAT}


def block(key: str) -> str:
    """The last word of a key's name in comparison form ("PERSON:mr tony blair" → "blair"):
    the names of one actor share it, so an article naming one actor twice names it
    within one block (checked over the actors, see :func:`_articles`)."""
    words = name_key(strip_name(key.partition(":")[2])).split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


# A chunk's aggregates as rows: which aggregate, the key and up to four more group columns
# and a flag (see _rows_sql), and one or two counts.
_CACHE = pa.schema([
    ("agg", pa.string()), ("key", pa.string()), ("a", pa.string()), ("b", pa.string()), ("c", pa.string()),
    ("d", pa.string()), ("flag", pa.bool_()), ("n1", pa.int64()), ("n2", pa.int64()),
])
_SEP = "\x1f"  # between the keys of an overlap
_IN_MEMORY_DOCS = 20_000
_ENTITY_COLUMNS = "e.doc_id, e.entity_key, e.label, e.canonical, e.text, e.role, e.gender, e.gender_evidence, e.start_char, e.end_char"
_QUOTE_COLUMNS = "q.doc_id, q.speaker_key, q.speaker_kind, q.speaker_role, q.speaker_article_gender, q.speaker, q.speaker_canonical"


def _rows_sql() -> str:
    """Every aggregate of the ``ents`` and ``quotes`` views, by chunk (``docs`` maps each
    document to its chunk), in the cache's columns. Each is counted per document first and
    only then joined to its chunk: a document's rows are one group, so its articles are a
    plain count, and the join meets aggregated rows, not mentions."""
    def select(agg: str, key: str, groups: list[str], counts: list[str], source: str, where: str = "") -> str:
        names = [f"g{n}" for n in range(len(groups))]
        columns = (names + ["NULL"] * 5)[:4]
        flag = "NULL"
        if agg == "speakers":
            columns, flag = names[:3] + [names[4]], names[3]
        n = (counts + ["NULL"])[:2]
        inner = (
            f"SELECT doc_id, {key} AS k{''.join(f', {g} AS {name}' for g, name in zip(groups, names))}, count(*) AS n"
            f" FROM {source} {('WHERE ' + where) if where else ''} GROUP BY ALL"
        )
        return (
            f"SELECT d.chunk, '{agg}' AS agg, x.k AS key, "
            + ", ".join(f"CAST({c} AS VARCHAR) AS {name}" for c, name in zip(columns, "abcd"))
            + f", CAST({flag} AS BOOLEAN) AS flag, CAST({n[0]} AS BIGINT) AS n1, CAST({n[1]} AS BIGINT) AS n2"
            + f" FROM ({inner}) x JOIN docs d USING (doc_id) GROUP BY {', '.join(['d.chunk', 'x.k'] + names)}"
        )

    docs, rows = "count(*)", "sum(n)"  # over the per-document rows
    numeric = "[" + ", ".join(f"'{label}'" for label in sorted(NUMERIC_LABELS)) + "]"
    named = "entity_key IS NOT NULL"
    return " UNION ALL ".join([
        select("names", "entity_key", ["label", "canonical"], [rows, docs], "ents", f"{named} AND NOT list_contains({numeric}, label)"),
        select("keys", "entity_key", [], [rows, docs], "ents", named),
        select("votes", "entity_key", ["gender_evidence", "gender"], [docs], "ents", f"{named} AND gender IS NOT NULL"),
        select("roles", "entity_key", ["role"], [docs], "ents", f"{named} AND role IS NOT NULL"),
        select("after", "entity_key", [], [docs], "ents e SEMI JOIN ents before ON before.doc_id = e.doc_id AND "
               "before.end_char = e.start_char - 1 AND before.label IN ('TIME', 'CARDINAL', 'DATE', 'QUANTITY')", named),
        select("aliases", "entity_key", ["text"], [rows], "ents", f"{named} AND text <> canonical"),
        select("holders", "entity_key", ["lower(role)"], [docs], "ents", f"{named} AND role IS NOT NULL AND label = 'PERSON'"),
        select("speakers", "speaker_key", ["speaker_kind", "speaker_role", "speaker_article_gender",
               "coalesce(starts_with(lower(speaker), 'the '), false)", "speaker_canonical"], [rows], "quotes"),
        select("overlaps", "ks", [], [rows], f"""(SELECT doc_id, array_to_string(list_sort(list(DISTINCT entity_key)), '{_SEP}') AS ks
               FROM ents JOIN blocks USING (entity_key) GROUP BY doc_id, block HAVING count(DISTINCT entity_key) > 1)"""),
    ])


def _ensure_caches(store: Store, manifest: Manifest, chunks: list[Chunk], code: str) -> dict[str, Chunk]:
    """Each chunk's aggregates file (cache name -> chunk): kept from an earlier run, or
    computed, in one DuckDB pass over the chunks that have none, and renamed into place
    (from a temporary folder of this process's own: workers write theirs at once)."""
    missing = [c for c in chunks if not file_ok(store.path(actors_cache_name(c, code)))]
    if missing:
        held = manifest.held()
        files = {
            table: [store.path(store.empty_part(table))]
            + [store.path(f) for f in dict.fromkeys(held.get(c.parts[table], c.parts[table]) for c in missing if table in c.parts)]
            for table in ("entities", "quotes")
        }
        docs = pa.table({
            "doc_id": pa.array([d for c in missing for d in c.doc_ids], pa.string()),
            "chunk": pa.array([c.chunk_id for c in missing for _ in c.doc_ids], pa.string()),
        })
        out = store.path(ACTORS_DIR) / f".new-{os.getpid()}.tmp"
        out.parent.mkdir(parents=True, exist_ok=True)
        # a few chunks (a new batch) are read once into memory, only their documents; the whole
        # corpus is scanned per aggregate (the join to ``docs`` keeps the chunks asked for)
        small = docs.num_rows <= _IN_MEMORY_DOCS
        kind, only = ("TEMP TABLE", " SEMI JOIN docs USING (doc_id)") if small else ("VIEW", "")
        with duckdb.connect() as con:
            con.register("docs", docs)
            con.execute(f"CREATE {kind} ents AS SELECT {_ENTITY_COLUMNS} FROM {read_parquet_sql(files['entities'])} e{only}")
            con.execute(f"CREATE {kind} quotes AS SELECT {_QUOTE_COLUMNS} FROM {read_parquet_sql(files['quotes'])} q{only}")
            keys = [k for (k,) in con.execute("SELECT DISTINCT entity_key FROM ents WHERE entity_key IS NOT NULL").fetchall()]
            con.register("blocks", pa.table({"entity_key": pa.array(keys, pa.string()), "block": pa.array([block(k) for k in keys], pa.string())}))
            con.execute(f"COPY ({_rows_sql()}) TO '{out}' (FORMAT parquet, PARTITION_BY (chunk), COMPRESSION zstd)")
        for chunk in missing:
            target = store.path(actors_cache_name(chunk, code))
            for stale in target.parent.glob(f"{chunk.chunk_id}-*.parquet"):  # other parts or code
                stale.unlink(missing_ok=True)
            written = sorted((out / f"chunk={chunk.chunk_id}").glob("*.parquet"))
            if len(written) == 1:
                stop_if_orphaned()
                os.replace(written[0], target)
            else:  # no rows, or more than one file
                table = pa.concat_tables([pq.read_table(f, schema=_CACHE) for f in written]) if written else _CACHE.empty_table()
                atomic_parquet(target, table.cast(_CACHE))
        shutil.rmtree(out, ignore_errors=True)
    return {actors_cache_name(c, code): c for c in chunks}


def _aggregates(rows: Iterable[tuple]) -> dict[str, dict]:
    """Cache rows as aggregates ({key: {group: counts}}, and the flat ones)."""
    out = _empty()
    names, keys, votes, roles, after, aliases, holders = (out[n] for n in _KEYED)
    speakers, overlaps = out["speakers"], out["overlaps"]
    for agg, key, a, b, c, d, flag, n1, n2 in rows:
        if agg == "names":
            names.setdefault(key, {})[a, b] = (n1, n2)
        elif agg == "keys":
            keys.setdefault(key, {})[()] = (n1, n2)
        elif agg == "votes":
            votes.setdefault(key, {})[a, b] = (n1,)
        elif agg == "roles":
            roles.setdefault(key, {})[(a,)] = (n1,)
        elif agg == "after":
            after.setdefault(key, {})[()] = (n1,)
        elif agg == "aliases":
            aliases.setdefault(key, {})[(a,)] = (n1,)
        elif agg == "holders":
            holders.setdefault(key, {})[(a,)] = (n1,)
        elif agg == "speakers":
            speakers[key, a, b, c, flag, d] = (n1,)
        elif agg == "overlaps":
            overlaps[tuple(key.split(_SEP))] = (n1,)
    return out


def _read_cache(path: Path) -> dict[str, dict] | None:
    """One chunk's aggregates, or None when its file is missing or damaged."""
    try:
        table = pq.read_table(path, schema=_CACHE)
    except (OSError, pa.ArrowException):
        return None
    return _aggregates(zip(*(table.column(n).to_pylist() for n in _CACHE.names)))


def _summed(store: Store, names: Iterable[str]) -> dict[str, dict]:
    """The corpus's aggregates: the sum of its chunks', in DuckDB."""
    files = [store.path(n) for n in names]
    if not files:
        return _empty()
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT agg, key, a, b, c, d, flag, sum(n1)::BIGINT, sum(n2)::BIGINT FROM read_parquet([{listed}]) GROUP BY ALL"
        ).fetchall()
    return _aggregates(rows)


def _add(total: dict[str, dict], part: dict[str, dict], sign: int, touched: set[str]) -> None:
    """Add (or with ``sign`` -1 subtract) one chunk's aggregates to the totals in place;
    note the keys whose totals changed in ``touched``."""
    for name in _KEYED:
        into = total[name]
        for key, groups in part[name].items():
            touched.add(key)
            mine = into.setdefault(key, {})
            for group, counts in groups.items():
                old = mine.get(group)
                new = counts if old is None else tuple(a + sign * b for a, b in zip(old, counts))
                if old is None and sign < 0:
                    raise KeyError(group)  # subtracting what was never added: the state is not this data's
                if any(new):
                    mine[group] = new
                else:
                    del mine[group]
            if not mine:
                del into[key]
    for name in _FLAT:
        into = total[name]
        for group, (n,) in part[name].items():
            value = into.get(group, (0,))[0] + sign * n
            if value < 0 or (value == 0 and group not in into and sign < 0):
                raise KeyError(group)
            if value:
                into[group] = (value,)
            else:
                del into[group]


# ------------------------------------------------------------------ the corpus
def _order(group: tuple) -> tuple:
    """SQL's ORDER BY ALL: ascending, nulls last."""
    return tuple((value is None, value if value is not None else "") for value in group)


def _name(totals: dict[str, dict], key: str) -> Name | None:
    """The name ``key`` with its corpus-wide counts and evidence, each read in a fixed
    order, so ties resolve alike on every run and ids do not change while the data does not."""
    rows = totals["names"].get(key)
    if not rows:
        return None
    best = None
    for group in sorted(rows, key=_order):
        mentions, articles = rows[group]
        if best is None or mentions > best[2]:
            best = (*group, mentions, articles)
    item = Name(key, *best)
    for group in sorted(totals["votes"].get(key, ()), key=_order):
        item.votes[group] += totals["votes"][key][group][0]
    for group in sorted(totals["roles"].get(key, ()), key=_order):
        item.roles[group[0]] += totals["roles"][key][group][0]
    for counts in totals["after"].get(key, {}).values():
        item.after_numbers += counts[0]
    for group in sorted(totals["aliases"].get(key, ()), key=_order):
        item.aliases[" ".join(group[0].split())] += totals["aliases"][key][group][0]
    return item


def _tokens(item: Name) -> tuple[str, ...]:
    """What :func:`newsdag.actors.resolve` compares a name by: its comparison form and
    its surname (the last of its name parts), as resolve cleans it."""
    text = item.name
    if item.label == "PERSON" and (clean := clean_person_name(text)).name:
        text = clean.name
    parts = name_parts(text)
    return ("k:" + name_key(text),) + (("s:" + parts[-1],) if parts else ())


def _affected(touched: set[str], old: dict[str, tuple], tokens: dict[str, tuple], index: dict[str, set[str]],
              actor_of: dict[str, Actor]) -> set[str]:
    """The keys whose actors may change when the ``touched`` keys' names did: all those
    joined to one by a shared token, before or after the change, or by an actor. Resolution
    never relates names that are not so joined, so the others keep their actors."""
    affected: set[str] = set()
    seen: set[str] = set()
    frontier = list(touched)
    while frontier:
        key = frontier.pop()
        if key in affected:
            continue
        affected.add(key)
        if (actor := actor_of.get(key)) is not None:
            frontier.extend(actor.keys)
        for token in old.get(key, ()) + tokens.get(key, ()):
            if token not in seen:
                seen.add(token)
                frontier.extend(index.get(token, ()))
    return affected


def _actor_id(kind: str, name: str) -> str:
    return digest("actor", kind, " ".join(name.casefold().split()))


def build(store: Store, manifest: Manifest, *, genders: bool = True, state: dict | None = None) -> tuple[dict[str, pa.Table], dict]:
    """The three corpus tables for ``manifest`` and the state a later run starts from:
    incrementally from ``state`` when it covers chunks this manifest can be reached from,
    else from every chunk's aggregates."""
    code = _code()
    current = {actors_cache_name(c, code): c for c in manifest.chunks.values()}
    touched: set[str] = set()
    if state is not None:
        try:
            removed = [_read_cache(store.path(name)) for name in state["covered"] - current.keys()]
            if any(value is None for value in removed):  # a chunk gone whose aggregates are gone too
                raise KeyError("covered")
            added = _ensure_caches(store, manifest, [c for n, c in current.items() if n not in state["covered"]], code)
            for value in removed:
                _add(state["totals"], value, -1, touched)
            for name in added:
                _add(state["totals"], _read_cache(store.path(name)), 1, touched)
        except (KeyError, TypeError):  # the state does not hold what it says it covers
            state = None
    if state is None:
        _ensure_caches(store, manifest, list(current.values()), code)
        totals = _summed(store, sorted(current))
        touched = {key for name in _KEYED for key in totals[name]}
        state = {"tag": _tag(genders), "totals": totals, "actor_of": {}, "tokens": {}, "index": {}, "sums": {}, "refs": {}, "surnames": {}}
    state["covered"] = set(current)
    totals = state["totals"]

    tokens, index, actor_of = state["tokens"], state["index"], state["actor_of"]
    names = {k: n for k in touched if (n := _name(totals, k)) is not None}
    old = {k: tokens.pop(k, ()) for k in touched}
    for key, was in old.items():
        for token in was:
            index[token].discard(key)
            if not index[token]:
                del index[token]
    for key, item in names.items():
        tokens[key] = _tokens(item)
        for token in tokens[key]:
            index.setdefault(token, set()).add(key)
    affected = _affected(touched, old, tokens, index, actor_of)
    sums = state["sums"]
    for key in affected:
        actor_of.pop(key, None)
        sums.pop(key, None)
        if key not in names and (item := _name(totals, key)) is not None:
            names[key] = item
    fresh = resolve((names[k] for k in sorted(affected) if k in names), genders=genders, actor_id=_actor_id)
    keys = totals["keys"]
    for actor in fresh:
        for key in actor.keys:
            actor_of[key] = actor
        # An actor not resolved again has no touched key: its keys' counts are as they were.
        counts = [keys.get(k, {}).get((), (0, 0)) for k in actor.keys]
        odd = len(actor.keys) > 1 and len({block(k) for k in actor.keys}) > 1
        sums[actor.keys[0]] = (sum(c[0] for c in counts), sum(c[1] for c in counts), odd)
    return _tables(store, manifest, state), state


def _tables(store: Store, manifest: Manifest, state: dict) -> dict[str, pa.Table]:
    totals, actor_of, sums = state["totals"], state["actor_of"], state["sums"]
    actors = sorted({id(a): a for a in actor_of.values()}.values(), key=lambda a: (a.actor_id, a.keys))
    roles = _role_holders(totals["holders"], actor_of, actors)
    speakers, quoted = _quote_speakers(totals["speakers"], actor_of, roles, actors, state)
    articles = _articles(store, manifest, totals["overlaps"], actor_of, actors, sums)
    columns = {
        "actor_id": [a.actor_id for a in actors], "name": [a.name for a in actors], "type": [a.type for a in actors],
        "label": [a.label for a in actors], "aliases": [a.aliases for a in actors], "gender": [a.gender for a in actors],
        "gender_evidence": [a.gender_evidence for a in actors], "roles": [a.roles for a in actors],
        "mentions": [sums[a.keys[0]][0] for a in actors], "articles": [articles[a.actor_id] for a in actors],
        "quotes": [quoted[a.actor_id] for a in actors],
    }
    keys = sorted(actor_of)
    return {
        "actors": pa.Table.from_arrays([pa.array(columns[f.name], f.type) for f in ACTORS], schema=ACTORS),
        "actor_keys": pa.Table.from_arrays(
            [pa.array(keys, pa.string()), pa.array([actor_of[k].actor_id for k in keys], pa.string())], schema=ACTOR_KEYS
        ),
        "quote_speakers": to_table(sorted(speakers), QUOTE_SPEAKERS),
    }


def _articles(store: Store, manifest: Manifest, overlaps: dict[tuple, tuple], actor_of: dict[str, Actor], actors: list[Actor],
              sums: dict[str, tuple]) -> Counter:
    """Articles that mention each actor: those of its keys, less the articles that name
    it by more than one key (counted from the chunks' ``overlaps``). An actor whose keys
    are not all of one block is counted over the entities themselves."""
    counts = Counter({a.actor_id: sums[a.keys[0]][1] for a in actors})
    odd = {a.actor_id: a.keys for a in actors if sums[a.keys[0]][2]}
    for group, (n,) in overlaps.items():
        per: Counter = Counter(actor_of[k].actor_id for k in group if k in actor_of)
        for actor_id, m in per.items():
            if m > 1 and actor_id not in odd:
                counts[actor_id] -= n * (m - 1)
    if odd:
        files = [store.path(store.empty_part("entities"))] + [store.path(p) for p in manifest.files("entities")]
        with duckdb.connect() as con:
            con.register("odd", pa.table({
                "actor_id": pa.array([a for a, ks in odd.items() for _ in ks], pa.string()),
                "entity_key": pa.array([k for ks in odd.values() for k in ks], pa.string()),
            }))
            for actor_id, n in con.execute(
                f"SELECT o.actor_id, count(DISTINCT e.doc_id) FROM {read_parquet_sql(files)} e JOIN odd o USING (entity_key) GROUP BY 1"
            ).fetchall():
                counts[actor_id] = n
    return counts


def _role_holders(holders: dict[str, dict], actor_of: dict[str, Actor], actors: list[Actor]) -> dict[str, Actor]:
    """Roles that name one person across the corpus ("prime minister" → the person most
    articles call so, when nearly all do), keyed by the lowercase role."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for key in sorted(holders):
        actor = actor_of.get(key)
        if actor is None or actor.type != PERSON:
            continue
        groups = holders[key]
        for group in sorted(groups, key=_order) if len(groups) > 1 else groups:
            counts[" ".join(group[0].split())][actor.actor_id] += groups[group][0]
    by_id = {a.actor_id: a for a in actors}
    found = {}
    for role, per in counts.items():
        best, n = per.most_common(1)[0]
        if n >= _ROLE_ARTICLES and n / sum(per.values()) >= _ROLE_SHARE:
            found[role] = by_id[best]
    return found


def _quote_speakers(speakers: dict[tuple, tuple], actor_of: dict[str, Actor], roles: dict[str, Actor],
                    actors: list[Actor], state: dict) -> tuple[list[tuple], Counter]:
    """The actor of each distinct speaker (one ``quote_speakers`` row per ``speaker_ref``)
    and each actor's quotations: the one its speaker's name denotes (another of the same
    surname when the article marks a gender the first one does not have: "Mrs Howard"),
    or for "the prime minister" the person the corpus gives that role."""
    known, refs = state["surnames"], state["refs"]
    surnames: dict[str, str] = {}
    refs_now: dict[tuple, str] = {}
    state["surnames"], state["refs"] = surnames, refs_now  # for the next run: those still in use

    def surname(name: str) -> str:
        found = surnames.get(name)
        if found is None:
            found = known.get(name)
            if found is None:
                parts = name_parts(name)
                found = parts[-1] if parts else ""
            surnames[name] = found
        return found

    people: dict[tuple[str, str], list[Actor]] = defaultdict(list)  # (surname, gender) -> persons
    for actor in actors:
        if actor.type == PERSON and actor.gender in (MALE, FEMALE):
            people[surname(actor.name), actor.gender].append(actor)
    rows = []
    quoted: Counter = Counter()
    for spec, (n,) in speakers.items():
        key, kind, role, gender, the, canonical = spec
        ref = refs_now[spec] = refs.get(spec) or speaker_ref(key, kind, role, gender, "the " if the else "", canonical)
        actor = actor_of.get(key) if key else None
        if actor is None and kind == UNNAMED and role and the:
            actor = roles.get(" ".join(role.lower().split()))
        if actor is not None and actor.type == PERSON and gender and actor.gender in (MALE, FEMALE) and gender != actor.gender:
            others = people.get((surname(canonical or actor.name), gender), [])
            if len(others) != 1:
                rows.append((ref, None, canonical, PERSON, gender))
                continue
            actor = others[0]
        if actor is not None:
            kind = UNKNOWN if actor.type == OTHER else actor.type  # a place or a work that "said"
            rows.append((ref, actor.actor_id, actor.name, kind, actor.gender or GENDER_UNKNOWN))
            quoted[actor.actor_id] += n
        else:
            rows.append((ref, None, None, kind or UNKNOWN, gender or GENDER_UNKNOWN))
    return rows, quoted


def prepare(store: Store, chunk: Chunk) -> None:
    """A new chunk's aggregates, computed in the worker that processed it."""
    _ensure_caches(store, Manifest(), [chunk], _code())


STAGE = Stage(
    name="actors",
    sources=("actors.py", "stages/actors.py", "gender.py", "names.py", "quotes/sources.py", "resources/names*", "resources/sources*"),
    pipes=(),
    tables=TABLES,
    run=run,
    scope="corpus",
    prepare=prepare,
)
