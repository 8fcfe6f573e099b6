"""Incremental builds: unchanged outputs are taken from the last build, byte for byte;
a changed article, or a leaflet damaged by hand, is made again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from conftest import SAMPLE

from careleaf.build import BuildOptions, BuildReport, build

TODAY = date(2026, 11, 25)  # review dates checked against a fixed day


def project(tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(SAMPLE / "manuscripts", root / "manuscripts")
    shutil.copy(SAMPLE / "careleaf.toml", root)
    return root


def run(root: Path) -> BuildReport:
    report = build(
        BuildOptions(
            manuscripts=root / "manuscripts",
            output=root / "output",
            config=root / "careleaf.toml",
            today=TODAY,
        )
    )
    assert not report.failed, report.problems
    return report


def leaflets(root: Path) -> dict[str, bytes]:
    folder = root / "output" / "leaflets"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")}


def test_unchanged_leaflets_are_reused_byte_for_byte(tmp_path: Path) -> None:
    root = project(tmp_path)
    first = run(root)
    assert first.reused == ()
    made = leaflets(root)
    assert len(made) == 12 and (root / "output" / ".careleaf" / "state.json").is_file()
    second = run(root)
    assert {f"leaflets/{name}" for name in made} <= set(second.reused)
    assert second.result is not None and second.result.written == ()
    assert leaflets(root) == made


def test_a_changed_article_is_rendered_again(tmp_path: Path) -> None:
    root = project(tmp_path)
    run(root)
    before = leaflets(root)
    manuscript = root / "manuscripts" / "blood-test.md"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text + "\nDrink a glass of water before you come.\n", encoding="utf-8")
    report = run(root)
    again = {"leaflets/blood-test.pdf", "leaflets/large-print/blood-test.pdf"}
    reused_leaflets = {name for name in report.reused if name.startswith("leaflets/")}
    assert reused_leaflets == {f"leaflets/{name}" for name in before} - again
    after = leaflets(root)
    assert after["blood-test.pdf"] != before["blood-test.pdf"]
    assert {k: v for k, v in after.items() if "blood-test" not in k} == {
        k: v for k, v in before.items() if "blood-test" not in k
    }


def test_a_leaflet_damaged_by_hand_is_rendered_again(tmp_path: Path) -> None:
    root = project(tmp_path)
    run(root)
    good = leaflets(root)
    damaged = root / "output" / "leaflets" / "vacuna-gripe.pdf"
    damaged.write_bytes(b"%PDF-1.7 not really")
    report = run(root)
    assert "leaflets/vacuna-gripe.pdf" not in report.reused
    assert leaflets(root) == good
