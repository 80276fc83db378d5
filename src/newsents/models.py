"""Pydantic models: the single source of newsents' data and of its JSON output schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"

EntityType = Literal["person", "organization", "place", "date"]
Granularity = Literal[
    "day", "week", "month", "season", "quarter", "half", "year", "decade", "century", "reference"
]
# How an article's source was read (docs/input.md).
SourceFormat = Literal["text", "markdown", "html", "json", "csv", "feed", "warc"]
# Parts of an article. Mentions are found in title, byline, dateline, body, caption, a credit
# (a photo's, `REUTERS/Ana Ruiz`: the agency and the photographer, as news annotation counts
# them; or a wire dateline's agency, `(Reuters) -`) and a wire sign-off (`(Reporting by …;
# Editing by …)`); `date` and `reading_time` blocks are metadata and never yield entities.
Section = Literal[
    "title", "byline", "dateline", "date", "reading_time", "body", "caption", "credit", "signoff"
]
# Why a mention belongs to an entity other than its own name's, or was found at all: the rule
# that decided it (docs/resolution.md describes each).
Reason = Literal[
    "country_name",  # another name of a country: `America` is the `United States`
    "organization_name",  # another name of an organisation: the `Tories` are the `Conservatives`
    "acronym_defined",  # `Federal Open Market Committee (FOMC)`
    "acronym",  # `UN` after `United Nations` in the article
    "surname",  # `Hai` after `Helen Hai`
    "given_name",  # `Alan` after `Alan Hollis`, in one article only
    "short_form",  # `Global Compact` after `United Nations Global Compact`
    "refound",  # the model missed the name here; found as a whole word in the article
    "refound_corpus",  # found where the model missed it, from names of other articles
    "type_from_corpus",  # typed on thin evidence; takes the corpus's type
    "short_form_corpus",  # a short form that fits one full name across the corpus
    "plural",  # `Conservatives` with `Conservative`
    "surname_corpus",  # a lone surname of one person across the corpus
    "alias_file",  # merged by the user's alias file
    "alias_file_split",  # kept apart by the user's alias file
    "alias_file_type",  # typed by the user's alias file
]
RelationReason = Literal[
    "side_of",  # a sports side named after its place
    "name_prefix",  # `Binance China` begins with `Binance`
]
MENTION_SECTIONS: frozenset[str] = frozenset(
    {"title", "byline", "dateline", "body", "caption", "credit", "signoff"}
)
# Running text, where a name the model missed is looked for again.
PROSE_SECTIONS: frozenset[str] = frozenset({"title", "body", "caption", "signoff"})
# Co-occurrence counts these only, so an author is not linked to everything they wrote about.
COOCCURRENCE_SECTIONS: frozenset[str] = frozenset({"title", "body"})


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Block(Model):
    """A contiguous part of an article's decoded source text."""

    section: Section
    start: int = Field(description="Character offset into the decoded source text.")
    end: int
    text: str


class Article(Model):
    """One article file as the loader understood it."""

    id: str = Field(description="Content hash of the file's bytes (stable across machines).")
    path: str = Field(description="The path as given (relative where the input was), or '-'.")
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(default=None, description="ISO 8601 date or date-time.")
    updated: str | None = Field(default=None, description="ISO 8601 date or date-time.")
    reading_time_minutes: int | None = None
    dateline: str | None = Field(
        default=None, description="Place of a wire dateline such as 'LONDON 1996-08-30'."
    )
    captions: list[str] = Field(default_factory=list)
    credits: list[str] = Field(
        default_factory=list,
        description="Image credits ('REUTERS/Ana Ruiz'); the names of one in the article's text "
        "are mentions, linked to no other entity.",
    )
    encoding: str = Field(description="The encoding the file was decoded with.")
    format: SourceFormat = Field(
        default="text", description="How the source was read: its format (docs/input.md)."
    )
    url: str | None = Field(
        default=None,
        description="The article's address: a page's canonical link, a record's or feed item's "
        "link, the URL fetched or archived.",
    )
    site: str | None = Field(
        default=None,
        description="The publication: a page's site name, a feed's or record's source.",
    )
    fetched: str | None = Field(
        default=None, description="When the page was fetched (a WARC record's date, a URL's fetch)."
    )


