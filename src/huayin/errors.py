"""Errors a user can cause, each with a stable machine-readable code.

The CLI prints ``message`` on one line and exits with status 2; the HTTP server (later) turns the
same errors into a 4xx JSON body ``{"error": {"code": ..., "message": ...}}``.
"""


class HuayinError(Exception):
    """A problem with the user's input or setup, not a bug in huayin."""

    #: Stable identifier for clients (also the HTTP error code).
    code: str = "invalid_request"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class EmptyTextError(HuayinError):
    """The text is empty, whitespace only, or has nothing speakable."""

    code = "empty_text"


class UnknownVoiceError(HuayinError):
    """No voice of that id exists in the registry."""

    code = "unknown_voice"


class VoiceNotInstalledError(HuayinError):
    """The voice exists but its pack has not been installed into the voice store."""

    code = "voice_not_installed"


class VoiceInstallError(HuayinError):
    """Fetching, verifying or preparing a voice pack failed."""

    code = "voice_install_failed"


class InvalidParameterError(HuayinError):
    """A synthesis parameter (speed, format, ...) is out of range."""

    code = "invalid_parameter"


class SettingsError(HuayinError):
    """An environment setting (HUAYIN_...) is not a number, or out of its range."""

    code = "invalid_setting"
