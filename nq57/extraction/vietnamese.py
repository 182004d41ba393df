"""The Vietnamese text helpers now live in :mod:`nq57.text.vietnamese` (which loads without the extractor).

This name stays importable: it is the very same module object, so every public and private name of it is here too."""

import sys

from nq57.text import vietnamese as _vietnamese

sys.modules[__name__] = _vietnamese