class LoadedArticle(Model):
    """An article with its decoded source text and the blocks it was split into."""

    article: Article
    text: str = Field(description="The decoded source text; all offsets point into it.")
    blocks: list[Block]


class Sentence(Model):
    """A sentence (never crossing a block) of an article; the unit of co-occurrence."""

    index: int
    start: int
    end: int
    section: Section


class Mention(Model):
    """One occurrence of an entity in an article."""

    article: str = Field(description="Article id.")
    start: int = Field(description="Offset into the article's decoded source text.")
    end: int
    text: str = Field(description="Exactly source[start:end].")
    sentence: int = Field(description="Index of the sentence within the article.")
    section: Section
    label: str = Field(description="The spaCy label the model gave (or BYLINE for authors).")
    name: str = Field(description="The clean name this mention gives.")
    titles: list[str] = Field(
        default_factory=list, description="Honorifics and job titles taken off the name."
    )
    value: str | None = Field(default=None, description="Dates: ISO 8601 / TimeML value.")
    granularity: Granularity | None = Field(default=None, description="Dates: unit of value.")
    relative: bool = Field(
        default=False, description="Dates: relative ('last Friday'); null value without anchor."
    )


class Merge(Model):
    """Why a name was merged into an entity: an audit trail."""

    alias: str
    reason: Reason = Field(description="The rule that merged it (docs/resolution.md).")


class Entity(Model):
    id: str = Field(description="Stable id derived from type and canonical name.")
    name: str
    type: EntityType
    label: str = Field(description="The most frequent spaCy label among the mentions.")
    aliases: list[str] = Field(description="Distinct surface forms, sorted.")
    mention_count: int
    article_count: int
    type_votes: dict[str, int] = Field(
        default_factory=dict, description="How many mentions the model gave each type."
    )
    merges: list[Merge] = Field(default_factory=list)
    ambiguous: bool = Field(
        default=False, description="A short form that fits several entities; kept apart."
    )
    value: str | None = Field(default=None, description="Dates: the value the entity stands for.")
    granularity: Granularity | None = None
    mentions: list[Mention]


class Edge(Model):
    """Two entities that occur in the same sentence."""

    source: str
    target: str
    weight: int = Field(description="Number of sentences in which both occur.")
    articles: list[str]


# Not in the graph's schema: what the store keeps beside a link for `show` to give its
# evidence at once. The first sentence naming both entities (article id, sentence index) and
# their spans in it (offsets into the article's text).
LinkEvidence = tuple[str, int, list[tuple[int, int]]]


class Relation(Model):
    """A typed link between two entities that stay apart (`Binance China` part_of `Binance`)."""

    source: str
    target: str
    kind: Literal["part_of", "related"]
    reason: RelationReason


class Graph(Model):
    schema_version: str = SCHEMA_VERSION
    articles: list[Article]
    entities: list[Entity]
    edges: list[Edge]
    relations: list[Relation] = Field(default_factory=list)


class ModelOutput(Model):
    """What the model found in an article's text, as it found it: cached per article and model,
    so changed rules re-resolve from it without running the model again."""

    ents: list[tuple[int, int, str]] = Field(description="Entity spans: start, end, label.")
    sents: list[tuple[int, int]] = Field(description="Sentence spans: start, end.")


class ArticleAnalysis(Model):
    """What NLP found in one article: stored, so nothing is re-run for the same content."""

    article: Article
    text: str
    blocks: list[Block]
    sentences: list[Sentence]
    mentions: list[ResolvedMention]


