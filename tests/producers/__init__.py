"""Independent PDF producers for the test corpus.

``octa.synth`` (reportlab) is the producer the parser was developed against. The producers here
share nothing with it (not its templates, fonts, drawing operators or number formatting) so that
the parser's accuracy can be measured on profiles it was not tuned on (leave one producer out):

* :mod:`tests.producers.browser`: HTML/CSS templates printed to PDF by headless Chromium;
* :mod:`tests.producers.typeset`: Typst markup compiled by the Typst compiler (its own layout
  engine, shaping with real ligatures, CID fonts, PNG and SVG icons).
"""
