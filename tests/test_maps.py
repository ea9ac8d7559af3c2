"""The offline maps: centroids from the shipped shapes, one bubble per session, choropleth colours
from progress, grey for no data, and decks that need no basemap."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math

import pytest

from dashboard import maps

D = dt.date


def _square(x0, y0, side):
    return [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]


def _collection(*features):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso_a3": iso3, "name": iso3}, "geometry": geometry}
        for iso3, geometry in features]}


# Two made-up countries: AAA a 2 x 2 square at the origin plus a tiny island far away; BBB one square.
SHAPES = _collection(
    ("AAA", {"type": "MultiPolygon", "coordinates": [[_square(0, 0, 2)], [_square(50, 50, 0.1)]]}),
    ("BBB", {"type": "Polygon", "coordinates": [_square(10, 10, 4)]}),
)


def _session(code, participants, country="AAA", lat=None, lon=None, city=None):
    return {"code": code, "title": f"Session {code}", "country_iso3": country, "city": city, "latitude": lat,
            "longitude": lon, "start_date": D(2022, 3, 1), "participants": participants}


def test_the_centroid_of_a_square_is_its_centre_and_its_area_is_counted():
    assert maps.ring_centroid(_square(0, 0, 2)) == pytest.approx((4.0, 1.0, 1.0))


def test_a_country_centroid_is_that_of_its_largest_polygon():
    centroids = maps.country_centroids(SHAPES)
    assert centroids["AAA"] == pytest.approx((1.0, 1.0))  # not pulled towards the island at (50, 50)
    assert centroids["BBB"] == pytest.approx((12.0, 12.0))


def test_centroids_of_the_shipped_shapes_fall_inside_the_countries():
    centroids = maps.default_centroids()
    senegal_lon, senegal_lat = centroids["SEN"]
    assert -17.6 < senegal_lon < -11.3 and 12.3 < senegal_lat < 16.7
    france_lon, france_lat = centroids["FRA"]  # metropolitan France, not between Paris and Guiana
    assert -5 < france_lon < 8 and 42 < france_lat < 51
    assert {"TUN", "MAR", "MLI", "CIV", "GIN", "CMR", "BEN", "TCD", "HTI", "NER"} <= set(centroids)


def test_one_bubble_per_session_with_its_participants_as_radius_input():
    sessions = [
        _session("S1", 9, lat=5.0, lon=6.0, city="Ville"),   # its own coordinates
        _session("S2", 36),                                   # no coordinates: AAA's centroid
        _session("S3", 4, country="", lat=1.5, lon=2.5),      # regional, with coordinates
        _session("S4", 20, country=""),                       # regional without coordinates: listed
        _session("S5", 7, country="ZZZ"),                     # a country without a shape: listed
        _session("S6", 0, country="BBB"),                     # no attendance yet: smallest bubble
    ]
    bubbles, unplaced = maps.session_points(sessions, maps.country_centroids(SHAPES), "fr")
    assert [b["code"] for b in bubbles] == ["S1", "S2", "S3", "S6"]
    assert [s["code"] for s in unplaced] == ["S4", "S5"]
    where = {b["code"]: (b["lon"], b["lat"], b["placed"]) for b in bubbles}
    assert where["S1"] == (6.0, 5.0, "coordinates") and where["S3"] == (2.5, 1.5, "coordinates")
    assert where["S2"] == pytest.approx((1.0, 1.0, "centroid")) and where["S6"][2] == "centroid"
    radius = {b["code"]: b["radius"] for b in bubbles}
    assert [b["participants"] for b in bubbles] == [9, 36, 4, 0]
    # the area is proportional to the participants: 4 times the people, twice the radius
    assert radius["S1"] == pytest.approx(maps.RADIUS_SCALE * 3) and radius["S2"] == pytest.approx(2 * radius["S1"])
    assert radius["S6"] == maps.MIN_RADIUS
    assert "36 participants" in bubbles[1]["tooltip"] and "Session S2" in bubbles[1]["tooltip"]


def test_suppressed_sessions_do_not_reveal_their_count_by_their_size():
    bubbles, _ = maps.session_points([_session("S1", 3, lat=0.0, lon=0.0), _session("S2", 12, lat=0.0, lon=0.0)],
                                     {}, "fr", suppress=True)
    assert bubbles[0]["radius"] == maps.bubble_radius(5) and "< 5 participants" in bubbles[0]["tooltip"]
    assert bubbles[1]["radius"] == maps.bubble_radius(12) and "12 participants" in bubbles[1]["tooltip"]


@pytest.mark.parametrize("progress,colour", [
    (0.0, "#ffffcc"), (0.19, "#ffffcc"), (0.2, "#a1dab4"), (0.5, "#41b6c4"), (0.79, "#2c7fb8"),
    (0.8, "#253494"), (1.0, "#253494"), (1.4, "#253494"), (-0.3, "#ffffcc"), (None, maps.NO_DATA),
    (float("nan"), maps.NO_DATA),
])
def test_the_choropleth_class_of_a_progress_value(progress, colour):
    assert maps.progress_colour(progress) == colour


def test_choropleth_colours_come_from_progress_and_countries_without_data_are_grey():
    before = copy.deepcopy(SHAPES)
    features = maps.progress_features(SHAPES, {"AAA": 0.5}, "fr")
    fill = {f["properties"]["iso3"]: f["properties"]["fill"] for f in features["features"]}
    # only the programme's countries: the others are the outlines' layer, fetched by URL
    assert fill == {"AAA": maps.rgba("#41b6c4")}
    grey = maps.progress_features(SHAPES, {"AAA": 0.5, "BBB": None}, "en")
    props = {f["properties"]["iso3"]: f["properties"] for f in grey["features"]}
    assert props["BBB"]["fill"] == maps.rgba(maps.NO_DATA) and props["BBB"]["tooltip"] == "BBB: no data"
    assert props["AAA"]["tooltip"] == "AAA: 50%"
    assert SHAPES == before  # the shipped shapes are never modified


def test_the_legend_lists_every_class_then_no_data_and_outside():
    legend = maps.progress_legend("fr")
    assert [c for c, _ in legend] == [c for _, c in maps.PROGRESS_BINS] + [maps.NO_DATA, maps.BACKGROUND]
    assert legend[0][1] == "0\u00a0% – 20\u00a0%" and legend[-2][1] == "pas de données"


def test_the_view_fits_the_box_in_the_map():
    box = (-45.0, -1.0, 45.0, 1.0)
    view = maps.fit_view(box, width=900, height=480)
    shown = 90 / 360 * maps.WORLD_PIXELS * 2 ** view["zoom"]  # pixels taken by the box's width
    assert 900 / 1.2 < shown <= 900
    assert view["longitude"] == 0 and view["latitude"] == pytest.approx(0, abs=1e-9)
    assert maps.fit_view(None)["zoom"] < 1


def test_decks_draw_shapes_and_bubbles_without_any_basemap():
    bubbles, _ = maps.session_points([_session("S1", 9, lat=5.0, lon=6.0)], {}, "fr")
    deck = json.loads(maps.sessions_deck(maps.session_shapes(SHAPES, {"AAA"}, "fr"), bubbles,
                                         maps.fit_view(None), "/base/geo/abc.json").to_json())
    world, shapes, points = deck["layers"]
    assert (world["@@type"], shapes["@@type"], points["@@type"]) == ("GeoJsonLayer", "GeoJsonLayer", "ScatterplotLayer")
    assert points["radiusUnits"] == "pixels" and points["getRadius"] == "@@=radius"
    assert [p["participants"] for p in points["data"]] == [9]
    # No provider, and pydeck's "no style" sentinel: Streamlit draws no basemap. (A null mapStyle
    # would make Streamlit load a basemap from basemaps.cartocdn.com.)
    assert "mapProvider" not in deck and deck["mapStyle"] == "__MAP_STYLE__"
    assert not any("http" in json.dumps(layer) for layer in deck["layers"])
    # the world: the outlines' URL (same origin, under the base path), in the background colour,
    # not pickable (no tooltip); the programme's countries drawn over it with their own data
    assert world["data"] == "/base/geo/abc.json" and world["getFillColor"] == maps.rgba(maps.BACKGROUND)
    assert world["pickable"] is False and shapes["pickable"] is True
    fills = {f["properties"]["iso3"]: f["properties"]["fill"] for f in shapes["data"]["features"]}
    assert fills == {"AAA": maps.rgba(maps.HIGHLIGHT)}


def test_the_served_outlines_are_every_shipped_country_without_figures_named_by_their_hash():
    """The body the browser fetches once: the 177 shipped shapes, each with its ISO3 only, and a
    URL named by the SHA-256 of that body (a new file, a new URL: the browser's cache is never stale)."""
    body, digest = maps.served_shapes()
    served = json.loads(body)
    shipped = maps.countries_geojson()["features"]
    assert len(served["features"]) == 177
    assert [f["properties"] for f in served["features"]] == [{"iso3": f["properties"]["iso_a3"]} for f in shipped]
    assert [f["geometry"] for f in served["features"]] == [f["geometry"] for f in shipped]
    assert digest == hashlib.sha256(body).hexdigest()[:16] and len(digest) == 16
    assert maps.shapes_url() == f"/geo/{digest}.json"
    assert maps.shapes_url("/suivi") == f"/suivi/geo/{digest}.json"


def test_the_deck_json_carries_the_programme_countries_not_the_world():
    """Issue #17: the websocket carries the figures, not the world's shapes. A progress map of
    three countries is a few KB of JSON; with the world inline it was about 200 KB."""
    geo = maps.countries_geojson()
    mapped = {"SEN": 0.55, "MLI": None, "TUN": 1.2}
    deck = maps.progress_deck(maps.progress_features(geo, mapped, "fr"),
                              maps.fit_view(maps.country_bounds(geo, mapped)), maps.shapes_url())
    spec = maps.serialise(deck)["spec"]
    layers = json.loads(spec)["layers"]
    assert sorted(f["properties"]["iso3"] for f in layers[1]["data"]["features"]) == ["MLI", "SEN", "TUN"]
    assert len(spec) < 20_000 < len(maps.served_shapes()[0])


def test_the_bundled_shapes_credit_natural_earth():
    assert maps.CREDIT == "Made with Natural Earth"
    assert len(maps.countries_geojson()["features"]) == 177
    assert math.isclose(maps.bubble_radius(0), maps.MIN_RADIUS)


def test_a_serialised_deck_keeps_the_spec_pydeck_writes_and_its_tooltip():
    """Page models keep a deck's JSON (written without pydeck's indentation) and its tooltip:
    the same spec as ``Deck.to_json()``, several times smaller."""
    geo = maps.countries_geojson()
    mapped = {"SEN": 0.55, "MLI": None, "TUN": 1.2}
    deck = maps.progress_deck(maps.progress_features(geo, mapped, "fr"),
                              maps.fit_view(maps.country_bounds(geo, mapped)), maps.shapes_url())
    kept = maps.serialise(deck)
    assert json.loads(kept["spec"]) == json.loads(deck.to_json())
    assert len(kept["spec"]) * 2 < len(deck.to_json())
    assert kept["tooltip"] == deck._tooltip and kept["tooltip"]
