"""Batch scenario files (TOML): parsing and validation before any work is done.

A scenario file names the network, the OD pairs, the route families to compare, the link
statuses ("with and without planned links"), the failure sets, the latency-model variants and
the outputs. Every table and key is optional except the OD pairs::

    title = "Europe x East Asia: three corridors"

    [network]                       # default: the shipped data set
    sites = "my_sites.geojson"      # paths are relative to the scenario file
    links = "my_links.geojson"
    countries = "borders.geojson"

    [pairs]                         # any combination; the union is taken, duplicates dropped
    list = [["frankfurt", "shanghai"], ["London", "Tokyo"]]
    csv = "pairs.csv"               # columns source,target (ids or names)
    from = { regions = ["europe"], kinds = ["city"] }             # every site of group "from"
    to = { regions = ["china", "east_asia"], kinds = ["city"] }   # x every site of group "to"
    sample = 100                    # optional: a seeded random subset of the pairs
    seed = 0

    [routing]
    k = 1                           # paths per pair and family (k > 1: exact k-shortest)
    status = ["existing", "all"]    # one scenario per status: compare with/without candidates
    avoid = ["ru-ua-border"]        # applied to every family
    max_rtt_ms = 400                # optional round-trip cap
    max_hops = 60                   # optional

    [[family]]                      # route families (default: one unconstrained "best")
    name = "Middle Corridor (via KZ, no RU)"
    via = ["KZ"]                    # sites or countries the route must touch
    avoid = ["RU"]                  # sites, links, systems, countries or SRLGs

    [[failure]]                     # failure sets; the no-failure baseline "none" is always run
    name = "Red Sea cut"
    elements = ["red-sea"]          # links, SRLGs, systems, sites, countries failing together
    [[failure]]
    name = "single links"
    kind = "links"                  # or srlgs / countries / sites: one scenario per element

    [[model]]                       # latency-model variants (default: the default model)
    name = "slow fibre"
    group_index = 1.47              # also route_factor_terrestrial, route_factor_submarine,
                                    # site_delay_ms, service_factor_terrestrial,
                                    # service_factor_submarine, handoff_ms, inferred_penalty
                                    # (unset keys: the shipped calibrated model or --model FILE)
    [measured]
    csv = "measured.csv"            # source,target,measured_rtt_ms (pairs must be in the OD set)

    [output]
    parquet = true
    csv = true
    html = true
    markdown = true
    paths = true                    # keep the site sequence of every path in the results

    [report]
    corridor_family = "Middle Corridor (via KZ, no RU)"   # default: the first family
    highlight = [["frankfurt", "shanghai"]]  # pairs shown in the per-pair chart
    flag_countries = ["KZ", "RU"]            # crosses_<CC> columns
    top = 15

    [run]
    chunk_pairs = 128               # OD pairs per chunk
    failures_per_chunk = 32         # failure scenarios per chunk

Any problem (a TOML syntax error, an unknown key, a wrong type, an unknown site / country /
region / failure element, an empty OD set) raises :class:`~corridor.DataError` (the file) or
:class:`~corridor.RequestError` (the request) with one line ``FILE:LINE: key: what is wrong``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from corridor import __version__, datasets
from corridor._errors import CorridorError, DataError, RequestError
from corridor.latency import LatencyModel, default_model
from corridor.network import Network, load_network
from corridor.resilience.scenarios import SCENARIO_KINDS, build_scenarios, resolve_elements
from corridor.routing import constraints

__all__ = [
    "BatchSpec",
    "FailureSet",
    "Family",
    "ModelVariant",
    "load_scenario",
    "parse_scenario",
    "spec_as_of",
]

STATUSES = ("existing", "planned", "all")
MODEL_KEYS = (
    "group_index",
    "route_factor_terrestrial",
    "route_factor_submarine",
    "site_delay_ms",
    "service_factor_terrestrial",
    "service_factor_submarine",
    "handoff_ms",
    "inferred_penalty",
)
GROUP_KEYS = ("regions", "countries", "sites", "kinds")

# key -> (python types, description); nested tables are checked by their own schema
_SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "": {
        "title": ((str,), "a string"),
        "network": ((dict,), "a table"),
        "pairs": ((dict,), "a table"),
        "routing": ((dict,), "a table"),
        "family": ((list,), "an array of tables [[family]]"),
        "failure": ((list,), "an array of tables [[failure]]"),
        "model": ((list,), "an array of tables [[model]]"),
        "measured": ((dict,), "a table"),
        "output": ((dict,), "a table"),
        "report": ((dict,), "a table"),
        "run": ((dict,), "a table"),
    },
    "network": {
        "sites": ((str,), "a file path"),
        "links": ((str,), "a file path"),
        "countries": ((str,), "a file path"),
    },
    "pairs": {
        "list": ((list,), "a list of [source, target] pairs"),
        "csv": ((str,), "a file path"),
        "from": ((dict,), "an inline table of regions/countries/sites/kinds"),
        "to": ((dict,), "an inline table of regions/countries/sites/kinds"),
        "sample": ((int,), "a positive integer"),
        "seed": ((int,), "an integer"),
    },
    "routing": {
        "k": ((int,), "a positive integer"),
        "status": ((str, list), "existing, planned, all or a list of them"),
        "avoid": ((str, list), "a string or a list of strings"),
        "max_rtt_ms": ((int, float), "a positive number"),
        "max_hops": ((int,), "a positive integer"),
    },
    "family": {
        "name": ((str,), "a string"),
        "via": ((str, list), "a string or a list of strings"),
        "avoid": ((str, list), "a string or a list of strings"),
    },
    "failure": {
        "name": ((str,), "a string"),
        "elements": ((str, list), "a string or a list of strings"),
        "kind": ((str,), f"one of {', '.join(SCENARIO_KINDS[:4])}"),
    },
    "model": {
        "name": ((str,), "a string"),
        **{k: ((int, float), "a number") for k in MODEL_KEYS},
    },
    "measured": {"csv": ((str,), "a file path")},
    "output": {
        k: ((bool,), "true or false") for k in ("parquet", "csv", "html", "markdown", "paths")
    },
    "report": {
        "corridor_family": ((str,), "a family name"),
        "highlight": ((list,), "a list of [source, target] pairs"),
        "flag_countries": ((list,), "a list of country codes"),
        "top": ((int,), "a positive integer"),
    },
    "run": {
        "chunk_pairs": ((int,), "a positive integer"),
        "failures_per_chunk": ((int,), "a positive integer"),
    },
    "group": {k: ((str, list), "a string or a list of strings") for k in GROUP_KEYS},
}


@dataclass(frozen=True)
class Family:
    """A route family: constraints every route of the family satisfies."""

    name: str
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


@dataclass(frozen=True)
class FailureSet:
    """A named failure set: elements failing together, or a family expanded per element."""

    name: str
    elements: tuple[str, ...] = ()
    kind: str | None = None  # links / srlgs / countries / sites


@dataclass(frozen=True)
class ModelVariant:
    """A latency-model variant (``None`` = the model default)."""

    name: str
    group_index: float | None = None
    route_factor_terrestrial: float | None = None
    route_factor_submarine: float | None = None
    site_delay_ms: float | None = None
    service_factor_terrestrial: float | None = None
    service_factor_submarine: float | None = None
    handoff_ms: float | None = None
    inferred_penalty: float | None = None

    def model(self) -> LatencyModel:
        return default_model().with_options(
            **{k: getattr(self, k) for k in MODEL_KEYS if getattr(self, k) is not None}
        )

    def params(self) -> dict[str, float]:
        m = self.model()
        return {k: float(getattr(m, k)) for k in MODEL_KEYS}


@dataclass(frozen=True)
class BatchSpec:
    """A validated scenario file (paths absolute, sites resolved to ids)."""

    path: Path
    title: str
    sites: str | None
    links: str | None
    countries: str | None
    pairs: tuple[tuple[str, str], ...]
    k: int
    statuses: tuple[str, ...]
    avoid: tuple[str, ...]
    max_rtt_ms: float | None
    max_hops: int | None
    families: tuple[Family, ...]
    failures: tuple[FailureSet, ...]
    models: tuple[ModelVariant, ...]
    measured: tuple[tuple[str, str, float], ...] = ()
    measured_path: str | None = None
    outputs: dict[str, bool] = field(default_factory=dict)
    corridor_family: str = ""
    highlight: tuple[tuple[str, str], ...] = ()
    flag_countries: tuple[str, ...] = ("KZ", "RU")
    top: int = 15
    chunk_pairs: int = 128
    failures_per_chunk: int = 32
    site_names: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def network_key(self) -> tuple[str | None, str | None, str | None]:
        return (self.sites, self.links, self.countries)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (also what :attr:`fingerprint` hashes)."""
        data = asdict(self)
        data.pop("site_names")
        data["path"] = str(self.path)
        return data

    @property
    def fingerprint(self) -> str:
        """Hash of the normalized spec, the corridor version and the input files' contents."""
        h = hashlib.sha256()
        data = self.to_dict()
        data.pop("path")
        data.pop("outputs")
        data.pop("highlight")
        data.pop("top")
        data.pop("title")
        h.update(json.dumps(data, sort_keys=True, default=str).encode())
        h.update(__version__.encode())
        defaults = default_data_files()
        for p, d in zip((self.sites, self.links, self.countries), defaults, strict=True):
            h.update(hashlib.sha256(Path(p or d).read_bytes()).digest())
        return h.hexdigest()[:16]


