"""What ``u2fast eval`` sends for an image kept as base64 text in a release TSV: that text, byte for
byte (issue 15: validated once when loaded, its hash checked when read, never decoded and re-encoded)."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from cli_support import cli_env, eval_argv, run_cli

import u2fast.data
from u2fast.testing import FakeProvider

SAMPLE = Path(u2fast.data.__file__).parent / "sample_assets"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _noncanonical(text: str) -> str:
    """Still valid base64 of the same bytes, but not what re-encoding them gives: the unused low
    bits of the last character before the padding set (decoders ignore them)."""
    body = text.rstrip("=")
    if len(body) == len(text):
        return text  # no padding, no unused bits
    flipped = _ALPHABET[_ALPHABET.index(body[-1]) | 1]
    return body[:-1] + flipped + text[len(body):]


def test_eval_sends_the_tsv_text_of_each_image_as_it_is(tmp_path: Path) -> None:
    data = tmp_path / "release"
    shutil.copytree(SAMPLE / "disease_diagnosis", data / "disease_diagnosis")
    stored: set[str] = set()
    for table in (data / "disease_diagnosis").glob("*.tsv"):
        lines = table.read_text().splitlines(keepends=True)
        column = lines[0].rstrip("\n").split("\t").index("img_data")
        for i in range(1, len(lines)):
            cells = lines[i].split("\t")
            cells[column] = _noncanonical(cells[column])
            stored.add(cells[column])
            lines[i] = "\t".join(cells)
        table.write_text("".join(lines))
    changed = {t for t in stored if base64.b64encode(base64.b64decode(t)).decode() != t}
    assert changed, "the copy holds base64 that a decode and re-encode would change"

    with FakeProvider() as fake:
        argv = eval_argv(tmp_path / "runs", "sent", "openai:gpt-x", base_url=fake.url,
                         extra=["--data", str(data), "--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY="sk-test-images"))
        sent = [b64 for request in fake.received() for _, b64 in request.images]
    assert proc.returncode == 0, proc.stderr
    assert sent and set(sent) <= stored
    assert set(sent) & changed  # the texts a round trip would have rewritten went out unchanged
