import math

import pytest

from corridor import LatencyModel, RequestError
from corridor.latency import SPEED_OF_LIGHT_KM_S


def test_default_is_about_4_9_us_per_km() -> None:
    model = LatencyModel()
    assert model.ms_per_km * 1000 == pytest.approx(4.8974, abs=1e-4)
    assert model.ms_per_km == pytest.approx(1.4682 / SPEED_OF_LIGHT_KM_S * 1000)


def test_link_latency_scales_with_route_factor() -> None:
    model = LatencyModel()
    assert model.link_ms(1000.0, route_factor=1.0) == pytest.approx(4.8974, abs=1e-4)
    assert model.link_ms(1000.0, route_factor=1.2) == pytest.approx(1.2 * 4.8974, abs=1e-3)
    assert model.route_factor("submarine") == 1.05
    assert model.route_factor("terrestrial") == 1.10


def test_floor_has_no_route_factor() -> None:
    model = LatencyModel(route_factor_terrestrial=1.5)
    assert model.floor_ms(1000.0) == pytest.approx(model.link_ms(1000.0, route_factor=1.0))


@pytest.mark.parametrize(
    "field,value",
    [("group_index", 0.9), ("route_factor_terrestrial", 0.5), ("site_delay_ms", -1.0)],
)
def test_invalid_parameters_are_refused(field: str, value: float) -> None:
    with pytest.raises(RequestError, match=field):
        LatencyModel(**{field: value})


def test_with_options_ignores_none() -> None:
    model = LatencyModel().with_options(group_index=1.5, site_delay_ms=None)
    assert model.group_index == 1.5
    assert model.site_delay_ms == 0.05
    assert math.isclose(model.ms_per_km, 1.5 / SPEED_OF_LIGHT_KM_S * 1000)
