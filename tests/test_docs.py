"""The docs tell the truth: docs/cli.md is generated from --help, every jq recipe runs."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from newsents.cli import cli

JQ_MD = ROOT / "docs" / "jq.md"
CLI_MD = ROOT / "docs" / "cli.md"
GEN_SCRIPT = ROOT / "scripts" / "gen_cli_docs.py"


def _gen_cli_docs():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", GEN_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)


def _recipes(block: str) -> list[str]:
    """Commands of a ```sh block: paragraphs, without their comment lines."""
    commands = []
    for paragraph in re.split(r"\n\s*\n", block):
        lines = [line for line in paragraph.splitlines() if not line.lstrip().startswith("#")]
        if any(line.strip() for line in lines):
            commands.append("\n".join(lines).strip())
    return commands


def test_cli_docs_cover_every_command():
    text = CLI_MD.read_text(encoding="utf-8")
    missing = [name for name in sorted(cli.commands) if f"## newsents {name}\n" not in text]
    assert not missing, (
        f"docs/cli.md does not document {missing}: run `python scripts/gen_cli_docs.py`"
    )
    assert text == _gen_cli_docs().render(), (
        "docs/cli.md is out of date with the commands' --help: "
        "run `python scripts/gen_cli_docs.py` and commit docs/cli.md"
    )


def test_cli_docs_state_the_listing_convention_and_exit_codes():
    text = CLI_MD.read_text(encoding="utf-8")
    assert "**The listing convention.**" in text
    assert "**Exit codes.**" in text


@pytest.fixture(scope="module")
def seed_graph_json(tmp_path_factory) -> str:
    """graph.json of seeds/, extracted once (real model) into a temporary folder."""
    folder = tmp_path_factory.mktemp("jq")
    result = CliRunner().invoke(
        cli,
        ["extract", str(SEEDS), "--db", str(folder / "t.db"), "-o", str(folder / "graph.json")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return str(folder)


JQ_RECIPES = [r for block in _sh_blocks(JQ_MD.read_text(encoding="utf-8")) for r in _recipes(block)]


def test_jq_md_has_at_least_ten_recipes_each_reading_graph_json():
    assert len(JQ_RECIPES) >= 10
    assert all(r.startswith("jq ") and "graph.json" in r for r in JQ_RECIPES)


@pytest.mark.parametrize("recipe", JQ_RECIPES, ids=range(len(JQ_RECIPES)))
def test_every_jq_recipe_runs_on_the_seed_graph(recipe, seed_graph_json):
    if shutil.which("jq") is None:
        pytest.skip("jq is not on PATH: install jq (1.6 or later) to run the docs/jq.md recipes")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", recipe],
        cwd=seed_graph_json,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, f"{recipe}\n{done.stderr}"
    assert done.stdout.strip(), f"no output from:\n{recipe}"


def test_readme_jq_recipes_are_tested_ones_from_docs_jq_md():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## jq recipes", 1)[1].split("\n## ", 1)[0]
    recipes = [r for block in _sh_blocks(section) for r in _recipes(block)]
    assert recipes, "README's jq section should show a few recipes"

    def squash(text: str) -> str:
        return " ".join(text.split())

    tested = {squash(r) for r in JQ_RECIPES}
    assert [r for r in recipes if squash(r) not in tested] == []
