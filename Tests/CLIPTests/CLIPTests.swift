import Testing

// Tests of the CLIP module live in this folder, one file per concept.
