"""Offline maps: country shapes shipped with the project, session bubbles and a progress choropleth.

Everything here is plain data in, plain data (or a ``pydeck.Deck``) out: no Streamlit, no
database. The shapes are Natural Earth 1:110m admin-0 countries (public domain) in
``data/countries_110m.geojson``; pages credit them with :data:`CREDIT` under the map.

No basemap and no tile server: decks are built with ``map_provider=None`` and pydeck's default
``map_style`` sentinel. (Passing ``map_style=None`` instead makes Streamlit pick a theme basemap
from basemaps.cartocdn.com, a network request this project must not need.)

The world's outlines travel once (issue #17): the app serves them itself (:func:`served_shapes`,
at :func:`shapes_url`, a content-hashed, immutable, compressed route of dashboard/web.py) and a
deck's first layer names that URL, which the browser fetches and keeps in its cache. The deck's
JSON, sent over the websocket at each visit, carries only the programme's countries (their
shapes, colours and tooltips: the figures, disclosed) and the session bubbles.
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from .db import ROOT
from .i18n import country_name, fmt_date, fmt_number, fmt_percent, t
from .metrics.thresholds import DEFAULT, Thresholds

GEOJSON_PATH = ROOT / "data" / "countries_110m.geojson"
CREDIT = "Made with Natural Earth"

#: Progress classes (upper bounds, colour): YlGnBu, readable by colour-blind people and in print.
PROGRESS_BINS: tuple[tuple[float, str], ...] = (
    (0.2, "#ffffcc"), (0.4, "#a1dab4"), (0.6, "#41b6c4"), (0.8, "#2c7fb8"), (1.0, "#253494"),
)
NO_DATA = "#9aa5b1"  # a programme country with no progress figure
BACKGROUND = "#eef0f2"  # countries outside the programme
HIGHLIGHT = "#c9d6e3"  # programme countries on the session map
BUBBLE = (224, 123, 57, 170)
BUBBLE_LINE = (140, 70, 20, 255)
#: Bubble radius in pixels = RADIUS_SCALE x sqrt(participants), at least MIN_RADIUS: the bubble's
#: area is proportional to the participants.
RADIUS_SCALE = 2.6
MIN_RADIUS = 3.0
#: Width in pixels of the whole world at zoom 0 in deck.gl's MapView.
WORLD_PIXELS = 512


# --- shapes ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def countries_geojson(path: str = str(GEOJSON_PATH)) -> dict:
    """The country shapes (a GeoJSON FeatureCollection; properties ``iso_a3``, ``name``). Read once;
    callers must not modify it."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


#: Path of the outlines' route under the app's base path (dashboard/web.py serves it).
SHAPES_ROUTE = "/geo/{digest}.json"


@lru_cache(maxsize=1)
def served_shapes(path: str = str(GEOJSON_PATH)) -> tuple[bytes, str]:
    """(body, digest) of the outlines the browser fetches: every country's geometry and its
    ``iso3``, compact JSON; ``digest`` is 16 hex digits of the body's SHA-256 (the route's name,
    so a new shapes file is a new URL). Public Natural Earth outlines only, no figure."""
    features = [{"type": "Feature", "geometry": f["geometry"], "properties": {"iso3": f["properties"].get("iso_a3")}}
                for f in countries_geojson(path)["features"]]
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:16]


def shapes_url(base: str = "") -> str:
    """The outlines' URL for a page served under ``base`` (``""`` or ``"/prefix"``: the server's
    base path), same origin: no other server is ever asked."""
    return base + SHAPES_ROUTE.format(digest=served_shapes()[1])


def _polygons(geometry: dict) -> list[list]:
    """The polygons of a Polygon or MultiPolygon geometry (each a list of rings)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, lon, lat) of a closed ring by the shoelace formula (area in square degrees, unsigned)."""
    twice_area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice_area) < 1e-12:  # degenerate ring: the mean of its points
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(twice_area) / 2, cx / (3 * twice_area), cy / (3 * twice_area)


def _main_ring(geometry: dict) -> list:
    """The exterior ring of the largest polygon: France's centroid is in France, not between Paris
    and French Guiana."""
    rings = [polygon[0] for polygon in _polygons(geometry) if polygon]
    return max(rings, key=lambda ring: ring_centroid(ring)[0])


def country_centroids(geojson: dict) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lon, lat) of the centroid of the country's largest polygon."""
    result = {}
    for feature in geojson["features"]:
        iso3 = feature["properties"].get("iso_a3")
        if iso3 and iso3 != "-99" and _polygons(feature["geometry"]):
            _, lon, lat = ring_centroid(_main_ring(feature["geometry"]))
            result[iso3] = (lon, lat)
    return result


@lru_cache(maxsize=1)
def default_centroids() -> dict[str, tuple[float, float]]:
    """:func:`country_centroids` of the shipped shapes, computed once."""
    return country_centroids(countries_geojson())


