"""framing: measure how news outlets frame an event, every number traceable to its sentences.

The public API is flat and holds the user's functions only: ``from framing import load_corpus,
sentences, ...``. Engines and plumbing stay in their modules (``framing.text``, ``framing.io``,
``framing.cache`` …), importable by name for those who need them.
"""

from .cache import CacheWarning, cache_dir, clear_cache
from .describe import (
    article_table,
    audit_summary,
    describe_corpus,
    describe_terms,
    escape_markdown,
    is_case_study,
    step_counts,
)
from .errors import CorpusError
from .evaluate import (
    design_summary,
    frame_terms,
    gold_quotes_for,
    load_gold_quotes,
    offsets_exact,
    quote_accuracy,
    shared_check,
    splitter_agreement,
    splitter_disagreements,
)
from .groups import join_articles, outlet_table, select_outlets, selection_note
from .io.manifest import load_corpus
from .io.readers import BAD_ROW_REASONS, COLUMN_ROLES, KEPT_ROW_NOTES, load_report
from .measures.actors import actor_mentions, load_actors
from .measures.frames import FRAME_N_BOOT, frame_hits, frame_scores, load_frames
from .measures.mentions import mention_kwic, mention_rates
from .measures.quotes import find_quotes, quotes_in_spans, voices
from .measures.sentiment import (
    actor_sentiment,
    extreme_sentences,
    outlet_sentiment,
    position_sentiment,
    quote_spans,
    score_sentences,
    score_spans,
    score_texts,
    voice_sentiment,
)
from .measures.shared import shared_matrix, shared_passages
from .measures.terms import (
    keyness,
    kwic,
    kwic_top_terms,
    log_odds,
    term_stability,
    tfidf_similarity,
    tfidf_terms,
    token_summary,
)
from .outputs import read_saved_table, save_figure, save_table
from .pipeline import Analysis, analysis, analyze_corpus, read_tables, write_tables
from .plots.corpus import plot_cleaning
from .plots.frames import plot_frame_rates
from .plots.mentions import plot_mention_rates
from .plots.sentiment import plot_actor_heatmap, plot_sentiment_intervals, plot_sentiment_position
from .plots.shared import plot_shared
from .plots.terms import plot_log_odds, plot_similarity, plot_stability, plot_top_terms
from .plots.validation import plot_validation
from .plots.voices import plot_voices
from .stats import bootstrap_mean
from .text.boilerplate import boilerplate_summary
from .text.cleaning import cleaning_audit
from .text.counting import TermCounts, term_counts
from .text.segment import sentences
from .text.tokens import Analyzer, load_stopwords, ngram_terms, tokenize
from .text.words import count_words

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "analysis",
    "Analyzer",
    "BAD_ROW_REASONS",
    "COLUMN_ROLES",
    "CacheWarning",
    "CorpusError",
    "FRAME_N_BOOT",
    "KEPT_ROW_NOTES",
    "TermCounts",
    "actor_mentions",
    "actor_sentiment",
    "analyze_corpus",
    "article_table",
    "audit_summary",
    "boilerplate_summary",
    "bootstrap_mean",
    "cache",
    "cache_dir",
    "cleaning_audit",
    "clear_cache",
    "count_words",
    "describe",
    "describe_corpus",
    "describe_terms",
    "design_summary",
    "errors",
    "escape_markdown",
    "evaluate",
    "extreme_sentences",
    "find_quotes",
    "frame_hits",
    "frame_scores",
    "frame_terms",
    "gold_quotes_for",
    "groups",
    "io",
    "is_case_study",
    "join_articles",
    "keyness",
    "kwic",
    "kwic_top_terms",
    "load_actors",
    "load_corpus",
    "load_frames",
    "load_gold_quotes",
    "load_report",
    "load_stopwords",
    "log_odds",
    "measures",
    "mention_kwic",
    "mention_rates",
    "ngram_terms",
    "offsets_exact",
    "outlet_sentiment",
    "outlet_table",
    "pipeline",
    "plot_actor_heatmap",
    "plot_cleaning",
    "plot_frame_rates",
    "plot_log_odds",
    "plot_mention_rates",
    "plot_sentiment_intervals",
    "plot_sentiment_position",
    "plot_shared",
    "plot_similarity",
    "plot_stability",
    "plot_top_terms",
    "plot_validation",
    "plot_voices",
    "plots",
    "position_sentiment",
    "quote_accuracy",
    "quote_spans",
    "quotes_in_spans",
    "read_tables",
    "read_saved_table",
    "save_figure",
    "save_table",
    "score_sentences",
    "score_spans",
    "score_texts",
    "select_outlets",
    "selection_note",
    "sentences",
    "shared_check",
    "shared_matrix",
    "shared_passages",
    "splitter_agreement",
    "splitter_disagreements",
    "stats",
    "step_counts",
    "term_counts",
    "term_stability",
    "text",
    "tfidf_similarity",
    "tfidf_terms",
    "token_summary",
    "tokenize",
    "voice_sentiment",
    "voices",
    "write_tables",
]