# -- locating keys in the TOML text (tomllib gives no line numbers) -----------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")


def _strip(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def locate(text: str, path: Sequence[str | int]) -> int:
    """1-based line of the key at ``path`` (e.g. ``("family", 1, "via")``), or of its table.

    A best-effort scan: table headers ``[t]`` and ``[[t]]`` (counting repeats), then the first
    ``key =`` line in that table; top-level keys before the first header. Returns 1 when the
    key cannot be found.
    """
    lines = text.splitlines()
    table = ""
    count: dict[str, int] = {}
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    current = ("", 0)
    start = 0
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m and not line.lstrip().startswith("#"):
            spans[current] = (start, i)
            table = _strip(m.group(2))
            n = count.get(table, -1) + 1 if m.group(1) == "[[" else 0
            count[table] = n
            current = (table, n)
            start = i
    spans[current] = (start, len(lines))
    parts = [p for p in path]
    table_name, index, keys = "", 0, parts
    if parts and isinstance(parts[0], str) and any(t == parts[0] for t, _ in spans):
        table_name = str(parts[0])
        if len(parts) > 1 and isinstance(parts[1], int):
            index, keys = parts[1], parts[2:]
        else:
            keys = parts[1:]
    where = spans.get((table_name, index))
    if where is None:
        return 1
    lo, hi = where
    key = next((k for k in keys if isinstance(k, str)), None)
    if key is None:
        return lo + 1
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*(=|\.)")
    inline = re.compile(rf"[{{,]\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(lo, hi):
        if pattern.match(lines[i]):
            return i + 1
    if table_name == "" and not keys[1:]:
        # a table given as a header, e.g. [pairs]
        for (t, n), (a, _) in spans.items():
            if t == key and n == 0 and t:
                return a + 1
    for i in range(lo, hi):
        if inline.search(lines[i]):
            return i + 1
    return lo + 1


class _Ctx:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(
        self, where: Sequence[str | int], msg: str, cls: type[CorridorError] = RequestError
    ) -> CorridorError:
        line = locate(self.text, where)
        key = _keyname(where)
        return cls(f"{self.path}:{line}: {key}: {msg}")


def _keyname(where: Sequence[str | int]) -> str:
    out = ""
    for part in where:
        if isinstance(part, int):
            out = f"[[{out}]] #{part + 1}"
        else:
            out = f"{out}.{part}" if out else part
    return out or "(file)"


def _check_table(ctx: _Ctx, data: dict[str, Any], schema: str, where: tuple[Any, ...]) -> None:
    allowed = _SCHEMA[schema]
    for key, value in data.items():
        if key not in allowed:
            known = ", ".join(allowed)
            raise ctx.fail((*where, key), f"unknown key {key!r} (known: {known})", DataError)
        types, desc = allowed[key]
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if ok and isinstance(value, list) and str in (*types, list) and desc.startswith("a str"):
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            got = type(value).__name__
            raise ctx.fail((*where, key), f"must be {desc}, got {got} {value!r}", DataError)


def _strings(ctx: _Ctx, value: Any, where: tuple[Any, ...]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) and v.strip() for v in items):
        raise ctx.fail(where, f"must be non-empty strings, got {value!r}", DataError)
    return tuple(v.strip() for v in items)


def _positive(ctx: _Ctx, value: Any, where: tuple[Any, ...]) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ctx.fail(where, f"must be positive, got {value!r}", RequestError)


def _resolve(path: Path, base: Path, ctx: _Ctx, where: tuple[Any, ...]) -> str:
    full = (base / path).resolve()
    if not full.is_file():
        raise ctx.fail(where, f"file not found: {full}", DataError)
    return str(full)


def _pair_list(
    ctx: _Ctx, net: Network, value: Any, where: tuple[Any, ...]
) -> list[tuple[str, str]]:
    out = []
    for i, pair in enumerate(value):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(x, str) for x in pair)
        ):
            raise ctx.fail(where, f"item {i + 1} must be [source, target], got {pair!r}", DataError)
        out.append(_site_pair(ctx, net, pair[0], pair[1], where))
    return out