@dataclass(frozen=True)
class AnalysisRecord:
    """One article's analysis as the store keeps it: the article, and the model's output and
    the analysis as JSON. What analysis hands the store, and what a worker process or a Dask
    worker sends back: strings unpickle fifty times faster than the models they hold, and the
    process that stores every article is the one that cannot be parallel."""

    article: Article
    output_json: str
    analysis_json: str
    text_digest: str | None = None  # of the text the model read (fingerprint.text_digest)

    @classmethod
    def of(
        cls, output: ModelOutput, analysis: ArticleAnalysis, text_digest: str | None = None
    ) -> AnalysisRecord:
        return cls(
            analysis.article, output.model_dump_json(), analysis.model_dump_json(), text_digest
        )


class ResolvedMention(Model):
    """A mention with its cleaned name, type and the canonical key it resolves to."""

    start: int
    end: int
    text: str
    name: str
    type: EntityType
    label: str
    section: Section
    sentence: int
    key: str = Field(description="Canonical key; equal keys and types are one entity.")
    titles: list[str] = Field(default_factory=list)
    reason: Reason | None = Field(
        default=None, description="Rule that set the key when it is not the name's own."
    )
    type_votes: dict[str, int] = Field(
        default_factory=dict, description="Types the model gave this name in the article."
    )
    value: str | None = None
    granularity: Granularity | None = None
    relative: bool = False
    ambiguous: bool = Field(
        default=False, description="A short form that fits several names of the article."
    )
    side: str | None = Field(
        default=None,
        description="The team sport in which this place's name stands for its side.",
    )


class ArticleRef(Model):
    id: str
    path: str
    title: str | None
    published: str | None
    updated: str | None


class Neighbour(Model):
    id: str
    name: str
    type: EntityType
    weight: int = Field(description="Sentences in which both entities occur.")
    evidence: Evidence | None = Field(
        default=None, description="A title or body sentence in which both occur."
    )


class MentionContext(Model):
    article: str
    section: Section
    text: str
    sentence: str = Field(description="The sentence the mention stands in.")
    start: int = Field(description="Offset of the mention within `sentence`.")
    end: int


class EntityReport(Model):
    """Everything `show` says about one entity."""

    id: str
    name: str
    type: EntityType
    label: str
    aliases: list[str]
    mention_count: int
    article_count: int
    articles: list[ArticleRef]
    neighbours: list[Neighbour]
    contexts: list[MentionContext]
    type_votes: dict[str, int] = Field(
        default_factory=dict, description="How many mentions the model gave each type."
    )
    merges: list[Merge] = Field(
        default_factory=list, description="Names merged into the entity, and the rule that did."
    )
    ambiguous: bool = False
    relations: list[RelatedEntity] = Field(default_factory=list)
    neighbour_count: int = Field(
        default=0, description="Entities it occurs with (of the types asked for), listed or not."
    )
    value: str | None = Field(default=None, description="Dates: the value the entity stands for.")
    granularity: Granularity | None = Field(default=None, description="Dates: unit of value.")


# --- `newsents evaluate`: scores against a gold-annotated JSON Lines file -------------------

GoldFormat = Literal["conll", "gum", "aida", "tbaq"]


