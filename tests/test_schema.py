import json

from conftest import ROOT

from newsents.cli import cli
from newsents.models import Graph

PUBLISHED = ROOT / "docs" / "schema" / "graph.schema.json"


def test_published_schema_matches_the_models(runner):
    """Regenerate with: newsents schema > docs/schema/graph.schema.json"""
    printed = json.loads(runner.invoke(cli, ["schema"], catch_exceptions=False).stdout)
    assert printed == Graph.model_json_schema(mode="serialization")
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == printed, (
        "docs/schema/graph.schema.json is out of date: "
        "run `newsents schema > docs/schema/graph.schema.json`"
    )
