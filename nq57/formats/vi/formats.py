"""Vietnamese number formats Django's own locale leaves out: money is grouped by thousands with dots
("5.000.000.000 đồng") wherever a template asks for grouping (``intcomma``); every other format is Django's."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
