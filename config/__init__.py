"""The one configuration object, `Settings`, built in one place from the environment and the command line.

A package of its own, below the answer core: every layer above ingest may read it (the app, the CLI,
evaluation, the answer stages), and it reads only ingest (the loader worker's `IsolationSettings`, an
index's manifest). The ingest stages take their settings as arguments and never import it.
"""

from config.settings import (
    CONVERTED_E5_FOLDER,
    ENV_PREFIX,
    FALSE_WORDS,
    LOADER_PREFIX,
    REPO_ROOT,
    TRUE_WORDS,
    Settings,
    default_models_dir,
    isolation_from_env,
    parse_bool,
    passive_thread_waits,
)

__all__ = [
    "CONVERTED_E5_FOLDER",
    "ENV_PREFIX",
    "FALSE_WORDS",
    "LOADER_PREFIX",
    "REPO_ROOT",
    "TRUE_WORDS",
    "Settings",
    "default_models_dir",
    "isolation_from_env",
    "parse_bool",
    "passive_thread_waits",
]
