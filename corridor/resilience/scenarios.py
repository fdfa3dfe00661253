"""Failure scenarios: which links and sites fail together.

A :class:`Scenario` is a set of failed links and failed sites. :func:`build_scenarios` makes the
standard families over a network:

``"links"``
    Every single link that the status filter allows (a link that cannot carry traffic anyway
    changes nothing), one scenario each.
``"srlgs"``
    Every shared-risk group with at least one usable link: all its links fail together (a sea
    chokepoint such as ``red-sea`` or ``bab-el-mandeb``, a shared conduit, the Egypt crossing).
``"countries"``
    A whole country's transit: every site in the country and every usable link that crosses it
    (a submarine link counts only its landing countries, see :mod:`corridor.network`).
``"sites"``
    Every site (data centers, landings, exchange points and cities alike). A failing site is
    removed with all its links; a pair whose endpoint fails is disconnected by definition.
``"link-pairs"``
    Every unordered pair of links **among the links used by the baseline routes of the swept
    OD pairs** (two simultaneous cuts). Restricting to those links keeps the family to
    ``O(u^2)`` scenarios for ``u`` used links; a pair of links that does not touch any baseline
    route cannot change any answer, so the restriction loses nothing for the swept pairs.

An explicit list is also accepted: each entry is one element or a sequence of elements that fail
together, each element a link id, an SRLG id, a system name, a site (id or name) or a country
(ISO code or name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from corridor._errors import RequestError, UnknownSiteError
from corridor.network import Network

__all__ = ["SCENARIO_KINDS", "Scenario", "build_scenarios", "resolve_elements"]

#: The named scenario families accepted by :func:`build_scenarios`.
SCENARIO_KINDS = ("links", "srlgs", "countries", "sites", "link-pairs")


@dataclass(frozen=True, slots=True)
class Scenario:
    """One failure scenario.

    Attributes
    ----------
    kind
        ``"link"``, ``"srlg"``, ``"country"``, ``"site"``, ``"link-pair"`` or ``"custom"``.
    name
        Display name: the link, SRLG or site id, the ISO code, ``"a + b"`` for several elements.
    links, sites
        Indices of the failed links and failed sites (sorted, unique).
    """

    kind: str
    name: str
    links: tuple[int, ...]
    sites: tuple[int, ...] = ()


def _usable_links(net: Network, arc_ok: np.ndarray) -> np.ndarray:
    ok = np.zeros(net.n_links, dtype=bool)
    ok[net.arc_link[arc_ok]] = True
    return ok


def _srlg_members(net: Network) -> dict[str, list[int]]:
    members: dict[str, list[int]] = {g: [] for g in net.srlg_names}
    for li, groups in enumerate(net.lookup.link_srlgs):
        for g in groups:
            members[g].append(li)
    return members


def _country_members(net: Network) -> dict[str, tuple[list[int], list[int]]]:
    out: dict[str, tuple[list[int], list[int]]] = {}
    for v, c in enumerate(net.lookup.site_country):
        if c:
            out.setdefault(c, ([], []))[1].append(v)
    for li, countries in enumerate(net.lookup.link_countries):
        for c in countries:
            if c:
                out.setdefault(c, ([], []))[0].append(li)
    return out


def resolve_elements(net: Network, items: str | Sequence[str]) -> Scenario:
    """One scenario from element names that fail together.

    Each item is tried as an exact link id, an SRLG id, an exact site id, a system name
    (case-insensitive), a country (ISO code or name) and a site name, in that order.

    Raises
    ------
    UnknownSiteError
        When an item names nothing in the network (the message names the item).
    RequestError
        When the list is empty.
    """
    names = (items,) if isinstance(items, str) else tuple(items)
    if not names:
        msg = "empty failure scenario: name at least one link, SRLG, system, site or country"
        raise RequestError(msg)
    look = net.lookup
    link_ids = set(look.link_id)
    srlgs = _srlg_members(net)
    systems = {s.casefold(): s for s in look.link_system if s}
    links: set[int] = set()
    sites: set[int] = set()
    kinds: list[str] = []
    for raw in names:
        item = str(raw).strip()
        if item in link_ids:
            links.add(net.link_index(item))
            kinds.append("link")
        elif item in srlgs:
            links.update(srlgs[item])
            kinds.append("srlg")
        elif item in look.site_id:
            sites.add(net.site_index(item))
            kinds.append("site")
        elif item.casefold() in systems:
            system = systems[item.casefold()]
            links.update(i for i, s in enumerate(look.link_system) if s == system)
            kinds.append("system")
        else:
            try:
                code = net.resolve_country(item)
            except UnknownSiteError:
                code = None
            if code is not None:
                members = _country_members(net).get(code, ([], []))
                links.update(members[0])
                sites.update(members[1])
                kinds.append("country")
                continue
            try:
                sites.add(net.site_index(net.resolve_site(item)))
                kinds.append("site")
            except UnknownSiteError as exc:
                msg = (
                    f"unknown failure element {item!r}: not a link, SRLG, system, site or "
                    f"country ({exc})"
                )
                raise UnknownSiteError(msg) from None
    kind = kinds[0] if len(kinds) == 1 else "custom"
    return Scenario(
        kind, " + ".join(str(n).strip() for n in names), tuple(sorted(links)), tuple(sorted(sites))
    )


def build_scenarios(
    net: Network,
    spec: str | Iterable[str | Sequence[str] | Scenario],
    *,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    used_links: Iterable[int] = (),
) -> list[Scenario]:
    """The scenarios of a named family or an explicit list (see the module docstring).

    Parameters
    ----------
    net
        The network.
    spec
        One of :data:`SCENARIO_KINDS`, or an iterable of element names / name sequences /
        :class:`Scenario` objects.
    arc_ok, node_ok
        Base masks (status filter and avoided elements): unusable links and sites are not
        failed on their own.
    used_links
        Links of the baseline routes (for ``"link-pairs"``).

    Raises
    ------
    RequestError
        For an unknown family name.
    UnknownSiteError
        For an explicit element that names nothing.
    """
    usable = _usable_links(net, arc_ok)
    look = net.lookup
    if isinstance(spec, str):
        if spec == "links":
            return [Scenario("link", look.link_id[i], (int(i),)) for i in np.flatnonzero(usable)]
        if spec == "srlgs":
            out = []
            for g, members in _srlg_members(net).items():
                live = tuple(sorted(i for i in members if usable[i]))
                if live:
                    out.append(Scenario("srlg", g, live))
            return out
        if spec == "countries":
            out = []
            for c, (links, sites) in sorted(_country_members(net).items()):
                live = tuple(sorted({i for i in links if usable[i]}))
                nodes = tuple(sorted(v for v in sites if node_ok[v]))
                if live or nodes:
                    out.append(Scenario("country", c, live, nodes))
            return out
        if spec == "sites":
            return [
                Scenario("site", look.site_id[v], (), (int(v),)) for v in np.flatnonzero(node_ok)
            ]
        if spec == "link-pairs":
            used = sorted({int(i) for i in used_links if usable[int(i)]})
            return [
                Scenario("link-pair", f"{look.link_id[a]} + {look.link_id[b]}", (a, b))
                for a, b in combinations(used, 2)
            ]
        msg = f"unknown scenario family {spec!r}; use one of {', '.join(SCENARIO_KINDS)} or a list"
        raise RequestError(msg)
    out = []
    for entry in spec:
        out.append(entry if isinstance(entry, Scenario) else resolve_elements(net, entry))
    return out
