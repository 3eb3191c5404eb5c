import Testing

// Tests of the CLI module live in this folder, one file per concept.
