"""Speaking-rate limits shared by every interface."""

from huayin.errors import InvalidParameterError

#: Same range as OpenAI's ``speed`` (1 = normal, > 1 = faster).
MIN_SPEED = 0.25
MAX_SPEED = 4.0


def check_speed(speed: float) -> float:
    """Return ``speed`` as float, or raise a user error when it is out of range."""
    try:
        value = float(speed)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"speed must be a number, got {speed!r}") from None
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise InvalidParameterError(f"speed must be between {MIN_SPEED} and {MAX_SPEED}, got {value}")
    return value
