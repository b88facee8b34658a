"""Safe retraining: a durable job queue, training on a snapshot, evaluation, a gate, hot-swap and rollback."""
