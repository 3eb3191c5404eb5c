import Testing

// Tests of the Synthesis module live in this folder, one file per concept.
