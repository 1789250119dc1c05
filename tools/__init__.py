"""Developer and learner tools that are not part of the katas (see kata_cli)."""
