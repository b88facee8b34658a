"""Staff tools: the FAQ editor's store (nlu_data YAML), validation, revisions and rollback."""
