import Testing

// Tests of the Evaluation module live in this folder, one file per concept.
