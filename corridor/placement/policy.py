"""Jurisdiction policies: countries data may not transit, countries where a node may not stand.

A policy is a TOML file (see ``data/policies/README.md``)::

    name = "EU personal data"
    description = "..."
    no_transit = ["RU", "BY"]     # no site or link of these countries may carry the traffic
    no_node = ["CN"]              # no node (mirror, data center, exchange point) may stand here

How it is applied (:mod:`corridor.placement`):

* **transit**: every site in a ``no_transit`` country and every link that crosses one (a link's
  ``countries``: its end sites' countries and, for terrestrial links, every country with at least
  10 km of it inside) is removed from the network before any path is computed;
* **endpoint exception**: a *demand* site inside a ``no_transit`` country keeps its demand, and
  its own traffic may use the sites and links of *its own* country (traffic has to leave the
  country it starts in), never those of another excluded country; a link that crosses its own
  country and another excluded one stays forbidden;
* **nodes**: a candidate in a ``no_node`` country is dropped; so is a candidate in a
  ``no_transit`` country (data that may not even pass through a country may not be stored
  there).

Validation refuses, with one line naming the file and the key: unreadable files, invalid TOML,
unknown keys, wrong types, and codes that are not two-letter ISO 3166-1 alpha-2 codes; codes the
network does not know are refused when the policy is applied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor._errors import DataError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    tomllib = None  # type: ignore[assignment]

__all__ = ["POLICY_KEYS", "Policy", "PolicyError", "load_policy", "policy_from_mapping"]

#: Keys a policy file may have.
POLICY_KEYS = ("name", "description", "no_transit", "no_node")

_ISO2 = re.compile(r"^[A-Z]{2}$")


class PolicyError(DataError):
    """A policy file that cannot be read or violates the policy schema."""


@dataclass(frozen=True)
class Policy:
    """A jurisdiction policy (see the module docstring for how it is applied).

    Attributes
    ----------
    no_transit
        ISO codes of countries whose sites and links the traffic may not use.
    no_node
        ISO codes of countries where no node may stand (``no_transit`` countries are excluded
        for nodes too).
    name, description
        Free text.
    source
        The file it was read from (``""`` when built in code); used in error messages.
    """

    no_transit: frozenset[str] = frozenset()
    no_node: frozenset[str] = frozenset()
    name: str = ""
    description: str = ""
    source: str = ""

    @property
    def node_excluded(self) -> frozenset[str]:
        """Countries where a node may not stand: ``no_node`` and ``no_transit``."""
        return self.no_node | self.no_transit

    @property
    def where(self) -> str:
        """How error messages name the policy."""
        return f"policy {self.source}" if self.source else "policy"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source or None,
            "no_transit": sorted(self.no_transit),
            "no_node": sorted(self.no_node),
        }


def _codes(value: Any, key: str, where: str) -> frozenset[str]:
    if not isinstance(value, list):
        msg = f"{where}: key {key!r}: expected a list of ISO country codes, got {value!r}"
        raise PolicyError(msg)
    out = []
    for item in value:
        code = item.strip().upper() if isinstance(item, str) else None
        if code is None or not _ISO2.match(code):
            msg = (
                f"{where}: key {key!r}: bad country code {item!r} "
                "(use ISO 3166-1 alpha-2, e.g. 'RU')"
            )
            raise PolicyError(msg)
        out.append(code)
    return frozenset(out)


def policy_from_mapping(data: Mapping[str, Any], *, where: str = "policy") -> Policy:
    """Validate a parsed policy (e.g. a TOML document) and build a :class:`Policy`.

    Raises
    ------
    PolicyError
        For unknown keys, wrong types or bad country codes (naming ``where`` and the key).
    """
    unknown = [k for k in data if k not in POLICY_KEYS]
    if unknown:
        msg = f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(POLICY_KEYS)})"
        raise PolicyError(msg)
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            msg = f"{where}: key {key!r}: expected a string, got {data[key]!r}"
            raise PolicyError(msg)
    return Policy(
        no_transit=_codes(data.get("no_transit", []), "no_transit", where),
        no_node=_codes(data.get("no_node", []), "no_node", where),
        name=str(data.get("name", "")),
        description=str(data.get("description", "")),
        source=where if where != "policy" else "",
    )


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read and validate a TOML policy file.

    Raises
    ------
    PolicyError
        When the file is missing or unreadable, is not valid TOML, or violates the schema
        (one line naming the file and the key).
    """
    where = str(path)
    if tomllib is None:  # pragma: no cover
        msg = f"{where}: reading TOML policies needs Python 3.11 or newer (tomllib)"
        raise PolicyError(msg)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        msg = f"{where}: cannot read policy file: {exc.strerror or exc}"
        raise PolicyError(msg) from None
    except UnicodeDecodeError:
        msg = f"{where}: policy file is not UTF-8 text"
        raise PolicyError(msg) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{where}: invalid TOML: {exc}"
        raise PolicyError(msg) from None
    return policy_from_mapping(data, where=where)


def check_codes(policy: Policy, known: Iterable[str]) -> None:
    """Refuse codes the network does not know (naming the policy file and the key)."""
    known_set = set(known)
    for key in ("no_transit", "no_node"):
        unknown = sorted(getattr(policy, key) - known_set)
        if unknown:
            msg = (
                f"{policy.where}: key {key!r}: unknown country code {unknown[0]!r} "
                "(not in the network's country table)"
            )
            raise PolicyError(msg)
