"""Where model files live and how to check them: a deployer places them on disk; nothing is ever downloaded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_MODELS = PROJECT_ROOT.parent / "shared" / "models"
KWS_MODEL_NAME = "sherpa-onnx-kws-zipformer-wenetspeech-3.3M-2024-01-01-mobile"
KWS_RELEASE = (
    "https://github.com/k2-fsa/sherpa-onnx/releases/download/kws-models/"
    "sherpa-onnx-kws-zipformer-wenetspeech-3.3M-2024-01-01.tar.bz2"
)
# md5 of the files we use from the KWS release, as measured on the copy in ../shared/models.
KWS_MD5 = {
    "tokens.txt": "1bc455adb0fbffca81051fa81eae7502",
    "encoder-epoch-12-avg-2-chunk-16-left-64.int8.onnx": "fafb3f67d3464a5f55ed691fe9e9d859",
    "decoder-epoch-12-avg-2-chunk-16-left-64.onnx": "403457f5c11f6ed81bef575e7e102da3",
    "joiner-epoch-12-avg-2-chunk-16-left-64.int8.onnx": "f458381de9ed084154e5579b161a8f0d",
}


def resolve(path: Path | str) -> Path:
    """A configured path: absolute as given, relative ones against the project root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def md5sum(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.md5()  # noqa: S324 - a checksum published upstream, not security
    with path.open("rb") as source:
        while block := source.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileCheck:
    """One expected model file: present or not, and whether its md5 matches when one is known."""

    path: Path
    present: bool
    md5: str | None = None
    expected_md5: str | None = None

    @property
    def ok(self) -> bool:
        return self.present and (self.expected_md5 is None or self.md5 == self.expected_md5)

    def describe(self) -> str:
        if not self.present:
            return f"missing  {self.path}"
        if self.expected_md5 is None:
            return f"present  {self.path}" + (f" md5 {self.md5}" if self.md5 else "")
        verdict = "md5 ok" if self.md5 == self.expected_md5 else f"md5 {self.md5} != expected {self.expected_md5}"
        return f"present  {self.path} {verdict}"


def check_file(path: Path, expected_md5: str | None = None, compute_md5: bool = True) -> FileCheck:
    """Look at one file without reading more than needed."""
    if not path.is_file():
        return FileCheck(path, False, None, expected_md5)
    digest = md5sum(path) if compute_md5 or expected_md5 else None
    return FileCheck(path, True, digest, expected_md5)


def first_match(directory: Path, patterns: tuple[str, ...]) -> Path | None:
    """The first file in `directory` matching one of the glob patterns, in order of preference."""
    for pattern in patterns:
        found = sorted(directory.glob(pattern))
        if found:
            return found[0]
    return None


def find_files(model_dir: Path, layout: dict[str, tuple[str, ...]]) -> tuple[dict[str, Path], list[str]]:
    """Each role's file in `model_dir` (first matching pattern), and the expected names of those missing."""
    found, missing = {}, []
    for role, patterns in layout.items():
        path = first_match(model_dir, patterns) if model_dir.is_dir() else None
        if path is None:
            missing.append(f"{model_dir}/{patterns[0]}")
        else:
            found[role] = path
    return found, missing
