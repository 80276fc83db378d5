from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
# ../shared beside the checkout: corpora and gold files that may not be copied into the repo.
SHARED = ROOT.parent / "shared"

# The tests that press Ctrl-C on a newsents process need it to hear Ctrl-C as a terminal's
# user's does. A suite started in the background by a shell without job control (`cmd &` in
# a script) ignores SIGINT, and every process it starts would inherit that; a handler, unlike
# "ignore", is not inherited.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def nlp():
    from newsents.nlp import DEFAULT_MODEL, load_pipeline

    return load_pipeline(DEFAULT_MODEL)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: corpus tests need ../shared beside the checkout")
    return SHARED


def run_json(runner: CliRunner, args: list[str]) -> tuple[int, dict, str]:
    """Run the CLI; return exit code, parsed stdout and stderr."""
    from newsents.cli import cli

    result = runner.invoke(cli, args, catch_exceptions=False)
    data = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, data, result.stderr


# Fuzzing budgets (tests/test_fuzz.py): `ci`, the default, is bounded and derandomised so a run
# is reproducible and takes seconds; NEWSENTS_FUZZ=deep hunts at random with many more examples.
def _fuzz_profiles() -> None:
    import os

    from hypothesis import settings

    settings.register_profile("ci", max_examples=150, derandomize=True, database=None)
    settings.register_profile("deep", max_examples=5000)
    settings.load_profile(os.environ.get("NEWSENTS_FUZZ", "ci"))


_fuzz_profiles()