class Score(Model):
    """Precision, recall and F1 with the counts they come from (rounded to 4 decimals)."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


class MentionScores(Model):
    """Exact-span mention scores: per gold label (PER, ORG, LOC) and micro-averaged."""

    by_label: dict[str, Score]
    total: Score


class LinkScores(Model):
    """Same-entity decisions over pairs of detected mentions whose spans equal gold links."""

    gold_mentions: int = Field(description="Gold mentions with a uri.")
    matched_mentions: int = Field(description="Detected mentions whose span equals one of them.")
    within_documents: Score
    across_corpus: Score


class TimexScores(Model):
    """Gold calendar DATE timexes found with the right value."""

    gold: int = Field(description="Gold DATE timexes with a calendar value.")
    overlapped: int = Field(description="Of those, overlapped by a predicted date mention.")
    correct: int = Field(description="Overlapped by a predicted date mention of the same value.")
    accuracy: float = Field(description="correct / gold.")


class EvaluationReport(Model):
    """What `newsents evaluate` measured; a measure not asked for is null."""

    gold: str = Field(description="The gold file as given.")
    format: GoldFormat
    model: str
    documents: int
    mentions: MentionScores | None = None
    entity_set: Score | None = None
    links: LinkScores | None = None
    timex: TimexScores | None = None


# --- `show`, `entities`, `articles`: questions asked of the store ----------------------------


TrainContext = Literal["document", "line"]


class TrainSettings(Model):
    """What a `newsents train` run does; the defaults rebuild the shipped model."""

    steps: int = Field(default=1500, ge=1, description="Batches of updates.")
    batch_words: int = Field(default=1000, ge=1, description="Words per batch, about.")
    learn_rate: float = Field(default=0.001, gt=0)
    warmup_steps: int = Field(default=100, ge=0, description="Steps of rising learning rate.")
    dropout: float = Field(default=0.2, ge=0, lt=1)
    seed: int = 0
    context: TrainContext = Field(
        default="document", description="Learn from whole articles or from each line alone."
    )
    recase_share: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Share of articles added again with one line in capitals or Title Case.",
    )
    blend: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description=(
            "Share of the fine-tuned ner weights in the result, the rest the base model's "
            "(weight-space ensembling: it keeps what the base knows of other news)."
        ),
    )


class TrainReport(Model):
    """What a `newsents train` run read, taught and wrote, with dev scores before and after."""

    base: str = Field(description="The model fine-tuned.")
    output: str
    gold: str = Field(description="The gold file's name.")
    gold_sha256: str
    documents: int
    examples: int = Field(description="Texts learnt from, recased copies included.")
    taught: dict[str, int] = Field(description="Spans taught per spaCy label, from the gold.")
    rehearsed: dict[str, int] = Field(
        description="Spans of labels the gold does not annotate, kept from the base model."
    )
    missing_spans: int = Field(description="MISC and similar spans neither taught nor punished.")
    misaligned_spans: int = Field(description="Gold spans that cut a token: left out.")
    settings: TrainSettings
    final_loss: float
    seconds: float
    dev_before: MentionScores | None = None
    dev_after: MentionScores | None = None


class Evidence(Model):
    """A sentence in which two entities occur together."""

    article: str
    section: Section
    sentence: str
    highlights: list[tuple[int, int]] = Field(
        description="Offsets (start, end) within `sentence` of both entities' mentions."
    )


class RelatedEntity(Model):
    """A relation of the entity a report is about, seen from that entity."""

    kind: Literal["part_of", "related"]
    direction: Literal["outgoing", "incoming"] = Field(
        description="outgoing: this entity is part_of the other; incoming: the other is part_of it."
    )
    id: str
    name: str
    type: EntityType
    reason: str


class EntitySummary(Model):
    """One row of `newsents entities`."""

    id: str
    name: str
    type: EntityType
    label: str
    mention_count: int
    article_count: int
    salience: float = Field(description="Sum of the entity's salience over its articles.")
    value: str | None = Field(default=None, description="Dates: the value the entity stands for.")


class SalientEntity(Model):
    id: str
    name: str
    type: EntityType
    salience: float = Field(description="Salience in this article, 0 to 1 (docs/salience.md).")


class ArticleSummary(Model):
    """One row of `newsents articles`."""

    id: str
    path: str
    title: str | None
    date: str | None = Field(description="Published date, else updated date, else null.")
    published: str | None
    updated: str | None
    authors: list[str]
    url: str | None = None
    site: str | None = None
    dateline: str | None = Field(default=None, description="Place of a wire dateline.")
    captions: list[str] = Field(default_factory=list)
    credits: list[str] = Field(default_factory=list, description="Image credits.")
    top_entities: list[SalientEntity] = Field(description="The most salient entities (top 5).")
    text: str | None = Field(
        default=None,
        description="With --text: the article's text as stored, into which every mention's "
        "start and end point.",
    )
