"""The PaddleSpeech model files the worker needs, where PaddleSpeech 1.5.0 looks for them under `PPSPEECH_HOME`,
and their published md5 — checked before PaddleSpeech is imported, so a missing file is named instead of
downloaded. Pure Python: importable without paddle."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voice.models import FileCheck, check_file


@dataclass(frozen=True)
class Archive:
    """A released model archive: PaddleSpeech unpacks `<home>/models/<tag>/<version>/<file>` when its md5 matches
    (and downloads it otherwise — which the worker never lets happen)."""

    tag: str
    version: str
    file: str
    md5: str
    url: str

    def path(self, home: Path) -> Path:
        return home / "models" / self.tag / self.version / self.file


_BASE = "https://paddlespeech.bj.bcebos.com/"
# From paddlespeech/resource/pretrained_models.py (PaddleSpeech 1.5.0).
ACOUSTIC = Archive(
    "fastspeech2_csmsc-zh",
    "1.0",
    "fastspeech2_nosil_baker_ckpt_0.4.zip",
    "637d28a5e53aa60275612ba4393d5f22",
    _BASE + "Parakeet/released_models/fastspeech2/fastspeech2_nosil_baker_ckpt_0.4.zip",
)
VOCODERS = {
    "hifigan_csmsc": Archive(
        "hifigan_csmsc-zh",
        "1.0",
        "hifigan_csmsc_ckpt_0.1.1.zip",
        "dd40a3d88dfcf64513fba2f0f961ada6",
        _BASE + "Parakeet/released_models/hifigan/hifigan_csmsc_ckpt_0.1.1.zip",
    ),
    "mb_melgan_csmsc": Archive(
        "mb_melgan_csmsc-zh",
        "1.0",
        "mb_melgan_csmsc_ckpt_0.1.1.zip",
        "ee5f0604e20091f0d495b6ec4618b90d",
        _BASE + "Parakeet/released_models/mb_melgan/mb_melgan_csmsc_ckpt_0.1.1.zip",
    ),
}
ASR = Archive(
    "conformer_wenetspeech-zh-16k",
    "1.0",
    "asr1_conformer_wenetspeech_ckpt_0.1.1.model.tar.gz",
    "76cb19ed857e6623856b7cd7ebbfeda4",
    _BASE + "s2t/wenetspeech/asr1_conformer_wenetspeech_ckpt_0.1.1.model.tar.gz",
)
# The Chinese TTS front end also needs g2pW (polyphones, unpacked under <home>/models) and the bert-base-chinese
# vocabulary in the Hugging Face cache.
G2PW_DIRS = ("G2PWModel_1.1", "G2PWModel")
G2PW_URL = _BASE + "Parakeet/released_models/g2p/G2PWModel_1.1.zip"


def ppspeech_home() -> Path:
    return Path(os.environ.get("PPSPEECH_HOME") or Path.home() / ".paddlespeech")


def hf_hub_cache() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    return Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface") / "hub"


@dataclass(frozen=True)
class Readiness:
    """Whether one task (tts, asr) can run, with every file checked and the missing ones named."""

    ok: bool
    reason: str
    files: list[FileCheck]


def _verdict(task: str, checks: list[FileCheck], extra_missing: list[str]) -> Readiness:
    problems = [c.describe() for c in checks if not c.ok] + extra_missing
    if problems:
        return Readiness(False, f"{task}: " + "; ".join(problems), checks)
    return Readiness(True, f"{task}: all model files present", checks)


def check_tts(home: Path | None = None, vocoder: str = "hifigan_csmsc", compute_md5: bool = True) -> Readiness:
    """FastSpeech2 + vocoder archives (md5 checked), g2pW and the BERT vocabulary."""
    home = home or ppspeech_home()
    if vocoder not in VOCODERS:
        return Readiness(False, f"tts: unknown vocoder {vocoder!r}; choose one of {', '.join(VOCODERS)}", [])
    archives = (ACOUSTIC, VOCODERS[vocoder])
    checks = [check_file(a.path(home), a.md5 if compute_md5 else None, compute_md5) for a in archives]
    extra = []
    if not any((home / "models" / d / "g2pW.onnx").is_file() for d in G2PW_DIRS):
        extra.append(f"missing  {home / 'models' / G2PW_DIRS[0] / 'g2pW.onnx'} (unpack {G2PW_URL})")
    if not (hf_hub_cache() / "models--bert-base-chinese").is_dir():
        extra.append(f"missing  {hf_hub_cache() / 'models--bert-base-chinese'} (Hugging Face bert-base-chinese)")
    return _verdict("tts", checks, extra)


def check_asr(home: Path | None = None, compute_md5: bool = True) -> Readiness:
    """The conformer_wenetspeech archive (md5 checked)."""
    home = home or ppspeech_home()
    return _verdict("asr", [check_file(ASR.path(home), ASR.md5 if compute_md5 else None, compute_md5)], [])
