"""framing: measure how news outlets frame an event, every number traceable to its sentences.

The public API is flat and holds the user's functions only: ``from framing import load_corpus,
sentences, ...``. Engines and plumbing stay in their modules (``framing.text``, ``framing.io``,
``framing.cache`` …), importable by name for those who need them.
"""

from .cache import CacheWarning, cache_dir, cached, clear_cache
from .describe import (
    article_table,
    audit_summary,
    describe_corpus,
    describe_intervals,
    describe_terms,
    escape_markdown,
    event_design,
    is_case_study,
    step_counts,
)
from .errors import CorpusError
from .evaluate import (
    design_summary,
    frame_terms,
    gold_quotes_for,
    heldout_accuracy,
    load_gold_quotes,
    offsets_exact,
    quote_accuracy,
    quote_checks,
    shared_check,
    speaker_codes,
    splitter_agreement,
    splitter_disagreements,
)
from .findings import frame_support
from .groups import join_articles, outlet_table, select_outlets, selection_note
from .io.load import load_corpus
from .io.load_report import load_report
from .io.readers import COLUMN_ROLES
from .io.rows import BAD_ROW_REASONS, KEPT_ROW_NOTES
from .measures.actor_table import build_actors, write_actors
from .measures.actors import actor_mentions, corpus_actors, load_actors
from .measures.events import (
    date_events,
    event_contrasts,
    event_coverage,
    over_time,
    pooled_differences,
    summarize_contrasts,
)
from .measures.frames import FRAME_N_BOOT, frame_columns, frame_hits, frame_scores, load_frames
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
    term_columns,
    term_stability,
    tfidf_similarity,
    tfidf_terms,
    token_summary,
)
from .measures.tone import aimed_tone, tone_label
from .outputs import read_saved_table, save_figure, save_table, show_table
from .pipeline import Analysis, analysis, analyze_corpus, read_tables, write_tables
from .plots.corpus import plot_cleaning
from .plots.events import plot_event_contrasts, plot_over_time
from .plots.frames import plot_frame_rates
from .plots.mentions import plot_mention_rates
from .plots.sentiment import plot_actor_heatmap, plot_sentiment_intervals, plot_sentiment_position
from .plots.shared import plot_shared
from .plots.terms import plot_log_odds, plot_similarity, plot_stability, plot_top_terms
from .plots.validation import plot_agreement, plot_prevalence, plot_validation
from .plots.voices import plot_voices
from .stats import bootstrap
from .text.boilerplate import boilerplate_summary
from .text.cleaning import cleaning_audit
from .text.counting import TermCounts, term_counts
from .text.segment import sentences
from .text.tokens import Analyzer, load_stopwords, ngram_terms, tokenize
from .text.words import count_words
from .validation.agreement import agreement, agreement_with
from .validation.classify import (
    FrameModel,
    cross_validate_frames,
    dictionary_labels,
    fit_frame_model,
    frame_prevalence,
)
from .validation.coding import (
    coding_sample,
    load_codes,
    majority_codes,
    mention_units,
    read_codes,
    write_coding_sheet,
)
from .validation.summary import trust_summary

__version__ = "0.1.0"

__all__ = [
    "actor_mentions",
    "actor_sentiment",
    "agreement",
    "agreement_with",
    "aimed_tone",
    "analysis",
    "Analysis",
    "analyze_corpus",
    "Analyzer",
    "article_table",
    "audit_summary",
    "BAD_ROW_REASONS",
    "boilerplate_summary",
    "bootstrap",
    "cache_dir",
    "cached",
    "CacheWarning",
    "cleaning_audit",
    "clear_cache",
    "coding_sample",
    "COLUMN_ROLES",
    "CorpusError",
    "count_words",
    "cross_validate_frames",
    "date_events",
    "describe_corpus",
    "describe_intervals",
    "describe_terms",
    "design_summary",
    "dictionary_labels",
    "escape_markdown",
    "event_contrasts",
    "event_coverage",
    "event_design",
    "extreme_sentences",
    "find_quotes",
    "fit_frame_model",
    "frame_columns",
    "frame_hits",
    "FRAME_N_BOOT",
    "frame_prevalence",
    "frame_scores",
    "frame_support",
    "frame_terms",
    "FrameModel",
    "gold_quotes_for",
    "heldout_accuracy",
    "is_case_study",
    "join_articles",
    "KEPT_ROW_NOTES",
    "keyness",
    "kwic",
    "kwic_top_terms",
    "load_actors",
    "build_actors",
    "write_actors",
    "corpus_actors",
    "load_codes",
    "load_corpus",
    "load_frames",
    "load_gold_quotes",
    "load_report",
    "load_stopwords",
    "log_odds",
    "majority_codes",
    "mention_kwic",
    "mention_rates",
    "mention_units",
    "ngram_terms",
    "offsets_exact",
    "outlet_sentiment",
    "outlet_table",
    "over_time",
    "plot_actor_heatmap",
    "plot_agreement",
    "plot_cleaning",
    "plot_event_contrasts",
    "plot_frame_rates",
    "plot_log_odds",
    "plot_mention_rates",
    "plot_over_time",
    "plot_prevalence",
    "plot_sentiment_intervals",
    "plot_sentiment_position",
    "plot_shared",
    "plot_similarity",
    "plot_stability",
    "plot_top_terms",
    "plot_validation",
    "plot_voices",
    "pooled_differences",
    "position_sentiment",
    "quote_accuracy",
    "quote_checks",
    "quote_spans",
    "quotes_in_spans",
    "read_codes",
    "read_saved_table",
    "read_tables",
    "save_figure",
    "save_table",
    "score_sentences",
    "score_spans",
    "score_texts",
    "select_outlets",
    "selection_note",
    "show_table",
    "sentences",
    "shared_check",
    "shared_matrix",
    "shared_passages",
    "speaker_codes",
    "splitter_agreement",
    "splitter_disagreements",
    "step_counts",
    "summarize_contrasts",
    "term_columns",
    "term_counts",
    "term_stability",
    "TermCounts",
    "tfidf_similarity",
    "tfidf_terms",
    "token_summary",
    "tokenize",
    "tone_label",
    "trust_summary",
    "voice_sentiment",
    "voices",
    "write_coding_sheet",
    "write_tables",
]
