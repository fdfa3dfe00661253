"""Link confidence (documented / inferred), the suspended status and funding fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from corridor import DataError, Network, NoRouteError, build_network, maps
from corridor.io import read_links
from corridor.routing import shortest_path
from tests.conftest import tiny_tables

Writer = Callable[..., tuple[Path, Path]]


def _tiny(confidence: dict[str, str], status: dict[str, str] | None = None) -> Network:
    sites, links = tiny_tables()
    links["confidence"] = [confidence.get(i, "documented") for i in links["id"]]
    for lid, stat in (status or {}).items():
        links.loc[links["id"] == lid, "status"] = stat
    return build_network(sites, links)


def test_confidence_defaults_to_documented_and_is_checked(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    _, lp = write_tables(sites, links)
    assert set(read_links(lp)["confidence"]) == {"documented"}
    links["confidence"] = ["inferred", "", "documented", None, "inferred", "inferred"]
    _, lp = write_tables(sites, links)
    assert list(read_links(lp)["confidence"]) == [
        "inferred", "documented", "documented", "documented", "inferred", "inferred",
    ]  # fmt: skip
    links["confidence"] = ["inferred", "guessed", "", "", "", ""]
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match=r"link 'ab2': field 'confidence': unknown value 'guessed'"):
        read_links(lp)


def test_funding_share_is_a_share(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links["funders"] = ["EIB", "", "", "", "", ""]
    links["funding_share"] = [1.5, None, None, None, None, None]
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match=r"link 'ab1': field 'funding_share': 1.5 is not a share"):
        read_links(lp)


def test_path_confidence_is_the_lowest_along_the_path() -> None:
    net = _tiny({"bc": "inferred"})
    via_b = shortest_path(net, "a", "c", avoid="ad").best
    assert via_b.links == ("ab2", "bc") or via_b.links == ("ab1", "bc")
    assert via_b.link_confidence == ("documented", "inferred")
    assert via_b.confidence == "inferred"
    data = via_b.to_dict()
    assert data["confidence"] == "inferred"
    assert [leg["confidence"] for leg in data["legs"]] == ["documented", "inferred"]
    assert [leg["link"] for leg in data["legs"]] == list(via_b.links)
    via_d = shortest_path(net, "a", "c", avoid="b").best
    assert via_d.confidence == "documented"
    assert net.lookup.link_confidence[net.link_index("bc")] == "inferred"


def test_suspended_links_are_left_out_unless_asked_for() -> None:
    net = _tiny({}, status={"ad": "suspended"})
    for status in ("existing", "planned", "all"):
        path = shortest_path(net, "a", "d", status=status).best
        assert "ad" not in path.links
    assert shortest_path(net, "a", "d", status="any").best.links == ("ad",)
    assert shortest_path(net, "a", "d", status=["existing", "suspended"]).best.links == ("ad",)
    only = _tiny({}, status={"ab1": "suspended", "ab2": "suspended", "ad": "suspended"})
    with pytest.raises(NoRouteError, match="status='any'"):
        shortest_path(only, "a", "e", status="all")


def test_map_popups_show_confidence_and_funding() -> None:
    sites, links = tiny_tables()
    links["confidence"] = [
        "inferred",
        "documented",
        "documented",
        "documented",
        "inferred",
        "inferred",
    ]
    links["funders"] = ["", "", "", "", "", "European Investment Bank"]
    links["funding_share"] = [None, None, None, None, None, 0.5]
    net = build_network(sites, links)
    page = maps.network_map(net, offline=True).get_root().render()
    assert "confidence" in page and "inferred" in page
    assert "European Investment Bank (50 % of cost)" in page


def test_shipped_confidence_and_suspended_crossings(shipped: Network) -> None:
    links = shipped.links.set_index("id")
    assert set(links["confidence"]) == {"documented", "inferred"}
    suspended = set(links.index[links["status"] == "suspended"])
    assert suspended == {"dream-kyiv-moscow", "epeg-kharkiv-voronezh"}
    assert links.loc["tcfo-siyazan-aktau", "rfs"] == 2026
    assert links.loc["ge-ro-anaklia-constanta", "funding_share"] == 0.5
    path = shortest_path(shipped, "Frankfurt", "Shanghai", status="all").best
    assert not set(path.links) & suspended
    assert path.confidence in ("documented", "inferred")
    assert path.confidence == min(path.link_confidence, key=("inferred", "documented").index)
