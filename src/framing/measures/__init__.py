"""The measures: terms, tone, quotations and speakers, actors and mentions, frames, shared passages."""
