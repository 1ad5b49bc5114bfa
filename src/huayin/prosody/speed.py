"""Speaking-rate limits shared by every interface, and the range check all settings use."""

from huayin.errors import InvalidParameterError

#: Same range as OpenAI's ``speed`` (1 = normal, > 1 = faster).
MIN_SPEED = 0.25
MAX_SPEED = 4.0


def check_range(name: str, value: float, low: float, high: float) -> float:
    """Return ``value`` as float, or raise a user error naming ``name`` when it is not a number
    in [low, high] (NaN included)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"{name} must be a number, got {value!r}") from None
    if not low <= number <= high:
        raise InvalidParameterError(f"{name} must be between {low} and {high}, got {number}")
    return number


def check_speed(speed: float) -> float:
    """Return ``speed`` as float, or raise a user error when it is out of range."""
    return check_range("speed", speed, MIN_SPEED, MAX_SPEED)