def country_bounds(geojson: dict, countries: Iterable[str]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around the main polygon of each of ``countries``; None if none has a shape."""
    wanted, points = set(countries), []
    for feature in geojson["features"]:
        if feature["properties"].get("iso_a3") in wanted and _polygons(feature["geometry"]):
            points.extend(_main_ring(feature["geometry"]))
    return _bounds(points)


def _bounds(points: list) -> tuple[float, float, float, float] | None:
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def points_bounds(points: list[dict]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around bubbles (dicts with ``lon`` and ``lat``)."""
    return _bounds([(p["lon"], p["lat"]) for p in points])


def merge_bounds(*boxes) -> tuple[float, float, float, float] | None:
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(box: tuple[float, float, float, float] | None, width: int = 900, height: int = 480,
             margin: float = 0.15) -> dict:
    """A view state (longitude, latitude, zoom) showing ``box`` in a ``width`` x ``height`` pixel
    map (deck.gl's Web Mercator: the world is 512 x 2^zoom pixels wide); the whole world without a box."""
    if box is None:
        return {"longitude": 0.0, "latitude": 20.0, "zoom": 0.5}
    west, south, east, north = box
    span_x = max(east - west, 1.0) * (1 + margin)
    span_y = max(_mercator_y(north) - _mercator_y(south), 0.02) * (1 + margin)
    zoom_x = math.log2(width * 360 / (WORLD_PIXELS * span_x))
    zoom_y = math.log2(height * 2 * math.pi / (WORLD_PIXELS * span_y))
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"longitude": (west + east) / 2, "latitude": latitude, "zoom": max(0.0, min(zoom_x, zoom_y, 8.0))}


def rgba(colour: str, alpha: int = 255) -> list[int]:
    """``#rrggbb`` -> [r, g, b, alpha] (deck.gl colours)."""
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


# --- session bubbles -------------------------------------------------------------------------

def bubble_radius(participants: int, suppress: bool = False, th: Thresholds = DEFAULT) -> float:
    """Radius (pixels) of a session's bubble. Under small-cell suppression a count from 1 to 4 is
    drawn as the threshold itself, so the bubble does not reveal it."""
    n = participants or 0
    if suppress and 0 < n < th.small_cell:
        n = th.small_cell
    return max(MIN_RADIUS, RADIUS_SCALE * math.sqrt(n))


def _is_number(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and not math.isnan(value)


def session_points(sessions: list[dict], centroids: dict[str, tuple[float, float]], lang: str,
                   suppress: bool = False, th: Thresholds = DEFAULT) -> tuple[list[dict], list[dict]]:
    """(bubbles, unplaced) from one dict per session (``training_sessions`` rows).

    A session with latitude and longitude is drawn there; one without them at its country's
    centroid; a regional session (blank country) without coordinates, or one in a country with
    no shape, cannot be drawn and is returned in ``unplaced``. Each bubble keeps the session
    ``code``, its ``participants`` (as published: a number, or the mark of a hidden count), ``radius``, ``lon``/``lat``, ``placed``
    (``coordinates`` or ``centroid``) and a plain-text ``tooltip``.
    """
    bubbles, unplaced = [], []
    for s in sessions:
        # A count already published as a mark ("< 5", "n.d.": dashboard.disclosure) stays one and
        # is drawn with the size of the threshold; under ``suppress`` so is a count from 1 to 4.
        hidden = isinstance(s["participants"], str)
        participants = th.small_cell if hidden else int(s["participants"] or 0)
        if _is_number(s.get("latitude")) and _is_number(s.get("longitude")):
            lon, lat, placed = float(s["longitude"]), float(s["latitude"]), "coordinates"
        elif s.get("country_iso3") and s["country_iso3"] in centroids:
            (lon, lat), placed = centroids[s["country_iso3"]], "centroid"
        else:
            unplaced.append(s)
            continue
        shown = s["participants"] if hidden else people_label(participants, lang, suppress, th)
        place = ", ".join(p for p in (s.get("city"), country_name(s.get("country_iso3") or None, lang)) if p)
        bubbles.append({
            "code": s["code"], "participants": shown if hidden or (suppress and 0 < participants < th.small_cell)
            else participants, "radius": bubble_radius(participants, suppress, th),
            "lon": lon, "lat": lat, "placed": placed,
            "tooltip": t("map.session_tooltip", lang, date=fmt_date(s["start_date"], lang), title=s["title"],
                         place=place, participants=shown),
        })
    return bubbles, unplaced


def people_label(count, lang: str, suppress: bool = False, th: Thresholds = DEFAULT) -> str:
    """A count of people as text, "< 5" for 1 to 4 under small-cell suppression."""
    if suppress and count is not None and 0 < count < th.small_cell:
        return f"< {th.small_cell}"
    return fmt_number(count, lang)


def session_shapes(geojson: dict, highlighted: Iterable[str], lang: str) -> dict:
    """The programme's countries (``highlighted``) as a new FeatureCollection, in a light colour
    (the others are the outlines' layer, :func:`sessions_deck`)."""
    highlighted = set(highlighted)
    features = []
    for feature in geojson["features"]:
        iso3 = feature["properties"].get("iso_a3")
        if iso3 in highlighted:
            features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
                "iso3": iso3, "fill": rgba(HIGHLIGHT), "tooltip": country_name(iso3, lang)}})
    return {"type": "FeatureCollection", "features": features}


