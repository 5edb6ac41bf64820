"""Reading a corpus: one loader, one reader per input format, one row checker, one cleaning pass."""
