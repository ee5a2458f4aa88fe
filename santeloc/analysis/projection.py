"""Lambert-93 (RGF93, EPSG:2154) to WGS84 longitude/latitude, without a projection library.

The inverse Lambert conformal conic projection with two standard parallels on the GRS80
ellipsoid (IGN, NTG_71). RGF93 and WGS84 differ by a few centimetres, well under the metre the
establishments' positions need; a test checks the result against pyproj within 1 m.
"""

from __future__ import annotations

import math

_A = 6_378_137.0
_F = 1 / 298.257222101
_E = math.sqrt(2 * _F - _F * _F)
_LON0 = math.radians(3.0)
_X0, _Y0 = 700_000.0, 6_600_000.0


def _t(phi: float) -> float:
    sin = math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2)


def _m(phi: float) -> float:
    sin = math.sin(phi)
    return math.cos(phi) / math.sqrt(1 - _E * _E * sin * sin)


_PHI1, _PHI2, _PHI0 = math.radians(49.0), math.radians(44.0), math.radians(46.5)
_N = (math.log(_m(_PHI1)) - math.log(_m(_PHI2))) / (math.log(_t(_PHI1)) - math.log(_t(_PHI2)))
_FF = _m(_PHI1) / (_N * _t(_PHI1) ** _N)
_R0 = _A * _FF * _t(_PHI0) ** _N


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees of a Lambert-93 point given in metres."""
    dx, dy = x - _X0, _R0 - (y - _Y0)
    r = math.copysign(math.hypot(dx, dy), _N)
    t = (r / (_A * _FF)) ** (1 / _N)
    lon = math.atan2(dx, dy) / _N + _LON0
    phi = math.pi / 2 - 2 * math.atan(t)
    for _ in range(15):
        sin = math.sin(phi)
        following = math.pi / 2 - 2 * math.atan(t * ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2))
        if abs(following - phi) < 1e-12:
            phi = following
            break
        phi = following
    return math.degrees(lon), math.degrees(phi)


def in_metropolitan_lambert93(x: float, y: float) -> bool:
    """Whether a point lies in Lambert-93's domain (metropolitan France and Corsica)."""
    return 0 < x < 1_300_000 and 6_000_000 < y < 7_200_000