def _site_pair(
    ctx: _Ctx, net: Network, a: str, b: str, where: tuple[Any, ...], prefix: str = ""
) -> tuple[str, str]:
    try:
        s, t = net.resolve_site(a), net.resolve_site(b)
    except CorridorError as exc:
        raise ctx.fail(where, f"{prefix}{exc}") from None
    if s == t:
        raise ctx.fail(where, f"{prefix}pair ({a!r}, {b!r}) names the same site twice")
    return s, t


def _group(ctx: _Ctx, net: Network, value: dict[str, Any], where: tuple[Any, ...]) -> list[str]:
    _check_table(ctx, value, "group", where)
    if not value:
        raise ctx.fail(where, "empty group: give regions, countries, sites and/or kinds")
    sites = net.sites
    mask = sites["id"].notna()
    region = sites["region"].fillna("").astype(str)
    known_regions = sorted(set(region) - {""})
    if "regions" in value:
        regs = _strings(ctx, value["regions"], (*where, "regions"))
        bad = [r for r in regs if r not in known_regions]
        if bad:
            raise ctx.fail(
                (*where, "regions"),
                f"unknown region {bad[0]!r} (known: {', '.join(known_regions)})",
            )
        mask &= region.isin(regs)
    if "countries" in value:
        codes = []
        for c in _strings(ctx, value["countries"], (*where, "countries")):
            try:
                codes.append(net.resolve_country(c))
            except CorridorError as exc:
                raise ctx.fail((*where, "countries"), str(exc)) from None
        mask &= sites["country"].isin(codes)
    if "kinds" in value:
        kinds = _strings(ctx, value["kinds"], (*where, "kinds"))
        known = sorted(set(sites["kind"]))
        bad = [k for k in kinds if k not in known]
        if bad:
            raise ctx.fail(
                (*where, "kinds"), f"unknown site kind {bad[0]!r} (known: {', '.join(known)})"
            )
        mask &= sites["kind"].isin(kinds)
    if "sites" in value:
        ids = set()
        for s in _strings(ctx, value["sites"], (*where, "sites")):
            try:
                ids.add(net.resolve_site(s))
            except CorridorError as exc:
                raise ctx.fail((*where, "sites"), str(exc)) from None
        mask &= sites["id"].isin(ids)
    return sites.loc[mask, "id"].tolist()


