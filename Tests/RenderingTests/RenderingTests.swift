import Testing

// Tests of the Rendering module live in this folder, one file per concept.
