"""Text engines every measure shares: cleaning, sentences, words, tokens, quotation marks, term
counting and regex tries."""
