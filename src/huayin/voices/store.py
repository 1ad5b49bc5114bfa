"""The voice store: prepared voice packs on disk under ``$HUAYIN_HOME/voices/<pack>/``.

Each installed pack has a ``manifest.json`` listing its files with SHA-256 checksums; a pack
counts as installed only when the manifest and every file in it are present.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from huayin.config import huayin_home
from huayin.errors import VoiceNotInstalledError

MANIFEST = "manifest.json"


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def require_pack_format(pack_dir: Path, pack: str, fmt: int) -> None:
    """Raise a user error when the pack in ``pack_dir`` was prepared by an older huayin."""
    manifest = json.loads((pack_dir / MANIFEST).read_text())
    if manifest.get("format") != fmt:
        raise VoiceNotInstalledError(
            f"the installed {pack} pack was prepared by an older huayin; "
            f"run: huayin voices install {pack} --force")


@dataclass(frozen=True)
class VoiceStore:
    """A directory of installed voice packs."""

    root: Path
    """The store's root directory (``$HUAYIN_HOME``)."""

    @classmethod
    def default(cls) -> "VoiceStore":
        """The store at ``$HUAYIN_HOME`` (default ``~/.cache/huayin``)."""
        return cls(huayin_home())

    def pack_dir(self, pack: str) -> Path:
        """Directory of one pack (may not exist yet)."""
        return self.root / "voices" / pack

    def manifest(self, pack: str) -> dict | None:
        """The pack's manifest, or None if the pack is absent or incomplete."""
        path = self.pack_dir(pack) / MANIFEST
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        files = manifest.get("files", {})
        if not files or not all((self.pack_dir(pack) / name).is_file() for name in files):
            return None
        return manifest

    def is_installed(self, pack: str) -> bool:
        """True when the pack's manifest and all its files are present."""
        return self.manifest(pack) is not None

    def verify(self, pack: str) -> bool:
        """True when every file matches the checksum in the manifest (reads all files)."""
        manifest = self.manifest(pack)
        if manifest is None:
            return False
        return all(
            sha256_of((self.pack_dir(pack) / name).read_bytes()) == digest
            for name, digest in manifest["files"].items()
        )

    def write_pack(self, pack: str, files: dict[str, bytes], info: dict) -> Path:
        """Atomically-enough write a pack: files first, the manifest last (it marks completion)."""
        directory = self.pack_dir(pack)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MANIFEST).unlink(missing_ok=True)
        for name, data in files.items():
            temporary = directory / (name + ".part")
            temporary.write_bytes(data)
            temporary.replace(directory / name)
        manifest = {**info, "files": {name: sha256_of(data) for name, data in files.items()}}
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        return directory