# --- progress choropleth ---------------------------------------------------------------------

def progress_colour(progress) -> str:
    """The class colour of a progress value (0..1, clamped); :data:`NO_DATA` when there is none."""
    if progress is None or (isinstance(progress, float) and math.isnan(progress)):
        return NO_DATA
    value = min(max(progress, 0.0), 1.0)
    for upper, colour in PROGRESS_BINS:
        if value < upper:
            return colour
    return PROGRESS_BINS[-1][1]


def progress_features(geojson: dict, progress: dict[str, float | None], lang: str) -> dict:
    """The programme's countries (the keys of ``progress``) as a new FeatureCollection coloured by
    progress: each by its class, grey (:data:`NO_DATA`) when its progress is None. The others are
    the outlines' layer, in the background colour (:func:`progress_deck`). Each feature carries
    ``iso3``, ``progress``, ``fill`` and ``tooltip``."""
    features = []
    for feature in geojson["features"]:
        iso3 = feature["properties"].get("iso_a3")
        if iso3 not in progress:
            continue
        value = progress[iso3]
        text = fmt_percent(value, lang) if value is not None else t("map.no_data", lang)
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
            "iso3": iso3, "progress": value, "fill": rgba(progress_colour(value)),
            "tooltip": t("map.country_progress", lang, country=country_name(iso3, lang), progress=text)}})
    return {"type": "FeatureCollection", "features": features}


def progress_legend(lang: str) -> list[tuple[str, str]]:
    """(colour, label) of each class, then no data and outside the programme."""
    items, lower = [], 0.0
    for upper, colour in PROGRESS_BINS:
        items.append((colour, f"{fmt_percent(lower, lang)} – {fmt_percent(upper, lang)}"))
        lower = upper
    items.append((NO_DATA, t("map.no_data", lang)))
    items.append((BACKGROUND, t("map.outside", lang)))
    return items


# --- decks -----------------------------------------------------------------------------------

def _shapes_layer(features: dict, layer_id: str) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", data=features, id=layer_id, get_fill_color="properties.fill",
                     get_line_color=[255, 255, 255, 255], line_width_min_pixels=1, stroked=True, filled=True,
                     pickable=True)


def _outlines_layer(url: str) -> pdk.Layer:
    """Every country in the background colour, from the outlines' URL (:func:`shapes_url`): the
    browser fetches it once and keeps it. Not pickable: no tooltip, no figure."""
    return pdk.Layer("GeoJsonLayer", data=url, id="world", get_fill_color=rgba(BACKGROUND),
                     get_line_color=[255, 255, 255, 255], line_width_min_pixels=1, stroked=True, filled=True,
                     pickable=False)


def _deck(layers: list[pdk.Layer], view: dict) -> pdk.Deck:
    # map_provider=None with the default map_style: no basemap, no tile request (module docstring).
    return pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(**view), map_provider=None,
                    tooltip={"text": "{tooltip}"})


def sessions_deck(shapes: dict, bubbles: list[dict], view: dict, outlines: str) -> pdk.Deck:
    """The world's outlines (from the URL ``outlines``), the programme's countries (``shapes``,
    :func:`session_shapes`) and one bubble per session (radius in pixels from :func:`bubble_radius`)."""
    points = pdk.Layer("ScatterplotLayer", data=bubbles, id="sessions", get_position="[lon, lat]",
                       get_radius="radius", radius_units=pdk.types.String("pixels"), get_fill_color=list(BUBBLE),
                       get_line_color=list(BUBBLE_LINE), line_width_min_pixels=1, stroked=True, pickable=True)
    return _deck([_outlines_layer(outlines), _shapes_layer(shapes, "countries"), points], view)


def progress_deck(features: dict, view: dict, outlines: str) -> pdk.Deck:
    """The progress choropleth: the world's outlines (from the URL ``outlines``) under the
    programme's countries (``features``, from :func:`progress_features`)."""
    return _deck([_outlines_layer(outlines), _shapes_layer(features, "progress")], view)


def serialise(deck: pdk.Deck) -> dict:
    """A deck as a page model keeps it: its JSON (what ``deck.to_json()`` writes, without the
    indentation: the same spec, a fifth of the size for the world's shapes, written by the C encoder
    in ~7 ms instead of ~50 ms) and its tooltip, which pydeck keeps out of the JSON."""
    return {"spec": json.dumps(deck, sort_keys=True, default=default_serialize), "tooltip": deck._tooltip}
