import Testing

// Tests of the Imaging module live in this folder, one file per concept.
