"""Which data is loaded: the curated data, and the workspace of sources a user loads.

The workspace folder (``./.ordergraph`` or ``$ORDERGRAPH_HOME``) holds one SQLite file,
a :class:`~graph.store.workspace.WorkspaceStore`: the merged graph itself, which the CLI
and the app query directly (opening it parses no source), and beside the graph, in
tables of its own, what each dataset gave:

- ``loads``: each dataset (the curated data first, as the base), its format, file,
  record and skip counts and first/last-seen dates;
- ``given``: every record a dataset gave, as the source said it (its own ids), and the
  node or edge of the graph it went into. A node or edge is the merge of what every
  dataset gave it, in load order, so taking one dataset out re-merges only the rows it
  touched — a row two datasets gave loses one dataset, not the row. A record that went
  into a new row as it is keeps no copy of its document (the row has it, until it is
  written again: most of a large load, which would otherwise store every document twice);
- ``name_blocks``: the names of companies, people and bodies by block, and the dataset
  that brought each one's node, where the resolver finds name candidates with one indexed
  lookup (a delta skipping its own dataset's names).

The base is a copy of the curated data, kept with a hash of its files: when ``data/``
changes (a new edition of the corpus), the next open merges every dataset again onto the
new base, so a workspace never answers from a superseded copy.

A load resolves its records against the graph already there (identifiers through the
store's index, names through ``name_blocks``), then writes only the rows it changed or
added, in one transaction with its bookkeeping: a bad line anywhere leaves the database
as it was. A delta touches only its entities; unloading restores what was there.

The package, a module a job (each class of the :class:`Workspace` chain adds one):

- :mod:`.folders` — where the curated data and the workspace live; the curated graph in memory;
- :mod:`.tables` — the bookkeeping tables and the SQL reading a record's document;
- :mod:`.upgrade` — bringing an earlier version's bookkeeping up to date;
- :mod:`.names` — the resolver's name index over ``name_blocks``;
- :mod:`.given` — a record as the bookkeeping keeps it, and merging records one at a time;
- :mod:`.base` — the folder, the connection, the hashes of the files the graph was merged from;
- :mod:`.datasets` — what the loaded datasets gave, read back (``ordergraph sources``);
- :mod:`.rows` — writing merged rows with their bookkeeping;
- :mod:`.refold` — rows merged again from their records; rows nothing gives dropped;
- :mod:`.remerge` — every dataset merged again, and what a face is told meanwhile;
- :mod:`.dangling`, :mod:`.relink`, :mod:`.lists`, :mod:`.comerged`, :mod:`.late` — what an FtM delta
  does as its final file would: refuse links left to an entity it takes away, move links to an entity
  whose schema it changes, make each sanctions list from the first listing of its program left, merge
  again the entities of a merged node it touches (or now joins), give a link it changes at its line's
  place;
- :mod:`.chained` — the datasets whose records joined other datasets' nodes by identifiers found to
  name one entity (``loaders/chains.py``): unloading one, or its delta, merges every dataset again;
- :mod:`.loading` — load, FtM delta, unload;
- :mod:`.judging` — recording a resolution decision;
- :mod:`.opening` — the :class:`Workspace` facade: opening the store and bringing it up to date;
- :mod:`.sources` — a source file loaded by its format.
"""

from loaders.workspace.datasets import DatasetInfo, SetAside
from loaders.workspace.folders import (
    DATA_ENV,
    DATABASE,
    DEFAULT_HOME,
    HOME_ENV,
    PROJECT_DATA,
    RESOLUTIONS,
    data_dir,
    load_memory_store,
    workspace_dir,
    workspace_exists,
)
from loaders.workspace.opening import Workspace, open_store
from loaders.workspace.remerge import REMERGE_STEP, Remerge, RemergeLines
from loaders.workspace.sources import FORMATS, apply_ftm_delta, default_dataset, load_path
from loaders.workspace.tables import LOAD_CACHE_KIB, ROWS_CACHE_KIB

__all__ = [
    "DATABASE",
    "DATA_ENV",
    "DEFAULT_HOME",
    "FORMATS",
    "HOME_ENV",
    "LOAD_CACHE_KIB",
    "PROJECT_DATA",
    "REMERGE_STEP",
    "RESOLUTIONS",
    "ROWS_CACHE_KIB",
    "DatasetInfo",
    "Remerge",
    "RemergeLines",
    "SetAside",
    "Workspace",
    "apply_ftm_delta",
    "data_dir",
    "default_dataset",
    "load_memory_store",
    "load_path",
    "open_store",
    "workspace_dir",
    "workspace_exists",
]
