"""analysis: slogans (提法), terms, topics and co-occurrence in Chinese policy texts.

The pipeline, one module per stage::

    corpus.load_corpus -> clean -> tokens.tokenize -> slogans / textstat / topics / cooccurrence
                                                   -> textplot -> report
"""

__version__ = "0.1.0"