def _read_csv_rows(
    ctx: _Ctx, path: str, columns: Sequence[str], where: tuple[Any, ...]
) -> list[tuple[int, dict[str, str]]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ctx.fail(where, f"{path}: missing column(s) {', '.join(missing)}", DataError)
            return [(reader.line_num, row) for row in reader]
    except OSError as exc:
        raise ctx.fail(where, f"cannot read {path}: {exc}", DataError) from None


def load_scenario(path: str | Path, *, net: Network | None = None) -> BatchSpec:
    """Read and validate a scenario file (see the module docstring for the format)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"{p}: cannot read the scenario file: {exc.strerror or exc}"
        raise DataError(msg) from None
    return parse_scenario(text, p, net=net)


def parse_scenario(
    text: str, path: str | Path = "<scenario>", *, net: Network | None = None
) -> BatchSpec:
    """Validate scenario TOML ``text`` (``path`` locates relative files and names errors).

    ``net`` skips loading the network when the caller already has it (it must be the network
    the file names).
    """
    path = Path(path)
    ctx = _Ctx(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = m.group(1) if m else "1"
        msg = f"{path}:{line}: (syntax): {exc}"
        raise DataError(msg) from None
    base = path.parent if path.parent != Path("") else Path(".")
    _check_table(ctx, data, "", ())
    for name in ("network", "pairs", "routing", "measured", "output", "report", "run"):
        _check_table(ctx, data.get(name, {}), name, (name,))
    for name in ("family", "failure", "model"):
        for i, item in enumerate(data.get(name, [])):
            if not isinstance(item, dict):
                raise ctx.fail((name,), f"must be an array of tables [[{name}]]", DataError)
            _check_table(ctx, item, name, (name, i))

    # network
    nw = data.get("network", {})
    files = {
        k: _resolve(Path(nw[k]), base, ctx, ("network", k)) if k in nw else None
        for k in ("sites", "links", "countries")
    }
    if (files["sites"] is None) != (files["links"] is None):
        raise ctx.fail(("network",), "give both sites and links, or neither", DataError)
    if net is None:
        try:
            net = load_network(files["sites"], files["links"], countries=files["countries"])
        except CorridorError as exc:
            raise ctx.fail(("network",), str(exc), DataError) from None

    # routing
    rt = data.get("routing", {})
    k = rt.get("k", 1)
    if k < 1:
        raise ctx.fail(("routing", "k"), f"must be at least 1, got {k}")
    statuses = _strings(ctx, rt.get("status", "existing"), ("routing", "status"))
    for s in statuses:
        if s not in STATUSES:
            raise ctx.fail(
                ("routing", "status"), f"unknown status {s!r}; use {', '.join(STATUSES)}"
            )
    statuses = tuple(dict.fromkeys(statuses))
    avoid = _strings(ctx, rt.get("avoid", []), ("routing", "avoid"))
    max_rtt = rt.get("max_rtt_ms")
    if max_rtt is not None:
        _positive(ctx, max_rtt, ("routing", "max_rtt_ms"))
        max_rtt = float(max_rtt)
    max_hops = rt.get("max_hops")
    if max_hops is not None:
        _positive(ctx, max_hops, ("routing", "max_hops"))
    try:
        constraints(net, avoid=avoid)
    except CorridorError as exc:
        raise ctx.fail(("routing", "avoid"), str(exc)) from None

    # families
    families: list[Family] = []
    for i, fam in enumerate(data.get("family", [])):
        if "name" not in fam:
            raise ctx.fail(("family", i), "missing key 'name'", DataError)
        f = Family(
            fam["name"].strip(),
            _strings(ctx, fam.get("via", []), ("family", i, "via")),
            _strings(ctx, fam.get("avoid", []), ("family", i, "avoid")),
        )
        for key in ("via", "avoid"):
            try:
                constraints(net, **{key: getattr(f, key)})
            except CorridorError as exc:
                raise ctx.fail(("family", i, key), str(exc)) from None
        try:
            constraints(net, via=f.via, avoid=(*f.avoid, *avoid))
        except CorridorError as exc:
            raise ctx.fail(("family", i, "via"), str(exc)) from None
        if len(f.via) > 3:
            raise ctx.fail(("family", i, "via"), "at most 3 via items per family")
        if f.name in {g.name for g in families}:
            raise ctx.fail(("family", i, "name"), f"duplicate family name {f.name!r}")
        families.append(f)
    if not families:
        families.append(Family("best route"))

    # failures
    failures = [FailureSet("none")]
    for i, fl in enumerate(data.get("failure", [])):
        name = fl.get("name")
        if name is None:
            raise ctx.fail(("failure", i), "missing key 'name'", DataError)
        if ("elements" in fl) == ("kind" in fl):
            raise ctx.fail(("failure", i, "name"), "give exactly one of 'elements' or 'kind'")
        if "kind" in fl:
            if fl["kind"] not in SCENARIO_KINDS[:4]:
                raise ctx.fail(
                    ("failure", i, "kind"),
                    f"unknown kind {fl['kind']!r}; use one of {', '.join(SCENARIO_KINDS[:4])}",
                )
            fs = FailureSet(name.strip(), (), fl["kind"])
        else:
            elements = _strings(ctx, fl["elements"], ("failure", i, "elements"))
            if not elements:
                raise ctx.fail(("failure", i, "elements"), "empty: name at least one element")
            try:
                resolve_elements(net, list(elements))
            except CorridorError as exc:
                raise ctx.fail(("failure", i, "elements"), str(exc)) from None
            fs = FailureSet(name.strip(), elements)
        if fs.name in {g.name for g in failures}:
            raise ctx.fail(("failure", i, "name"), f"duplicate failure name {fs.name!r}")
        failures.append(fs)

    # models
    models: list[ModelVariant] = []
    for i, m in enumerate(data.get("model", [])):
        if "name" not in m:
            raise ctx.fail(("model", i), "missing key 'name'", DataError)
        mv = ModelVariant(m["name"].strip(), **{k: float(m[k]) for k in MODEL_KEYS if k in m})
        try:
            mv.model()
        except CorridorError as exc:
            bad = next((k for k in MODEL_KEYS if k in str(exc)), "name")
            raise ctx.fail(("model", i, bad), str(exc)) from None
        if mv.name in {g.name for g in models}:
            raise ctx.fail(("model", i, "name"), f"duplicate model name {mv.name!r}")
        models.append(mv)
    if not models:
        models.append(ModelVariant("default"))

    # pairs
    pr = data.get("pairs")
    if pr is None:
        raise ctx.fail((), "missing table [pairs]: name the OD pairs (list, csv or from/to)")
    pairs: list[tuple[str, str]] = []
    if "list" in pr:
        pairs += _pair_list(ctx, net, pr["list"], ("pairs", "list"))
    if "csv" in pr:
        csv_path = _resolve(Path(pr["csv"]), base, ctx, ("pairs", "csv"))
        for line, row in _read_csv_rows(ctx, csv_path, ("source", "target"), ("pairs", "csv")):
            pairs.append(
                _site_pair(
                    ctx,
                    net,
                    row["source"] or "",
                    row["target"] or "",
                    ("pairs", "csv"),
                    prefix=f"{csv_path} line {line}: ",
                )
            )
    if ("from" in pr) != ("to" in pr):
        raise ctx.fail(("pairs", "from" if "from" in pr else "to"), "give both 'from' and 'to'")
    if "from" in pr:
        west = _group(ctx, net, pr["from"], ("pairs", "from"))
        east = _group(ctx, net, pr["to"], ("pairs", "to"))
        pairs += [(a, b) for a in west for b in east if a != b]
    pairs = list(dict.fromkeys(pairs))
    if "sample" in pr:
        _positive(ctx, pr["sample"], ("pairs", "sample"))
        if pr["sample"] < len(pairs):
            rng = random.Random(pr.get("seed", 0))
            keep = sorted(rng.sample(range(len(pairs)), pr["sample"]))
            pairs = [pairs[i] for i in keep]
    if not pairs:
        where = ("pairs", "from") if "from" in pr else ("pairs",)
        raise ctx.fail(where, "the OD set is empty: no pair matches")

    # measured
    measured: list[tuple[str, str, float]] = []
    measured_path = None
    if "csv" in data.get("measured", {}):
        measured_path = _resolve(Path(data["measured"]["csv"]), base, ctx, ("measured", "csv"))
        in_set = set(pairs)
        rows = _read_csv_rows(
            ctx, measured_path, ("source", "target", "measured_rtt_ms"), ("measured", "csv")
        )
        for line, row in rows:
            pre = f"{measured_path} line {line}: "
            s, t = _site_pair(
                ctx, net, row["source"] or "", row["target"] or "", ("measured", "csv"), prefix=pre
            )
            try:
                value = float(row["measured_rtt_ms"])
            except (TypeError, ValueError):
                value = math.nan
            if not (value > 0 and math.isfinite(value)):
                raise ctx.fail(
                    ("measured", "csv"),
                    f"{pre}measured_rtt_ms must be a positive "
                    f"number, got {row['measured_rtt_ms']!r}",
                    DataError,
                )
            if (s, t) not in in_set:
                if (t, s) in in_set:
                    s, t = t, s
                else:
                    raise ctx.fail(
                        ("measured", "csv"), f"{pre}pair {s} -> {t} is not in the OD set"
                    )
            measured.append((s, t, value))

    # output / report / run
    out = {k: bool(data.get("output", {}).get(k, True)) for k in _SCHEMA["output"]}
    rep = data.get("report", {})
    corridor_family = rep.get("corridor_family", families[0].name)
    if corridor_family not in {f.name for f in families}:
        raise ctx.fail(("report", "corridor_family"), f"no family named {corridor_family!r}")
    highlight = tuple(_pair_list(ctx, net, rep.get("highlight", []), ("report", "highlight")))
    flags = []
    for c in rep.get("flag_countries", ["KZ", "RU"]):
        if not isinstance(c, str):
            raise ctx.fail(
                ("report", "flag_countries"), f"must be country codes, got {c!r}", DataError
            )
        try:
            flags.append(net.resolve_country(c))
        except CorridorError as exc:
            raise ctx.fail(("report", "flag_countries"), str(exc)) from None
    top = rep.get("top", 15)
    _positive(ctx, top, ("report", "top"))
    run = data.get("run", {})
    for key in ("chunk_pairs", "failures_per_chunk"):
        if key in run:
            _positive(ctx, run[key], ("run", key))

    return BatchSpec(
        path=path.resolve() if path.exists() else path,
        title=data.get("title", path.stem),
        sites=files["sites"],
        links=files["links"],
        countries=files["countries"],
        pairs=tuple(pairs),
        k=k,
        statuses=statuses,
        avoid=avoid,
        max_rtt_ms=max_rtt,
        max_hops=max_hops,
        families=tuple(families),
        failures=tuple(failures),
        models=tuple(models),
        measured=tuple(measured),
        measured_path=measured_path,
        outputs=out,
        corridor_family=corridor_family,
        highlight=highlight,
        flag_countries=tuple(dict.fromkeys(flags)),
        top=top,
        chunk_pairs=run.get("chunk_pairs", 128),
        failures_per_chunk=run.get("failures_per_chunk", 32),
        site_names=dict(zip(net.sites["id"], net.sites["name"], strict=True)),
    )


def expand_failures(
    spec: BatchSpec, net: Network, status: str
) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """Failure scenarios of ``spec`` under ``status``: ``(name, kind, link ids, site ids)``.

    ``"none"`` first; a ``kind`` set expands to one scenario per usable element (named
    ``"<set>: <element>"``); explicit sets resolve their elements.
    """
    look = net.lookup
    cons = constraints(net, status=status, avoid=spec.avoid)
    arc_ok, node_ok = cons.arc_mask(net), cons.node_mask(net)
    out: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
    for fs in spec.failures:
        if fs.name == "none" and not fs.elements and fs.kind is None:
            out.append(("none", "none", (), ()))
            continue
        if fs.kind is not None:
            for sc in build_scenarios(net, fs.kind, arc_ok=arc_ok, node_ok=node_ok):
                out.append(
                    (
                        f"{fs.name}: {sc.name}",
                        sc.kind,
                        tuple(look.link_id[i] for i in sc.links),
                        tuple(look.site_id[v] for v in sc.sites),
                    )
                )
        else:
            sc = resolve_elements(net, list(fs.elements))
            out.append(
                (
                    fs.name,
                    sc.kind,
                    tuple(look.link_id[i] for i in sc.links),
                    tuple(look.site_id[v] for v in sc.sites),
                )
            )
    return out


def default_data_files() -> tuple[str, str, str]:
    """The shipped sites, links and countries files."""
    return tuple(str(datasets.get_path(n)) for n in ("sites", "links", "countries"))  # type: ignore[return-value]


def spec_as_of(spec: BatchSpec, year: int, links_out: str | Path) -> BatchSpec:
    """``spec`` on its network as of ``year`` (:func:`corridor.timeline.links_as_of`).

    The links file is filtered (links with a later RFS left out, planned links in service by
    then made existing) and written to ``links_out`` (GeoJSON, atomically); the returned spec
    names it, so every worker builds the same network and the run's fingerprint covers it.

    Raises
    ------
    RequestError
        For a bad year or when ``links_out`` cannot be written.
    """
    import dataclasses

    from corridor._atomic import write_atomic
    from corridor.io import read_table
    from corridor.timeline import links_as_of

    d_sites, d_links, _ = default_data_files()
    table = links_as_of(read_table(spec.links or d_links), year)
    # the same bytes for the same input and year, so --resume finds the same fingerprint
    out = write_atomic(links_out, table.to_json(drop_id=True), what=f"links as of {year}")
    return dataclasses.replace(
        spec,
        sites=spec.sites or d_sites,
        links=str(Path(out).resolve()),
        title=f"{spec.title} (network as of {year})",
    )
